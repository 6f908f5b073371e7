package aurora

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// InstanceHandler creates, updates and deletes the DB instances of an
// Aurora cluster (rds:db).
type InstanceHandler struct{ rdsHandler }

var (
	_ resource.Handler = (*InstanceHandler)(nil)
	_ resource.Finder  = (*InstanceHandler)(nil)
	_ resource.Tagger  = (*InstanceHandler)(nil)
)

// newInstanceHandler returns the DB instance handler over api; wait,
// when set, replaces defaultWait.
func newInstanceHandler(api API, wait *poll.Options) *InstanceHandler {
	return &InstanceHandler{newRDSHandler(instanceKind, api, wait)}
}

// instanceKind describes rds:db. An Aurora instance holds no data of its
// own (the cluster's volume does), so deleting one loses none. A retried
// CreateDBInstance fails on the unique identifier, and Create adopts the
// instance tagged for the address.
var instanceKind = resource.Descriptor{
	Kind:         resource.KindDBInstance,
	TaggingTypes: []string{"rds:db"},
	References:   []resource.Reference{{Prop: propClusterIdentifier, Kind: resource.KindDBCluster, Attr: "id"}},
	Fields: resource.Fields{
		propIdentifier:        {ForcesReplace: true, Reason: "kcstack does not rename DB instances: a new identifier is a new instance"},
		propClusterIdentifier: {ForcesReplace: true, Reason: "a DB instance cannot move to another cluster"},
		propEngine:            {ForcesReplace: true, Reason: "a DB instance's engine cannot change"},
		propAvailabilityZone:  {ForcesReplace: true, Reason: "a DB instance cannot move to another zone in place"},
	},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateDBInstance"}, Idempotent: true},
}

// instanceComparisons are the instance props compared otherwise than as
// plain data: identifiers, which RDS keeps in lower case.
var instanceComparisons = comparisons{
	propIdentifier:        {foldCase: true},
	propClusterIdentifier: {foldCase: true},
}

// Diff compares the props d lists with o's, without I/O.
func (h *InstanceHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return diffProps(d, o, h.Descriptor.Fields, instanceComparisons, "DB instance")
}

// instanceObservation converts a described instance; address "" takes it
// from the kcstack:address tag.
func instanceObservation(i types.DBInstance, stack, address string) resource.Observation {
	id := deref(i.DBInstanceIdentifier)
	o := resource.Observation{
		Kind: resource.KindDBInstance, Exists: true, ID: id,
		Props: resource.Props{
			propIdentifier: id, propClusterIdentifier: deref(i.DBClusterIdentifier), propEngine: deref(i.Engine),
			propInstanceClass: deref(i.DBInstanceClass), propAvailabilityZone: deref(i.AvailabilityZone),
			propPromotionTier: int64(aws.ToInt32(i.PromotionTier)),
		},
		Attrs: map[string]string{"id": id, "arn": deref(i.DBInstanceArn), "status": deref(i.DBInstanceStatus)},
	}
	if e := i.Endpoint; e != nil {
		o.Attrs["endpoint"] = deref(e.Address)
	}
	return owned(o, tagMap(i.TagList), stack, address)
}

// Create creates the instance in its cluster, tagged, waits until it is
// available and returns it. An instance already there from an earlier
// ambiguous create of this same resource is adopted.
func (h *InstanceHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	in, err := createInstanceInput(d)
	if err != nil {
		return resource.Observation{}, err
	}
	id := deref(in.DBInstanceIdentifier)
	_, err = h.api.CreateDBInstance(ctx, in)
	if err := instanceStatus.created(ctx, h.describe, id, d, err, codeInstanceExists); err != nil {
		return resource.Observation{}, err
	}
	i, err := h.waitAvailable(ctx, id, "")
	if err != nil {
		return resource.Observation{}, err
	}
	return instanceObservation(*i, stackOf(d), d.Address), nil
}

// createInstanceInput builds CreateDBInstance's input from resolved props.
func createInstanceInput(d resource.Desired) (*rds.CreateDBInstanceInput, error) {
	r := resource.Read(d.Props)
	in := &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: optional(r.String(propIdentifier)), DBClusterIdentifier: optional(r.String(propClusterIdentifier)),
		Engine: optional(r.OptString(propEngine)), DBInstanceClass: optional(r.OptString(propInstanceClass)),
		AvailabilityZone: optional(r.OptString(propAvailabilityZone)), Tags: rdsTags(d.Tags),
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Address, err)
	}
	if in.DBInstanceIdentifier == nil || in.DBClusterIdentifier == nil {
		return nil, fmt.Errorf("%s: props identifier and cluster_identifier are required", d.Address)
	}
	if in.Engine == nil {
		in.Engine = ptr(engineAuroraPostgreSQL)
	}
	tier, set, err := promotionTier(d)
	if err != nil {
		return nil, err
	}
	if set {
		in.PromotionTier = &tier
	}
	return in, nil
}

