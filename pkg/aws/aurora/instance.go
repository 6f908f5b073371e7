package aurora

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// InstanceHandler creates, updates and deletes the DB instances of an
// Aurora cluster (rds:db).
type InstanceHandler struct {
	api  API
	wait poll.Options
}

var (
	_ resource.Handler = (*InstanceHandler)(nil)
	_ resource.Finder  = (*InstanceHandler)(nil)
	_ resource.Tagger  = (*InstanceHandler)(nil)
)

// NewInstanceHandler returns the DB instance handler over api.
func NewInstanceHandler(api API, opts ...Option) *InstanceHandler {
	return &InstanceHandler{api: api, wait: newSettings(opts).wait}
}

// Kind is rds:db.
func (h *InstanceHandler) Kind() resource.Kind { return resource.KindDBInstance }

// instanceFields are the props of a DB instance and how they compare.
var instanceFields = fields{
	"identifier":         {replace: true, foldCase: true, reason: "kcstack does not rename DB instances: a new identifier is a new instance"},
	"cluster_identifier": {replace: true, foldCase: true, reason: "a DB instance cannot move to another cluster"},
	"engine":             {replace: true, reason: "a DB instance's engine cannot change"},
	"availability_zone":  {replace: true, reason: "a DB instance cannot move to another zone in place"},
	"instance_class":     {},
}

// Diff compares the props d lists with o's, without I/O.
func (h *InstanceHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return diffProps(d, o, instanceFields, "DB instance")
}

// instanceObservation converts a described instance; address "" takes it
// from the kcstack:address tag.
func instanceObservation(i types.DBInstance, stack, address string) resource.Observation {
	id := deref(i.DBInstanceIdentifier)
	o := resource.Observation{
		Kind: resource.KindDBInstance, Exists: true, ID: id,
		Props: resource.Props{
			"identifier": id, "cluster_identifier": deref(i.DBClusterIdentifier), "engine": deref(i.Engine),
			"instance_class": deref(i.DBInstanceClass), "availability_zone": deref(i.AvailabilityZone),
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
	if isCode(err, codeInstanceExists) {
		err = h.adopt(ctx, d, id)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create DB instance %s: %w", id, err)
	}
	i, err := h.waitAvailable(ctx, id, "")
	if err != nil {
		return resource.Observation{}, err
	}
	return instanceObservation(*i, stackOf(d), d.Address), nil
}

func (h *InstanceHandler) adopt(ctx context.Context, d resource.Desired, id string) error {
	i, err := h.describe(ctx, id)
	if err != nil {
		return err
	}
	if i == nil {
		return fmt.Errorf("DB instance %s exists but cannot be read", id)
	}
	if err := checkAdoptable("DB instance", id, tagMap(i.TagList), d); err != nil {
		return err
	}
	if deref(i.DBInstanceStatus) == "deleting" {
		return fmt.Errorf("DB instance %s is being deleted: run again once it is gone", id)
	}
	return nil
}

func createInstanceInput(d resource.Desired) (*rds.CreateDBInstanceInput, error) {
	in := &rds.CreateDBInstanceInput{Tags: rdsTags(d.Tags)}
	for k, dst := range map[string]**string{
		"identifier": &in.DBInstanceIdentifier, "cluster_identifier": &in.DBClusterIdentifier,
		"engine": &in.Engine, "instance_class": &in.DBInstanceClass, "availability_zone": &in.AvailabilityZone,
	} {
		s, err := stringProp(d, k)
		if err != nil {
			return nil, err
		}
		*dst = optional(s)
	}
	if in.DBInstanceIdentifier == nil || in.DBClusterIdentifier == nil {
		return nil, fmt.Errorf("%s: props identifier and cluster_identifier are required", d.Address)
	}
	if in.Engine == nil {
		in.Engine = ptr(engineAuroraPostgreSQL)
	}
	return in, nil
}

// Update changes the instance class (the one prop that changes in place)
// with ApplyImmediately and waits until the instance is available in it.
func (h *InstanceHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	class, err := newClass(d, o, diffs)
	if err != nil || class == "" {
		return o, err
	}
	if status := o.Attrs["status"]; status != "" && status != "available" {
		if _, err := h.waitAvailable(ctx, o.ID, ""); err != nil {
			return o, err
		}
	}
	in := &rds.ModifyDBInstanceInput{DBInstanceIdentifier: ptr(o.ID), DBInstanceClass: ptr(class), ApplyImmediately: ptr(true)}
	if _, err := h.api.ModifyDBInstance(ctx, in); err != nil {
		return o, fmt.Errorf("modify DB instance %s: %w", o.ID, err)
	}
	i, err := h.waitAvailable(ctx, o.ID, class)
	if err != nil {
		return o, err
	}
	return instanceObservation(*i, stackOf(d), d.Address), nil
}

// newClass returns the instance class to change to, "" for none; any
// other change is an error, as only the class changes in place.
func newClass(d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (string, error) {
	for _, fd := range diffs {
		if fd.ForcesReplace {
			return "", fmt.Errorf("update DB instance %s: %s: %s", o.ID, fd.Path, fd.Reason)
		}
		if fd.Path != "instance_class" {
			return "", fmt.Errorf("update DB instance %s: %s cannot change in place", o.ID, fd.Path)
		}
	}
	if len(diffs) == 0 {
		return "", nil
	}
	return stringProp(d, "instance_class")
}

// Delete deletes the instance (Aurora instances take no final snapshot:
// the cluster holds the data) and waits until it is gone.
func (h *InstanceHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: ptr(o.ID)})
	if isNotFound(err) {
		return nil
	}
	if isCode(err, codeInstanceState) {
		err = h.checkDeleting(ctx, o.ID, err)
	}
	if err != nil {
		return fmt.Errorf("delete DB instance %s: %w", o.ID, err)
	}
	return h.waitGone(ctx, o.ID)
}

// checkDeleting turns "invalid state" into success when the instance is
// already being deleted; otherwise it returns err.
func (h *InstanceHandler) checkDeleting(ctx context.Context, id string, err error) error {
	i, derr := h.describe(ctx, id)
	if derr == nil && (i == nil || deref(i.DBInstanceStatus) == "deleting") {
		return nil
	}
	return err
}

// instanceKind is how the instance's waits and finds read a described
// instance.
var instanceKind = statusKind[types.DBInstance]{
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
	return instanceKind.waitAvailable(ctx, h.wait, h.describe, id, func(i *types.DBInstance) bool { return instanceReady(i, class) })
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
	return instanceKind.waitGone(ctx, h.wait, h.describe, id)
}

// FindByAddress finds the instance of stack tagged with address, with one
// paginated describe; Exists is false when there is none.
func (h *InstanceHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	instances, err := listInstances(ctx, h.api)
	if err != nil {
		return resource.Observation{}, err
	}
	return instanceKind.find(instances, stack, address), nil
}
