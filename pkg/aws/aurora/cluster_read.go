package aurora

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

// clusterStatus is how the cluster's waits and finds read a described cluster.
var clusterStatus = statusKind[types.DBCluster]{
	noun: "DB cluster", kind: resource.KindDBCluster, observe: clusterObservation,
	status: func(c *types.DBCluster) string { return deref(c.Status) },
	tags:   func(c *types.DBCluster) []types.Tag { return c.TagList },
}

// describe returns the cluster id, nil when it does not exist.
func (h *ClusterHandler) describe(ctx context.Context, id string) (*types.DBCluster, error) {
	out, err := h.api.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: ptr(id)})
	return first(err, "DB cluster", id, func() []types.DBCluster { return out.DBClusters })
}

// waitAvailable waits until the cluster is available with no pending
// engine version (version, when set, is the one it must reach).
func (h *ClusterHandler) waitAvailable(ctx context.Context, id string, version *string) (*types.DBCluster, error) {
	return clusterStatus.waitAvailable(ctx, h.wait, h.describe, id, func(c *types.DBCluster) bool { return clusterReady(c, version) })
}

func clusterReady(c *types.DBCluster, version *string) bool {
	if deref(c.Status) != "available" {
		return false
	}
	if version != nil && deref(c.EngineVersion) != *version {
		return false
	}
	return c.PendingModifiedValues == nil || c.PendingModifiedValues.EngineVersion == nil
}

// waitGone waits until the cluster no longer exists.
func (h *ClusterHandler) waitGone(ctx context.Context, id string) error {
	return clusterStatus.waitGone(ctx, h.wait, h.describe, id)
}

// FindByAddress finds the cluster of stack tagged with address, with one
// paginated describe; Exists is false when there is none.
func (h *ClusterHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	clusters, err := listClusters(ctx, h.api)
	if err != nil {
		return resource.Observation{}, err
	}
	return clusterStatus.find(clusters, stack, address), nil
}
