package resource

import (
	"context"
	"fmt"
	"sort"
)

// Tag keys kcstack sets on every resource it creates.
const (
	TagStack   = "kcstack:stack"
	TagAddress = "kcstack:address"
)

// Kind names a resource kind as "service:type", the way the resource groups
// tagging API does (ec2:vpc, rds:cluster).
type Kind string

// Resource kinds of the Aurora and peering part of a stack.
const (
	KindVPC               Kind = "ec2:vpc"
	KindSubnet            Kind = "ec2:subnet"
	KindRouteTable        Kind = "ec2:route-table"
	KindRouteTableAssoc   Kind = "ec2:route-table-association"
	KindRoute             Kind = "ec2:route"
	KindSecurityGroup     Kind = "ec2:security-group"
	KindSecurityGroupRule Kind = "ec2:security-group-rule"
	KindPeering           Kind = "ec2:vpc-peering-connection"
	KindDBSubnetGroup     Kind = "rds:subgrp"
	KindDBCluster         Kind = "rds:cluster"
	KindDBInstance        Kind = "rds:db"
)

// Resource kinds of an ECS target's network.
const (
	KindInternetGateway Kind = "ec2:internet-gateway"
	KindElasticIP       Kind = "ec2:elastic-ip"
	KindNATGateway      Kind = "ec2:natgateway"
)

// Resource kinds of an ECS target's Keycloak service: compute, load
// balancing and discovery.
const (
	KindECSCluster        Kind = "ecs:cluster"
	KindECSService        Kind = "ecs:service"
	KindECSTaskDefinition Kind = "ecs:task-definition"
	KindLogGroup          Kind = "logs:log-group"
	KindIAMRole           Kind = "iam:role"
	KindLoadBalancer      Kind = "elasticloadbalancing:loadbalancer"
	KindTargetGroup       Kind = "elasticloadbalancing:targetgroup"
	KindListener          Kind = "elasticloadbalancing:listener"
	KindDNSNamespace      Kind = "servicediscovery:namespace"
	KindDiscoveryService  Kind = "servicediscovery:service"
	KindBucket            Kind = "s3:bucket"
)

// Resource kinds of the stack's Redis (ElastiCache) and the secrets kcstack generates.
const (
	KindCacheSubnetGroup Kind = "elasticache:subnetgroup"
	KindCacheUser        Kind = "elasticache:user"
	KindCacheUserGroup   Kind = "elasticache:usergroup"
	KindReplicationGroup Kind = "elasticache:replicationgroup"
	KindSecret           Kind = "secretsmanager:secret"
)

// Ref is a desired property whose value is an attribute of another
// resource, known once that resource exists ("(known after apply)" in a
// plan for a resource still to be created).
type Ref struct {
	Address string `json:"address"`
	Attr    string `json:"attr"`
}

func (r Ref) String() string { return fmt.Sprintf("${%s.%s}", r.Address, r.Attr) }

// Props are the properties of a resource as plain data: string, int64,
// bool, []string (sorted when set-like), map[string]string, or Ref in a
// desired resource before resolution.
type Props map[string]any

// Desired is a resource as the stack file wants it.
type Desired struct {
	Address string `json:"address"`
	Kind    Kind   `json:"kind"`
	// Component groups changes in plans (database, target rosa-a, ...).
	Component string `json:"component"`
	// Name is a short human label (an identifier or a CIDR).
	Name  string `json:"name"`
	Props Props  `json:"props"`
	// Tags are the full tags to set at creation, ownership tags included.
	Tags map[string]string `json:"tags,omitempty"`
	// DependsOn lists the addresses this resource needs to exist first.
	DependsOn []string `json:"depends_on,omitempty"`
	// Sensitive lists props whose values are never shown.
	Sensitive []string `json:"sensitive,omitempty"`
	// Options are settings that are not AWS attributes but steer how the
	// resource is created or deleted (skip_final_snapshot, ...).
	Options map[string]string `json:"options,omitempty"`
	// Lookup, when set, makes this a resource the stack references but
	// never owns (a ROSA cluster's VPC): it is found, never changed, and a
	// plan fails when it is missing.
	Lookup *Lookup `json:"lookup,omitempty"`
}

// Lookup finds an existing resource by id or by tags.
type Lookup struct {
	ID   string            `json:"id,omitempty"`
	Tags map[string]string `json:"tags,omitempty"`
	// Hint tells the user what to do when the resource is missing.
	Hint string `json:"hint,omitempty"`
}

// Refs returns the Refs among d's props.
func (d Desired) Refs() []Ref {
	var refs []Ref
	for _, k := range SortedKeys(d.Props) {
		if r, ok := d.Props[k].(Ref); ok {
			refs = append(refs, r)
		}
	}
	return refs
}

