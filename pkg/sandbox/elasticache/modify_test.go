package elasticache_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"
)

// TestModifyOverHTTP makes the changes kcstack plans as updates: a new
// password, more and fewer replicas, node type, engine version, security
// groups, windows and user groups, each followed by the SDK's waiter.
func TestModifyOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.auth()
	e.createGroup("prod-redis", 1)
	e.waitAvailable("prod-redis")

	u, err := e.ec.ModifyUser(e.ctx, &ec.ModifyUserInput{UserId: aws.String("prod-app-dev"), Passwords: []string{password + "-2", password}})
	e.must("ModifyUser", err)
	if aws.ToString(u.Status) != "modifying" || aws.ToInt32(u.Authentication.PasswordCount) != 2 {
		t.Errorf("ModifyUser answered %s with %d passwords, want modifying with 2", aws.ToString(u.Status), aws.ToInt32(u.Authentication.PasswordCount))
	}

	_, err = e.ec.IncreaseReplicaCount(e.ctx, &ec.IncreaseReplicaCountInput{ReplicationGroupId: aws.String("prod-redis"), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(2)})
	e.must("IncreaseReplicaCount", err)
	if g := e.waitAvailable("prod-redis"); len(g.MemberClusters) != 3 {
		t.Errorf("members after increase: %v, want 3", g.MemberClusters)
	}
	_, err = e.ec.DecreaseReplicaCount(e.ctx, &ec.DecreaseReplicaCountInput{ReplicationGroupId: aws.String("prod-redis"), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(1)})
	e.must("DecreaseReplicaCount", err)
	e.waitAvailable("prod-redis")
	if g := e.waitMembers("prod-redis", 2); !cmp.Equal(g, []string{"prod-redis-001", "prod-redis-002"}) {
		t.Errorf("members after decrease: %v", g)
	}

	sg2, err := e.ec2.CreateSecurityGroup(e.ctx, &awsec2.CreateSecurityGroupInput{VpcId: e.vpc(), GroupName: aws.String("redis-2"), Description: aws.String("redis")})
	e.must("CreateSecurityGroup", err)
	out, err := e.ec.ModifyReplicationGroup(e.ctx, &ec.ModifyReplicationGroupInput{ReplicationGroupId: aws.String("prod-redis"), ApplyImmediately: aws.Bool(true),
		CacheNodeType: aws.String("cache.r7g.large"), EngineVersion: aws.String("7.1"), SecurityGroupIds: []string{*sg2.GroupId},
		PreferredMaintenanceWindow: aws.String("mon:03:00-mon:04:00"), SnapshotRetentionLimit: aws.Int32(7), UserGroupIdsToRemove: []string{"prod-redis"}})
	e.must("ModifyReplicationGroup", err)
	pending := out.ReplicationGroup.PendingModifiedValues
	if aws.ToString(out.ReplicationGroup.Status) != "modifying" || pending == nil || pending.UserGroups == nil || !cmp.Equal(pending.UserGroups.UserGroupIdsToRemove, []string{"prod-redis"}) {
		t.Errorf("ModifyReplicationGroup answered %s, pending %+v", aws.ToString(out.ReplicationGroup.Status), pending)
	}
	g := e.waitAvailable("prod-redis")
	if aws.ToString(g.CacheNodeType) != "cache.r7g.large" || len(g.UserGroupIds) != 0 || aws.ToInt32(g.SnapshotRetentionLimit) != 7 {
		t.Errorf("after modify: node type %s, user groups %v, retention %d", aws.ToString(g.CacheNodeType), g.UserGroupIds, aws.ToInt32(g.SnapshotRetentionLimit))
	}
	cl, err := e.ec.DescribeCacheClusters(e.ctx, &ec.DescribeCacheClustersInput{CacheClusterId: aws.String("prod-redis-002")})
	e.must("DescribeCacheClusters", err)
	if c := cl.CacheClusters[0]; aws.ToString(c.SecurityGroups[0].SecurityGroupId) != *sg2.GroupId || aws.ToString(c.PreferredMaintenanceWindow) != "mon:03:00-mon:04:00" {
		t.Errorf("member cluster after modify: groups %+v, window %s", c.SecurityGroups, aws.ToString(c.PreferredMaintenanceWindow))
	}
	ug, err := e.ec.DescribeUserGroups(e.ctx, &ec.DescribeUserGroupsInput{UserGroupId: aws.String("prod-redis")})
	e.must("DescribeUserGroups", err)
	if len(ug.UserGroups[0].ReplicationGroups) != 0 {
		t.Errorf("user group still lists %v", ug.UserGroups[0].ReplicationGroups)
	}
	res, err := e.tagging.GetResources(e.ctx, &rgt.GetResourcesInput{ResourceTypeFilters: []string{"elasticache:usergroup", "elasticache:user"}})
	e.must("GetResources by type", err)
	if len(res.ResourceTagMappingList) != 3 {
		t.Errorf("tagged users and user groups: %d, want 3", len(res.ResourceTagMappingList))
	}
}

// waitMembers polls until the group has n members (removed replicas stay
// deleting for the delete delay).
func (e *env) waitMembers(id string, n int) []string {
	e.t.Helper()
	for range 200 {
		out, err := e.ec.DescribeReplicationGroups(e.ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)})
		e.must("DescribeReplicationGroups", err)
		if m := out.ReplicationGroups[0].MemberClusters; len(m) == n {
			return m
		}
		sleep()
	}
	e.t.Fatalf("replication group %s never had %d members", id, n)
	return nil
}

func (e *env) vpc() *string {
	out, err := e.ec2.DescribeSubnets(e.ctx, &awsec2.DescribeSubnetsInput{SubnetIds: e.subnets[:1]})
	e.must("DescribeSubnets", err)
	return out.Subnets[0].VpcId
}
