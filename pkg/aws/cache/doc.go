// Package cache reconciles the stack's Redis on ElastiCache: the cache
// subnet group (elasticache:subnetgroup), the users
// (elasticache:user), the user group that admits them
// (elasticache:usergroup) and the replication group
// (elasticache:replicationgroup), with transit and at-rest encryption and
// authentication through the user group. One handler per kind, each
// kind's descriptor beside it; one observer, a part of the shared tagging
// observer, that reads the four kinds with one paginated describe each
// (and the replication groups' member clusters, which alone carry their
// subnet group, security groups, engine version, parameter group and
// maintenance window).
//
// Ownership is by the tags set at creation; a create refused because the
// id exists adopts the resource when it is tagged for the same stack and
// address. A user's password is never in its props: the user refers to
// the Secrets Manager secret that holds it and to the secret's current
// version; Create and a rotation read the value at acting time and call
// ModifyUser, then record the version in the user's
// kcstack:password-version tag. The default user is created with a
// password generated and discarded at once, and its access string turns
// it off.
package cache
