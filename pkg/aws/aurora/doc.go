// Package aurora reconciles the Aurora PostgreSQL part of a stack: the DB
// subnet group (rds:subgrp), the DB cluster (rds:cluster) and its instances
// (rds:db). It has one resource.Handler per kind and one resource.Observer
// that reads all three kinds in parallel with one paginated call each;
// Register adds them to a clients.Set. Each kind's descriptor is declared
// beside its handler.
//
// Ownership is by tags set at creation (kcstack:stack, kcstack:address);
// Diff is pure and compares normalized values, so a freshly created stack
// plans to nothing; waits poll with backoff (package poll); deletion
// protection is honoured, never switched off; a create that finds the
// resource already there adopts it only when it carries the stack's own
// ownership tags. The three handlers are resource.Taggers: tags that drift
// from the stack's are set and removed with RDS's AddTagsToResource and
// RemoveTagsFromResource on the resource's ARN; observations carry every
// live tag (clusters' and instances' from their descriptions, subnet
// groups' from the tagging API or ListTagsForResource).
package aurora
