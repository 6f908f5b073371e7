package elasticache

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// memberGroup returns the replication group a cache cluster id belongs
// to, nil when there is none.
func (r *Region) memberGroup(id string) *ReplicationGroup {
	for _, g := range r.Groups {
		for _, m := range g.Members {
			if m.ID == id {
				return g
			}
		}
	}
	return nil
}

// clusterView is a member cluster as DescribeCacheClusters shows it: the
// engine version, parameter group, subnet group, security groups and
// maintenance window of a replication group live on its clusters.
func (r *Region) clusterView(c *api.Call, g *ReplicationGroup, m *Member, nodes bool) types.CacheCluster {
	v := types.CacheCluster{
		CacheClusterId: aws.String(m.ID), ARN: aws.String(arn(c, "cluster", m.ID)), ReplicationGroupId: aws.String(g.ID),
		CacheClusterStatus: aws.String(m.Status), CacheClusterCreateTime: aws.Time(m.Created), CacheNodeType: aws.String(g.NodeType),
		Engine: aws.String(g.Engine), EngineVersion: aws.String(g.EngineVersion), NumCacheNodes: aws.Int32(1),
		PreferredAvailabilityZone: aws.String(m.Zone), PreferredMaintenanceWindow: aws.String(g.MaintenanceWindow),
		CacheSubnetGroupName: aws.String(g.SubnetGroup), AutoMinorVersionUpgrade: aws.Bool(g.AutoMinorUpgrade),
		CacheParameterGroup: &types.CacheParameterGroupStatus{CacheParameterGroupName: aws.String(g.ParameterGroup),
			ParameterApplyStatus: aws.String("in-sync"), CacheNodeIdsToReboot: []string{}},
		SnapshotRetentionLimit: aws.Int32(g.SnapshotRetention), SnapshotWindow: aws.String(g.SnapshotWindow),
		TransitEncryptionEnabled: aws.Bool(g.TransitEncryption), AtRestEncryptionEnabled: aws.Bool(g.AtRestEncryption),
		AuthTokenEnabled: aws.Bool(g.AuthToken), NetworkType: types.NetworkTypeIpv4, IpDiscovery: types.IpDiscoveryIpv4,
		ReplicationGroupLogDeliveryEnabled: aws.Bool(false), SecurityGroups: []types.SecurityGroupMembership{},
		CacheSecurityGroups: []types.CacheSecurityGroupMembership{}, LogDeliveryConfigurations: []types.LogDeliveryConfiguration{},
		PendingModifiedValues: &types.PendingModifiedValues{},
	}
	if g.TransitEncryption {
		v.TransitEncryptionMode = types.TransitEncryptionModeRequired
	}
	for _, id := range g.SecurityGroupIDs {
		v.SecurityGroups = append(v.SecurityGroups, types.SecurityGroupMembership{SecurityGroupId: aws.String(id), Status: aws.String("active")})
	}
	if nodes {
		node := types.CacheNode{CacheNodeId: aws.String("0001"), CacheNodeStatus: aws.String(m.Status),
			CacheNodeCreateTime: aws.Time(m.Created), CustomerAvailabilityZone: aws.String(m.Zone), ParameterGroupStatus: aws.String("in-sync")}
		if m.Status != statusCreating {
			node.Endpoint = &types.Endpoint{Address: aws.String(r.endpointHost(c, m.ID, g.ID)), Port: aws.Int32(g.Port)}
		}
		v.CacheNodes = []types.CacheNode{node}
	}
	return v
}

func describeCacheClusters(c *api.Call, in *elasticache.DescribeCacheClustersInput) (*elasticache.DescribeCacheClustersOutput, error) {
	r := region(c)
	nodes := aws.ToBool(in.ShowCacheNodeInfo)
	var clusters []types.CacheCluster
	if in.CacheClusterId != nil {
		id := lower(*in.CacheClusterId)
		g := r.memberGroup(id)
		if g == nil {
			return nil, errNotFound(codeClusterNotFound, "CacheCluster", *in.CacheClusterId)
		}
		for _, m := range g.Members {
			if m.ID == id {
				clusters = append(clusters, r.clusterView(c, g, m, nodes))
			}
		}
	} else if !aws.ToBool(in.ShowCacheClustersNotInReplicationGroups) {
		for _, gid := range sortedKeys(r.Groups) {
			for _, m := range r.Groups[gid].Members {
				clusters = append(clusters, r.clusterView(c, r.Groups[gid], m, nodes))
			}
		}
	}
	out, marker, err := pageOf(clusters, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &elasticache.DescribeCacheClustersOutput{CacheClusters: out, Marker: marker}, nil
}
