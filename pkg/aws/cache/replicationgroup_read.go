package cache

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// describe returns group id, nil when it does not exist.
func (h *ReplicationGroupHandler) describe(ctx context.Context, id string) (*types.ReplicationGroup, error) {
	out, err := h.API.DescribeReplicationGroups(ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
	return one(err, codeReplicationGroupNotFound, "replication group", id, func() []types.ReplicationGroup { return out.ReplicationGroups })
}

// reading is how the handler reads replication groups.
func (h *ReplicationGroupHandler) reading() reading[types.ReplicationGroup] {
	return reading[types.ReplicationGroup]{
		noun: h.noun, describe: h.describe, ready: ready, wait: h.WaitOr(groupWait),
		status: func(g *types.ReplicationGroup) string { return aws.ToString(g.Status) },
		arn:    func(g *types.ReplicationGroup) string { return aws.ToString(g.ARN) },
	}
}

// primary returns the cache cluster of g's primary (its first member
// when no member is marked primary), nil when g has none yet.
func (h *ReplicationGroupHandler) primary(ctx context.Context, g types.ReplicationGroup) (*types.CacheCluster, error) {
	id := primaryID(g)
	if id == "" {
		return nil, nil
	}
	out, err := h.API.DescribeCacheClusters(ctx, &ec.DescribeCacheClustersInput{CacheClusterId: aws.String(id)})
	if awserr.Is(err, codeClusterNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe cache cluster %s of replication group %s: %w", id, aws.ToString(g.ReplicationGroupId), err)
	}
	if len(out.CacheClusters) == 0 {
		return nil, nil
	}
	return &out.CacheClusters[0], nil
}

// primaryID is the cache cluster id of g's primary, or of its first
// member.
func primaryID(g types.ReplicationGroup) string {
	for _, ng := range g.NodeGroups {
		for _, m := range ng.NodeGroupMembers {
			if aws.ToString(m.CurrentRole) == "primary" {
				return aws.ToString(m.CacheClusterId)
			}
		}
	}
	if len(g.MemberClusters) > 0 {
		return g.MemberClusters[0]
	}
	return ""
}

// ready reports whether g is available with nothing pending.
func ready(g *types.ReplicationGroup) bool {
	if aws.ToString(g.Status) != "available" {
		return false
	}
	p := g.PendingModifiedValues
	return p == nil || p.UserGroups == nil && p.Resharding == nil && p.AutomaticFailoverStatus == ""
}

// waitAvailable waits until group id is available and returns it at
// address, with its primary's cluster and its tags.
func (h *ReplicationGroupHandler) waitAvailable(ctx context.Context, id, address string) (resource.Observation, error) {
	g, err := h.reading().waitReady(ctx, id)
	if err != nil {
		return resource.Observation{}, err
	}
	return h.observe(ctx, *g, address)
}

// observe reads g's primary cluster and tags into its observation.
func (h *ReplicationGroupHandler) observe(ctx context.Context, g types.ReplicationGroup, address string) (resource.Observation, error) {
	c, err := h.primary(ctx, g)
	if err != nil {
		return resource.Observation{}, err
	}
	tags, err := listTags(ctx, h.API, aws.ToString(g.ARN))
	if err != nil {
		return resource.Observation{}, err
	}
	return replicationGroupObservation(g, c, tags, address, h.Stack), nil
}
