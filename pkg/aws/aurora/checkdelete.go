package aurora

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

var _ resource.DeleteChecker = (*ClusterHandler)(nil)

// codeSnapshotNotFound is RDS's answer for a cluster snapshot that does
// not exist.
const codeSnapshotNotFound = "DBClusterSnapshotNotFoundFault"

// CheckDelete reports a final snapshot name that is already taken: the
// delete would fail with DBClusterSnapshotAlreadyExistsFault after
// everything that goes before the cluster was deleted.
func (h *ClusterHandler) CheckDelete(ctx context.Context, o resource.Observation, opts map[string]string) error {
	in := deleteClusterInput(o.ID, opts)
	if in.FinalDBSnapshotIdentifier == nil {
		return nil
	}
	name := *in.FinalDBSnapshotIdentifier
	out, err := h.api.DescribeDBClusterSnapshots(ctx, &rds.DescribeDBClusterSnapshotsInput{DBClusterSnapshotIdentifier: &name})
	switch {
	case awserr.Is(err, codeSnapshotNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("check the final snapshot name %s: %w", name, err)
	case len(out.DBClusterSnapshots) == 0:
		return nil
	}
	return fmt.Errorf("its final snapshot %s already exists: set spec.database.aurora.finalSnapshotIdentifier to a new name, or delete the snapshot %s (aws rds delete-db-cluster-snapshot --db-cluster-snapshot-identifier %s)", name, name, name)
}