// Observation is a resource as read from AWS. Not found is Exists false,
// never an error.
type Observation struct {
	Address string `json:"address"`
	Kind    Kind   `json:"kind"`
	Exists  bool   `json:"exists"`
	// ID is AWS's identifier (vpc-..., the cluster identifier, ...).
	ID string `json:"id,omitempty"`
	// Props are the observed properties, normalized to the same names and
	// forms as Desired.Props.
	Props Props `json:"props,omitempty"`
	// Attrs are computed attributes other resources may reference (id, arn,
	// endpoint, cidr_block, ...). Attrs["id"] is always ID.
	Attrs map[string]string `json:"attrs,omitempty"`
	Tags  map[string]string `json:"tags,omitempty"`
	// Owned is true when the resource carries the stack's ownership tag
	// (or, for untaggable kinds, belongs to an owned parent).
	Owned bool `json:"owned"`
	// Found is true for resources the stack references but never owns (a
	// ROSA cluster's VPC): they are read, never changed.
	Found bool `json:"found,omitempty"`
	// Parent is set on a resource that carries no ownership tags of its
	// own and is the stack's through another one: the address of that
	// resource (a rule the stack file does not name, on a security group
	// the stack owns, is the group's to remove). The resource is owned
	// exactly while its parent is.
	Parent string `json:"parent,omitempty"`
}

// FieldDiff is one field that differs between desired and observed.
type FieldDiff struct {
	Path   string `json:"path"`
	Before any    `json:"before"`
	After  any    `json:"after"`
	// ForcesReplace is set when AWS cannot change the field in place;
	// Reason says so in words for the plan.
	ForcesReplace bool   `json:"forces_replace,omitempty"`
	Reason        string `json:"reason,omitempty"`
	Sensitive     bool   `json:"sensitive,omitempty"`
	// KnownAfterApply marks an After that is a reference to a resource not
	// created yet.
	KnownAfterApply bool `json:"known_after_apply,omitempty"`
}

// Handler creates, updates and deletes the resources of one kind. Every
// method is idempotent; Diff does no I/O; AWS not-found during Delete is
// success. Desired values passed to Create and Update are resolved: no Ref
// remains in their props.
type Handler interface {
	// Describe returns the kind's descriptor.
	Describe() Descriptor
	// Diff compares desired with an existing observation.
	Diff(d Desired, o Observation) []FieldDiff
	// Create makes the resource, tagged at creation, and returns it as
	// observed afterwards (waiting for the state that matters).
	Create(ctx context.Context, d Desired) (Observation, error)
	// Update changes the fields in diffs in place.
	Update(ctx context.Context, d Desired, o Observation, diffs []FieldDiff) (Observation, error)
	// Delete removes the resource (waiting until it is gone when later
	// deletes depend on that).
	Delete(ctx context.Context, o Observation, opts map[string]string) error
}

// Query is what an Observer reads for.
type Query struct {
	// Stack is the stack name, the value of the kcstack:stack tag.
	Stack string
	// Desired are the desired resources of the kinds the observer reads.
	Desired []Desired
	// Known are the observations of earlier rounds, by address.
	Known map[string]Observation
}

// Observer reads every resource of some kinds that a stack owns, desires
// or references, in as few API calls as AWS allows (one paginated batch
// call per kind, with tag or id filters), never one call per resource when
// a batch call exists. Observers of round 1 run in parallel first; those
// of round 2 need round 1's observations (VPC ids, peering ids).
// Resources found owned (tagged for the stack) but not desired are
// returned with their address from the kcstack:address tag, so the plan
// deletes them; untagged look-alikes are never returned as owned, except
// what belongs to an owned parent (Observation.Parent: a rule on one of the
// stack's security groups), which is the stack's to remove.
type Observer interface {
	Round() int
	Observe(ctx context.Context, q Query) ([]Observation, error)
}

// Finder is implemented by handlers that can look an owned resource up by
// its address tag, so that an ambiguous create can be checked before retry.
type Finder interface {
	FindByAddress(ctx context.Context, stack, address string) (Observation, error)
}

// Resumer is implemented by handlers whose Create takes more than one
// call (create, then wait, accept or set attributes). When an ambiguous
// create made the resource and FindByAddress found it, Resume runs the
// steps after the first call, so the adopted resource ends up as Create
// would have left it. Resume is idempotent.
type Resumer interface {
	Resume(ctx context.Context, d Desired, o Observation) (Observation, error)
}

// SortedKeys returns the keys of a map in order.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DeleteChecker is implemented by the handlers of kinds whose delete can
// fail for a reason known beforehand (a final snapshot name already
// taken). CheckDelete reports it without changing anything, so that a
// plan that deletes or replaces such a resource fails before its first
// delete.
type DeleteChecker interface {
	CheckDelete(ctx context.Context, o Observation, opts map[string]string) error
}
