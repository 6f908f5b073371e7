package aurora

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// describe returns the cluster id, nil when it does not exist.
func (h *ClusterHandler) describe(ctx context.Context, id string) (*types.DBCluster, error) {
	out, err := h.api.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: ptr(id)})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe DB cluster %s: %w", id, err)
	}
	if len(out.DBClusters) == 0 {
		return nil, nil
	}
	return &out.DBClusters[0], nil
}

// waitAvailable waits until the cluster is available with no pending
// engine version (version, when set, is the one it must reach).
func (h *ClusterHandler) waitAvailable(ctx context.Context, id string, version *string) (*types.DBCluster, error) {
	var last *types.DBCluster
	err := poll.Until(ctx, "DB cluster "+id+" to become available", h.wait, func(ctx context.Context) (bool, string, error) {
		c, err := h.describe(ctx, id)
		if err != nil || c == nil {
			return false, "not found yet", err
		}
		last = c
		return clusterReady(c, version), deref(c.Status), nil
	})
	return last, err
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
	return poll.Until(ctx, "DB cluster "+id+" to be deleted", h.wait, func(ctx context.Context) (bool, string, error) {
		c, err := h.describe(ctx, id)
		if err != nil || c == nil {
			return c == nil && err == nil, "deleted", err
		}
		return false, deref(c.Status), nil
	})
}

// FindByAddress finds the cluster of stack tagged with address, with one
// paginated describe; Exists is false when there is none.
func (h *ClusterHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	clusters, err := listClusters(ctx, h.api)
	if err != nil {
		return resource.Observation{}, err
	}
	for _, c := range clusters {
		tags := tagMap(c.TagList)
		if tags[resource.TagStack] == stack && tags[resource.TagAddress] == address {
			return clusterObservation(c, stack, address), nil
		}
	}
	return resource.Observation{Address: address, Kind: resource.KindDBCluster}, nil
}
