package cache

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Update changes the fields in diffs in place, with ApplyImmediately:
// one ModifyReplicationGroup for the settings, and IncreaseReplicaCount
// (before it, so that failover has its replicas) or DecreaseReplicaCount
// (after it) for the replicas. It waits until the group is available
// after each step.
func (h *ReplicationGroupHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	p, err := readReplicationGroup(d)
	if err != nil {
		return o, err
	}
	in, replicas, err := modifyInput(p, o, diffs)
	if err != nil {
		return o, fmt.Errorf("update replication group %s: %w", o.ID, err)
	}
	if err := h.reading().settle(ctx, o, "available"); err != nil {
		return o, err
	}
	have := resource.Read(o.Props).OptInt(propReplicas)
	if replicas && p.replicas > have {
		if err := h.replicas(ctx, o.ID, p.replicas, true); err != nil {
			return o, err
		}
	}
	if in != nil {
		if _, err := h.API.ModifyReplicationGroup(ctx, in); err != nil {
			return o, fmt.Errorf("modify replication group %s: %w", o.ID, err)
		}
		if _, err := h.waitAvailable(ctx, o.ID, d.Address); err != nil {
			return o, err
		}
	}
	if replicas && p.replicas < have {
		if err := h.replicas(ctx, o.ID, p.replicas, false); err != nil {
			return o, err
		}
	}
	return h.waitAvailable(ctx, o.ID, d.Address)
}

// modifyInput turns diffs into ModifyReplicationGroup's input (nil when
// only the replicas change) and says whether the replicas change.
func modifyInput(p replicationGroupProps, o resource.Observation, diffs []resource.FieldDiff) (*ec.ModifyReplicationGroupInput, bool, error) {
	in := &ec.ModifyReplicationGroupInput{ReplicationGroupId: aws.String(o.ID), ApplyImmediately: aws.Bool(true)}
	changed, replicas := false, false
	for _, fd := range diffs {
		if fd.ForcesReplace {
			return nil, false, fmt.Errorf("%s: %s", fd.Path, fd.Reason)
		}
		if fd.Path == propReplicas {
			replicas = true
			continue
		}
		if err := p.setModify(in, fd.Path, resource.Read(o.Props).OptStrings(propUserGroupIDs)); err != nil {
			return nil, false, err
		}
		changed = true
	}
	if !changed {
		return nil, replicas, nil
	}
	return in, replicas, nil
}

// setModify sets the ModifyReplicationGroup member of one changed prop;
// have are the user groups the group has.
func (p replicationGroupProps) setModify(in *ec.ModifyReplicationGroupInput, path string, have []string) error {
	switch path {
	case propDescription:
		in.ReplicationGroupDescription = aws.String(p.description)
	case propEngineVersion:
		in.EngineVersion = aws.String(p.engineVersion)
	case propNodeType:
		in.CacheNodeType = aws.String(p.nodeType)
	case propSecurityGroupIDs:
		in.SecurityGroupIds = p.securityGroups
	case propUserGroupIDs:
		in.UserGroupIdsToAdd, in.UserGroupIdsToRemove = missingFrom(p.userGroups, have), missingFrom(have, p.userGroups)
	case propParameterGroup:
		in.CacheParameterGroupName = aws.String(p.parameterGroup)
	case propMaintenanceWindow:
		in.PreferredMaintenanceWindow = aws.String(p.maintenanceWindow)
	case propSnapshotWindow:
		in.SnapshotWindow = aws.String(p.snapshotWindow)
	case propSnapshotRetention:
		in.SnapshotRetentionLimit = aws.Int32(int32(p.snapshotRetention))
	case propAutomaticFailover:
		in.AutomaticFailoverEnabled = aws.Bool(p.failover)
	case propMultiAZ:
		in.MultiAZEnabled = aws.Bool(p.multiAZ)
	default:
		return fmt.Errorf("%s cannot change in place", path)
	}
	return nil
}

// replicas sets the group's number of replicas and waits until it is
// available.
func (h *ReplicationGroupHandler) replicas(ctx context.Context, id string, n int64, increase bool) error {
	var err error
	if increase {
		_, err = h.API.IncreaseReplicaCount(ctx, &ec.IncreaseReplicaCountInput{ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(int32(n)), ApplyImmediately: aws.Bool(true)})
	} else {
		_, err = h.API.DecreaseReplicaCount(ctx, &ec.DecreaseReplicaCountInput{ReplicationGroupId: aws.String(id), NewReplicaCount: aws.Int32(int32(n)), ApplyImmediately: aws.Bool(true)})
	}
	if err != nil {
		return fmt.Errorf("set the replicas of replication group %s to %d: %w", id, n, err)
	}
	_, err = h.waitAvailable(ctx, id, "")
	return err
}

// Delete deletes the group, taking a final snapshot named by
// opts["final_snapshot_identifier"] (default <id>-final) unless
// opts["skip_final_snapshot"] is "true", and waits until it is gone. One
// already gone is success; one already being deleted is waited for.
func (h *ReplicationGroupHandler) Delete(ctx context.Context, o resource.Observation, opts map[string]string) error {
	in := deleteInput(o.ID, opts)
	_, err := h.API.DeleteReplicationGroup(ctx, in)
	switch {
	case awserr.Is(err, codeReplicationGroupNotFound):
		return nil
	case awserr.Is(err, codeReplicationGroupState) && h.reading().deleting(ctx, o.ID):
		err = nil
	case awserr.Is(err, codeSnapshotExists):
		err = fmt.Errorf("%w; the final snapshot %s already exists: set spec.redis.finalSnapshotIdentifier to a new name in the stack file, or delete the old snapshot",
			err, aws.ToString(in.FinalSnapshotIdentifier))
	}
	if err != nil {
		return fmt.Errorf("delete replication group %s: %w", o.ID, err)
	}
	return h.reading().waitGone(ctx, o.ID)
}

func deleteInput(id string, opts map[string]string) *ec.DeleteReplicationGroupInput {
	in := &ec.DeleteReplicationGroupInput{ReplicationGroupId: aws.String(id)}
	if opts["skip_final_snapshot"] == "true" {
		return in
	}
	name := opts["final_snapshot_identifier"]
	if name == "" {
		name = id + "-final"
	}
	in.FinalSnapshotIdentifier = aws.String(name)
	return in
}

// CheckDelete reports a final snapshot name that is already taken: the
// delete would fail with SnapshotAlreadyExistsFault after everything that
// goes before the group was deleted.
func (h *ReplicationGroupHandler) CheckDelete(ctx context.Context, o resource.Observation, opts map[string]string) error {
	in := deleteInput(o.ID, opts)
	if in.FinalSnapshotIdentifier == nil {
		return nil
	}
	name := *in.FinalSnapshotIdentifier
	out, err := h.API.DescribeSnapshots(ctx, &ec.DescribeSnapshotsInput{SnapshotName: &name})
	switch {
	case awserr.Is(err, codeSnapshotNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("check the final snapshot name %s: %w", name, err)
	case len(out.Snapshots) == 0:
		return nil
	}
	return fmt.Errorf("its final snapshot %s already exists: set spec.redis.finalSnapshotIdentifier to a new name, or delete the snapshot (aws elasticache delete-snapshot --snapshot-name %s)", name, name)
}
