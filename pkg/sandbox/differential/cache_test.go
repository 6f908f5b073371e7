package differential_test

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// cache is the ElastiCache half: what kcstack's Redis creates, reads and
// deletes. moto has no user groups (it answers 500): the steps that use
// them are recorded, and the replication group goes without them so both
// sides can create it.
func (r *run) cache(n network) {
	c, ctx := r.ec, r.ctx
	group, id := r.name+"-redis", r.name+"-redis"
	tags := []ectypes.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String(r.name)}}
	sgIn := &ec.CreateCacheSubnetGroupInput{CacheSubnetGroupName: &group, CacheSubnetGroupDescription: aws.String("Redis"),
		SubnetIds: []string{n.subnetA, n.subnetB}, Tags: tags}
	res(c.CreateCacheSubnetGroup(ctx, sgIn)).must(r, "CreateCacheSubnetGroup")
	res(c.CreateCacheSubnetGroup(ctx, sgIn)).record(r, "CreateCacheSubnetGroup duplicate")
	res(c.DescribeCacheSubnetGroups(ctx, &ec.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: &group})).record(r, "DescribeCacheSubnetGroups")
	res(c.DescribeCacheSubnetGroups(ctx, &ec.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String("no-such-group")})).record(r, "DescribeCacheSubnetGroups unknown")

	defaultUser, appUser := r.name+"-default", r.name+"-app"
	userIn := func(id, name, access string) *ec.CreateUserInput {
		return &ec.CreateUserInput{UserId: aws.String(id), UserName: aws.String(name), Engine: aws.String("redis"),
			AccessString: aws.String(access), Passwords: []string{"differential-test-password-0001"}, Tags: tags}
	}
	res(c.CreateUser(ctx, userIn(defaultUser, "default", "off -@all"))).must(r, "CreateUser default")
	res(c.CreateUser(ctx, userIn(appUser, "app", "on ~app:* +@all -@dangerous"))).must(r, "CreateUser")
	res(c.CreateUser(ctx, userIn(appUser, "app", "on ~app:* +@all -@dangerous"))).record(r, "CreateUser duplicate")
	res(c.DescribeUsers(ctx, &ec.DescribeUsersInput{UserId: &appUser})).record(r, "DescribeUsers")
	res(c.DescribeUsers(ctx, &ec.DescribeUsersInput{UserId: aws.String("no-such-user")})).record(r, "DescribeUsers unknown")
	res(c.CreateUserGroup(ctx, &ec.CreateUserGroupInput{UserGroupId: &group, Engine: aws.String("redis"),
		UserIds: []string{defaultUser, appUser}, Tags: tags})).record(r, "CreateUserGroup")
	res(c.DescribeUserGroups(ctx, &ec.DescribeUserGroupsInput{UserGroupId: &group})).record(r, "DescribeUserGroups")

	rgIn := &ec.CreateReplicationGroupInput{ReplicationGroupId: &id, ReplicationGroupDescription: aws.String("Redis"),
		Engine: aws.String("redis"), EngineVersion: aws.String("7.1"), CacheNodeType: aws.String("cache.t4g.small"),
		NumCacheClusters: aws.Int32(2), AutomaticFailoverEnabled: aws.Bool(true), MultiAZEnabled: aws.Bool(true),
		TransitEncryptionEnabled: aws.Bool(true), AtRestEncryptionEnabled: aws.Bool(true), CacheSubnetGroupName: &group,
		SecurityGroupIds: []string{n.group}, Tags: tags}
	created := res(c.CreateReplicationGroup(ctx, rgIn)).must(r, "CreateReplicationGroup")
	res(c.CreateReplicationGroup(ctx, rgIn)).record(r, "CreateReplicationGroup duplicate")
	fast := func(o *ec.ReplicationGroupAvailableWaiterOptions) { o.MinDelay = 10 * time.Millisecond }
	r.wait("ReplicationGroupAvailable", ec.NewReplicationGroupAvailableWaiter(c, fast).Wait(ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: &id}, waitMax))
	res(c.DescribeReplicationGroups(ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: &id})).record(r, "DescribeReplicationGroups")
	res(c.DescribeReplicationGroups(ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String("no-such-group")})).record(r, "DescribeReplicationGroups unknown")
	res(c.ListTagsForResource(ctx, &ec.ListTagsForResourceInput{ResourceName: created.ReplicationGroup.ARN})).record(r, "ListTagsForResource")
	res(c.DeleteReplicationGroup(ctx, &ec.DeleteReplicationGroupInput{ReplicationGroupId: &id, FinalSnapshotIdentifier: aws.String(id + "-final")})).record(r, "DeleteReplicationGroup")
	r.waitGroupDeleted(id)
	res(c.DescribeReplicationGroups(ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: &id})).record(r, "DescribeReplicationGroups deleted")

	res(c.DeleteUserGroup(ctx, &ec.DeleteUserGroupInput{UserGroupId: &group})).record(r, "DeleteUserGroup")
	r.waitUserGroupGone(group)
	res(c.DeleteUser(ctx, &ec.DeleteUserInput{UserId: &appUser})).record(r, "DeleteUser")
	res(c.DeleteUser(ctx, &ec.DeleteUserInput{UserId: &defaultUser})).record(r, "DeleteUser default")
	res(c.DeleteUser(ctx, &ec.DeleteUserInput{UserId: aws.String("no-such-user")})).record(r, "DeleteUser unknown")
	res(c.DeleteCacheSubnetGroup(ctx, &ec.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: &group})).record(r, "DeleteCacheSubnetGroup")
}

// waitGroupDeleted waits with the SDK's waiter until the replication
// group is gone; moto 5.2.1 keeps a deleted group "deleting" for ever, so
// on moto that status is enough.
func (r *run) waitGroupDeleted(id string) {
	r.t.Helper()
	in := &ec.DescribeReplicationGroupsInput{ReplicationGroupId: &id}
	if r.side != "moto" {
		fast := func(o *ec.ReplicationGroupDeletedWaiterOptions) { o.MinDelay = 10 * time.Millisecond }
		r.wait("ReplicationGroupDeleted", ec.NewReplicationGroupDeletedWaiter(r.ec, fast).Wait(r.ctx, in, waitMax))
		return
	}
	out, err := r.ec.DescribeReplicationGroups(r.ctx, in)
	if err == nil && aws.ToString(out.ReplicationGroups[0].Status) != "deleting" {
		r.t.Fatalf("moto: deleted replication group %s is %s", id, aws.ToString(out.ReplicationGroups[0].Status))
	}
}

// waitUserGroupGone polls until DescribeUserGroups fails (not recorded:
// the sandbox keeps a deleting group for its delete delay; moto fails at
// once).
func (r *run) waitUserGroupGone(id string) {
	r.t.Helper()
	deadline := time.Now().Add(waitMax)
	for {
		if _, err := r.ec.DescribeUserGroups(r.ctx, &ec.DescribeUserGroupsInput{UserGroupId: &id}); err != nil {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: user group %s still there after %s", r.side, id, waitMax)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