// promotionTier reads the optional promotion_tier prop (0, the writer's
// failover priority, is a value): whether it is set, and its value.
func promotionTier(d resource.Desired) (int32, bool, error) {
	v, ok := d.Props[propPromotionTier]
	if !ok || v == nil {
		return 0, false, nil
	}
	n, isInt := v.(int64)
	if !isInt || n < 0 || n > 15 {
		return 0, false, fmt.Errorf("%s: %s must be an integer from 0 to 15, not %v", d.Address, propPromotionTier, v)
	}
	return int32(n), true, nil
}

// Update changes the instance class and the promotion tier (the props
// that change in place) with ApplyImmediately and waits until the
// instance is available in its class.
func (h *InstanceHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	in, err := modifyInstanceInput(d, o, diffs)
	if err != nil || in == nil {
		return o, err
	}
	if status := o.Attrs["status"]; status != "" && status != "available" {
		if _, err := h.waitAvailable(ctx, o.ID, ""); err != nil {
			return o, err
		}
	}
	if _, err := h.api.ModifyDBInstance(ctx, in); err != nil {
		return o, fmt.Errorf("modify DB instance %s: %w", o.ID, err)
	}
	i, err := h.waitAvailable(ctx, o.ID, deref(in.DBInstanceClass))
	if err != nil {
		return o, err
	}
	return instanceObservation(*i, stackOf(d), d.Address), nil
}

// modifyInstanceInput returns the ModifyDBInstance that makes the diffs,
// nil for none; a diff of any prop but the class and the promotion tier
// is an error, as only those change in place.
func modifyInstanceInput(d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (*rds.ModifyDBInstanceInput, error) {
	if len(diffs) == 0 {
		return nil, nil
	}
	in := &rds.ModifyDBInstanceInput{DBInstanceIdentifier: ptr(o.ID), ApplyImmediately: ptr(true)}
	for _, fd := range diffs {
		switch {
		case fd.ForcesReplace:
			return nil, fmt.Errorf("update DB instance %s: %s: %s", o.ID, fd.Path, fd.Reason)
		case fd.Path == propInstanceClass:
			r := resource.Read(d.Props)
			class := r.String(propInstanceClass)
			if err := r.Err(); err != nil {
				return nil, fmt.Errorf("%s: %w", d.Address, err)
			}
			in.DBInstanceClass = ptr(class)
		case fd.Path == propPromotionTier:
			tier, _, err := promotionTier(d)
			if err != nil {
				return nil, err
			}
			in.PromotionTier = &tier
		default:
			return nil, fmt.Errorf("update DB instance %s: %s cannot change in place", o.ID, fd.Path)
		}
	}
	return in, nil
}

// Delete deletes the instance (Aurora instances take no final snapshot:
// the cluster holds the data) and waits until it is gone.
func (h *InstanceHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: ptr(o.ID)})
	if isNotFound(err) {
		return nil
	}
	if awserr.Is(err, codeInstanceState) {
		err = instanceStatus.checkDeleting(ctx, h.describe, o.ID, err)
	}
	if err != nil {
		return fmt.Errorf("delete DB instance %s: %w", o.ID, err)
	}
	return h.waitGone(ctx, o.ID)
}

// instanceStatus is how the instance's waits and finds read a described
// instance.
var instanceStatus = statusKind[types.DBInstance]{
	noun: "DB instance", kind: resource.KindDBInstance, observe: instanceObservation,
	status: func(i *types.DBInstance) string { return deref(i.DBInstanceStatus) },
	tags:   func(i *types.DBInstance) []types.Tag { return i.TagList },
}

// describe returns the instance id, nil when it does not exist.
func (h *InstanceHandler) describe(ctx context.Context, id string) (*types.DBInstance, error) {
	out, err := h.api.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: ptr(id)})
	return first(err, "DB instance", id, func() []types.DBInstance { return out.DBInstances })
}

// waitAvailable waits until the instance is available with nothing
// pending (and in class, when set).
func (h *InstanceHandler) waitAvailable(ctx context.Context, id, class string) (*types.DBInstance, error) {
	return instanceStatus.waitAvailable(ctx, h.wait, h.describe, id, func(i *types.DBInstance) bool { return instanceReady(i, class) })
}

func instanceReady(i *types.DBInstance, class string) bool {
	if deref(i.DBInstanceStatus) != "available" {
		return false
	}
	if class != "" && deref(i.DBInstanceClass) != class {
		return false
	}
	return i.PendingModifiedValues == nil || i.PendingModifiedValues.DBInstanceClass == nil
}

// waitGone waits until the instance no longer exists.
func (h *InstanceHandler) waitGone(ctx context.Context, id string) error {
	return instanceStatus.waitGone(ctx, h.wait, h.describe, id)
}

// FindByAddress finds the instance of stack tagged with address, with one
// paginated describe; Exists is false when there is none.
func (h *InstanceHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	instances, err := listInstances(ctx, h.api)
	if err != nil {
		return resource.Observation{}, err
	}
	return instanceStatus.find(instances, stack, address), nil
}
