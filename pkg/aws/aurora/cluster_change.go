package aurora

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Update changes the fields in diffs in place with ApplyImmediately and
// waits until the cluster is available again.
func (h *ClusterHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	in, err := modifyClusterInput(d, o, diffs)
	if err != nil || in == nil {
		return o, err
	}
	if err := h.settle(ctx, o); err != nil {
		return o, err
	}
	if _, err := h.api.ModifyDBCluster(ctx, in); err != nil {
		return o, fmt.Errorf("modify DB cluster %s: %w", o.ID, err)
	}
	c, err := h.waitAvailable(ctx, o.ID, in.EngineVersion)
	if err != nil {
		return o, err
	}
	return clusterObservation(*c, stackOf(d), d.Address), nil
}

// modifyClusterInput turns diffs into ModifyDBCluster's input, nil when
// nothing is to change.
func modifyClusterInput(d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (*rds.ModifyDBClusterInput, error) {
	var p clusterProps
	if err := p.read(d); err != nil {
		return nil, err
	}
	in := &rds.ModifyDBClusterInput{DBClusterIdentifier: ptr(o.ID), ApplyImmediately: ptr(true)}
	changed := false
	for _, fd := range diffs {
		if fd.ForcesReplace {
			return nil, fmt.Errorf("update DB cluster %s: %s: %s", o.ID, fd.Path, fd.Reason)
		}
		if err := p.setModify(in, fd.Path); err != nil {
			return nil, fmt.Errorf("update DB cluster %s: %w", o.ID, err)
		}
		changed = true
	}
	if !changed {
		return nil, nil
	}
	return in, nil
}

// setModify sets the ModifyDBCluster member for one changed prop.
func (p *clusterProps) setModify(in *rds.ModifyDBClusterInput, path string) error {
	switch path {
	case propEngineVersion:
		in.EngineVersion = ptr(p.engineVersion)
	case propDeletionProtection:
		in.DeletionProtection = p.deletionProtection
	case propBackupRetention:
		in.BackupRetentionPeriod = p.backupRetention
	case propPort:
		in.Port = p.port
	case propSecurityGroupIDs:
		in.VpcSecurityGroupIds = p.securityGroups
	case propManagePassword:
		if !deref(p.managePassword) {
			return errors.New("kcstack does not stop managing the master user password in Secrets Manager: it would need a password in the stack file")
		}
		in.ManageMasterUserPassword = ptr(true)
	default:
		return fmt.Errorf("%s cannot change in place", path)
	}
	return nil
}

// Delete deletes the cluster, taking a final snapshot named by
// opts["final_snapshot_identifier"] (default <identifier>-final) unless
// opts["skip_final_snapshot"] is "true", and waits until it is gone. A
// cluster with deletion protection on is refused with ErrDeletionProtected.
func (h *ClusterHandler) Delete(ctx context.Context, o resource.Observation, opts map[string]string) error {
	if clusterKind.Protection.Protected(o) {
		return errProtected(o.ID)
	}
	in := deleteClusterInput(o.ID, opts)
	_, err := h.api.DeleteDBCluster(ctx, in)
	switch {
	case isNotFound(err):
		return nil
	case awserr.Is(err, codeInvalidCombination) && isProtectionError(err):
		return errProtected(o.ID)
	case awserr.Is(err, codeClusterState):
		err = clusterStatus.checkDeleting(ctx, h.describe, o.ID, err)
	case awserr.Is(err, codeSnapshotExists):
		err = fmt.Errorf("%w; the final snapshot %s already exists: set spec.database.aurora.finalSnapshotIdentifier to a new name in the stack file, or delete the old snapshot",
			err, deref(in.FinalDBSnapshotIdentifier))
	}
	if err != nil {
		return fmt.Errorf("delete DB cluster %s: %w", o.ID, err)
	}
	return h.waitGone(ctx, o.ID)
}

func deleteClusterInput(id string, opts map[string]string) *rds.DeleteDBClusterInput {
	in := &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr(id)}
	if opts["skip_final_snapshot"] == "true" {
		in.SkipFinalSnapshot = ptr(true)
		return in
	}
	in.FinalDBSnapshotIdentifier = ptr(orString(opts["final_snapshot_identifier"], id+"-final"))
	return in
}

// errProtected says how to turn deletion protection off: in the stack
// file, or with the aws CLI for a cluster no longer in it.
func errProtected(id string) error {
	return fmt.Errorf("delete DB cluster %s: %w: kcstack never turns it off by itself; "+
		"set spec.database.aurora.deletionProtection: false in the stack file, run kcstack apply, then delete again "+
		"(for a cluster no longer in the file: aws rds modify-db-cluster --db-cluster-identifier %s --no-deletion-protection --apply-immediately)",
		id, ErrDeletionProtected, id)
}

// isProtectionError reports whether RDS refused a delete because of
// deletion protection (InvalidParameterCombination has no finer code).
func isProtectionError(err error) bool { return containsFold(awserr.Message(err), "protect") }

// settle waits for a cluster observed in another state than available (a
// change an interrupted run left going), as RDS modifies available
// clusters only.
func (h *ClusterHandler) settle(ctx context.Context, o resource.Observation) error {
	if status := o.Attrs["status"]; status == "" || status == "available" {
		return nil
	}
	_, err := h.waitAvailable(ctx, o.ID, nil)
	return err
}
