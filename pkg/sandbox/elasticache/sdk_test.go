package elasticache_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/elasticache"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/tagging"
)

// env is a sandbox with EC2, ElastiCache and the tagging API, and a VPC
// with two subnets in two zones and a security group.
type env struct {
	t       *testing.T
	ctx     context.Context
	ec      *ec.Client
	ec2     *awsec2.Client
	tagging *rgt.Client
	subnets []string
	sg      string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := sandboxtest.New(t, sandbox.WithServices(ec2.Service(), elasticache.Service(), tagging.Service()),
		sandbox.WithDelays(30*time.Millisecond, 30*time.Millisecond))
	cfg := sandboxtest.AWSConfig(t, srv)
	e := &env{t: t, ctx: context.Background(), ec: ec.NewFromConfig(cfg), ec2: awsec2.NewFromConfig(cfg), tagging: rgt.NewFromConfig(cfg)}
	e.network()
	return e
}

func ec2Client(t *testing.T, srv *sandbox.Server) *awsec2.Client {
	return awsec2.NewFromConfig(sandboxtest.AWSConfig(t, srv))
}

// network creates a VPC with two subnets in two zones and a security
// group.
func (e *env) network() {
	e.t.Helper()
	vpc, err := e.ec2.CreateVpc(e.ctx, &awsec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	e.must("CreateVpc", err)
	for i, zone := range []string{"eu-west-1a", "eu-west-1b"} {
		sn, err := e.ec2.CreateSubnet(e.ctx, &awsec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, AvailabilityZone: aws.String(zone),
			CidrBlock: aws.String([]string{"10.0.1.0/24", "10.0.2.0/24"}[i])})
		e.must("CreateSubnet", err)
		e.subnets = append(e.subnets, *sn.Subnet.SubnetId)
	}
	sg, err := e.ec2.CreateSecurityGroup(e.ctx, &awsec2.CreateSecurityGroupInput{VpcId: vpc.Vpc.VpcId,
		GroupName: aws.String("redis"), Description: aws.String("redis")})
	e.must("CreateSecurityGroup", err)
	e.sg = *sg.GroupId
}

// sleep pauses between polls of a state the SDK has no waiter for.
func sleep() { time.Sleep(10 * time.Millisecond) }

func (e *env) must(what string, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

func stackTag() []types.Tag {
	return []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}}
}

// fast shortens the delays of an ElastiCache waiter (AWS's start at 15 s).
func fast[T any](o *T) {
	lo, hi := 10*time.Millisecond, 50*time.Millisecond
	switch w := any(o).(type) {
	case *ec.ReplicationGroupAvailableWaiterOptions:
		w.MinDelay, w.MaxDelay = lo, hi
	case *ec.ReplicationGroupDeletedWaiterOptions:
		w.MinDelay, w.MaxDelay = lo, hi
	case *ec.CacheClusterAvailableWaiterOptions:
		w.MinDelay, w.MaxDelay = lo, hi
	}
}

const password = "correct-horse-battery-staple-1"

// auth creates the subnet group, a disabled default user, an application
// user and their active user group.
func (e *env) auth() {
	e.t.Helper()
	_, err := e.ec.CreateCacheSubnetGroup(e.ctx, &ec.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-redis"),
		CacheSubnetGroupDescription: aws.String("Redis"), SubnetIds: e.subnets, Tags: stackTag()})
	e.must("CreateCacheSubnetGroup", err)
	_, err = e.ec.CreateUser(e.ctx, &ec.CreateUserInput{UserId: aws.String("prod-default"), UserName: aws.String("default"),
		Engine: aws.String("redis"), AccessString: aws.String("off -@all"), Passwords: []string{password}, Tags: stackTag()})
	e.must("CreateUser default", err)
	_, err = e.ec.CreateUser(e.ctx, &ec.CreateUserInput{UserId: aws.String("prod-app-dev"), UserName: aws.String("app-dev"),
		Engine: aws.String("redis"), AccessString: aws.String("on ~app:* &app:* +@all -@dangerous"), Passwords: []string{password}, Tags: stackTag()})
	e.must("CreateUser app", err)
	ug, err := e.ec.CreateUserGroup(e.ctx, &ec.CreateUserGroupInput{UserGroupId: aws.String("prod-redis"), Engine: aws.String("redis"),
		UserIds: []string{"prod-default", "prod-app-dev"}, Tags: stackTag()})
	e.must("CreateUserGroup", err)
	if aws.ToString(ug.Status) != "creating" {
		e.t.Errorf("new user group is %s, want creating", aws.ToString(ug.Status))
	}
	e.waitUserGroup("prod-redis", "active")
}

// waitUserGroup polls until the user group has status (the SDK has no
// user group waiter).
func (e *env) waitUserGroup(id, status string) {
	e.t.Helper()
	for range 200 {
		out, err := e.ec.DescribeUserGroups(e.ctx, &ec.DescribeUserGroupsInput{UserGroupId: aws.String(id)})
		e.must("DescribeUserGroups", err)
		if aws.ToString(out.UserGroups[0].Status) == status {
			return
		}
		sleep()
	}
	e.t.Fatalf("user group %s never became %s", id, status)
}

func (e *env) createGroup(id string, replicas int32) *types.ReplicationGroup {
	e.t.Helper()
	out, err := e.ec.CreateReplicationGroup(e.ctx, &ec.CreateReplicationGroupInput{ReplicationGroupId: aws.String(id),
		ReplicationGroupDescription: aws.String("kcstack prod"), Engine: aws.String("redis"), EngineVersion: aws.String("7.1"),
		CacheNodeType: aws.String("cache.t4g.small"), ReplicasPerNodeGroup: aws.Int32(replicas),
		AutomaticFailoverEnabled: aws.Bool(replicas > 0), MultiAZEnabled: aws.Bool(replicas > 0),
		TransitEncryptionEnabled: aws.Bool(true), AtRestEncryptionEnabled: aws.Bool(true), UserGroupIds: []string{"prod-redis"},
		CacheSubnetGroupName: aws.String("prod-redis"), SecurityGroupIds: []string{e.sg}, SnapshotRetentionLimit: aws.Int32(1),
		SnapshotWindow: aws.String("02:00-03:00"), PreferredMaintenanceWindow: aws.String("sun:04:00-sun:05:00"), Tags: stackTag()})
	e.must("CreateReplicationGroup "+id, err)
	return out.ReplicationGroup
}

func (e *env) waitAvailable(id string) *types.ReplicationGroup {
	e.t.Helper()
	in := &ec.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(id)}
	out, err := ec.NewReplicationGroupAvailableWaiter(e.ec, fast).WaitForOutput(e.ctx, in, 10*time.Second)
	e.must("wait for replication group "+id, err)
	return &out.ReplicationGroups[0]
}

func TestReplicationGroupLifecycleOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.auth()
	created := e.createGroup("prod-redis", 1)
	if aws.ToString(created.Status) != "creating" || created.NodeGroups[0].PrimaryEndpoint != nil {
		t.Errorf("new group is %s with endpoint %v, want creating without endpoint", aws.ToString(created.Status), created.NodeGroups[0].PrimaryEndpoint)
	}
	if _, err := e.ec.DeleteUserGroup(e.ctx, &ec.DeleteUserGroupInput{UserGroupId: aws.String("prod-redis")}); sandboxtest.Failure(err) != "InvalidUserGroupState 400" {
		t.Errorf("DeleteUserGroup in use: %v, want InvalidUserGroupState 400", err)
	}
	g := e.waitAvailable("prod-redis")
	ng := g.NodeGroups[0]
	want := map[string]string{
		"primary":   "master.prod-redis.",
		"reader":    "replica.prod-redis.",
		"members":   "prod-redis-001 prod-redis-002",
		"failover":  "enabled enabled",
		"roles":     "primary replica",
		"zones":     "eu-west-1a eu-west-1b",
		"encrypted": "true true required",
	}
	got := map[string]string{
		"primary":   strings.TrimSuffix(aws.ToString(ng.PrimaryEndpoint.Address), hostSuffix(ng.PrimaryEndpoint)),
		"reader":    strings.TrimSuffix(aws.ToString(ng.ReaderEndpoint.Address), hostSuffix(ng.ReaderEndpoint)),
		"members":   strings.Join(g.MemberClusters, " "),
		"failover":  string(g.AutomaticFailover) + " " + string(g.MultiAZ),
		"roles":     aws.ToString(ng.NodeGroupMembers[0].CurrentRole) + " " + aws.ToString(ng.NodeGroupMembers[1].CurrentRole),
		"zones":     aws.ToString(ng.NodeGroupMembers[0].PreferredAvailabilityZone) + " " + aws.ToString(ng.NodeGroupMembers[1].PreferredAvailabilityZone),
		"encrypted": strings.ToLower(aws.ToString(boolString(g.TransitEncryptionEnabled))+" "+aws.ToString(boolString(g.AtRestEncryptionEnabled))) + " " + string(g.TransitEncryptionMode),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("available group (-want +got):\n%s", diff)
	}
	if p := aws.ToInt32(ng.PrimaryEndpoint.Port); p != 6379 || !strings.HasSuffix(aws.ToString(ng.PrimaryEndpoint.Address), ".euw1.cache.amazonaws.com") {
		t.Errorf("primary endpoint %s:%d, want <label>.euw1.cache.amazonaws.com:6379", aws.ToString(ng.PrimaryEndpoint.Address), p)
	}
	e.checkMemberClusters()
	e.checkTags(g)
	del, err := e.ec.DeleteReplicationGroup(e.ctx, &ec.DeleteReplicationGroupInput{ReplicationGroupId: aws.String("prod-redis"),
		FinalSnapshotIdentifier: aws.String("prod-redis-final")}, func(o *ec.Options) { o.RetryMaxAttempts = 1 })
	e.must("DeleteReplicationGroup", err)
	if aws.ToString(del.ReplicationGroup.Status) != "deleting" {
		t.Errorf("deleted group is %s, want deleting", aws.ToString(del.ReplicationGroup.Status))
	}
	err = ec.NewReplicationGroupDeletedWaiter(e.ec, fast).Wait(e.ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String("prod-redis")}, 10*time.Second)
	e.must("wait for deletion", err)
	snaps, err := e.ec.DescribeSnapshots(e.ctx, &ec.DescribeSnapshotsInput{ReplicationGroupId: aws.String("prod-redis")})
	e.must("DescribeSnapshots", err)
	if len(snaps.Snapshots) != 1 || aws.ToString(snaps.Snapshots[0].SnapshotName) != "prod-redis-final" || aws.ToString(snaps.Snapshots[0].EngineVersion) != "7.1" {
		t.Errorf("final snapshots %+v, want prod-redis-final of engine 7.1", snaps.Snapshots)
	}
	e.createGroup("prod-redis", 1)
	e.waitAvailable("prod-redis")
	_, err = e.ec.DeleteReplicationGroup(e.ctx, &ec.DeleteReplicationGroupInput{ReplicationGroupId: aws.String("prod-redis"), FinalSnapshotIdentifier: aws.String("prod-redis-final")})
	if sandboxtest.Failure(err) != "SnapshotAlreadyExistsFault 400" {
		t.Errorf("DeleteReplicationGroup with a taken snapshot name: %v, want SnapshotAlreadyExistsFault 400", err)
	}
	_, err = e.ec.DeleteReplicationGroup(e.ctx, &ec.DeleteReplicationGroupInput{ReplicationGroupId: aws.String("prod-redis")})
	e.must("DeleteReplicationGroup without snapshot", err)
	e.must("wait for deletion", ec.NewReplicationGroupDeletedWaiter(e.ec, fast).Wait(e.ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String("prod-redis")}, 10*time.Second))
	e.teardownAuth()
}

func hostSuffix(ep *types.Endpoint) string {
	addr := aws.ToString(ep.Address)
	parts := strings.SplitN(addr, ".", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

func boolString(b *bool) *string {
	if b == nil {
		return nil
	}
	if *b {
		return aws.String("true")
	}
	return aws.String("false")
}

// checkMemberClusters checks what AWS shows only on the member clusters.
func (e *env) checkMemberClusters() {
	e.t.Helper()
	err := ec.NewCacheClusterAvailableWaiter(e.ec, fast).Wait(e.ctx, &ec.DescribeCacheClustersInput{CacheClusterId: aws.String("prod-redis-002")}, 10*time.Second)
	e.must("wait for member cluster", err)
	out, err := e.ec.DescribeCacheClusters(e.ctx, &ec.DescribeCacheClustersInput{CacheClusterId: aws.String("prod-redis-001"), ShowCacheNodeInfo: aws.Bool(true)})
	e.must("DescribeCacheClusters", err)
	cl := out.CacheClusters[0]
	got := []string{aws.ToString(cl.EngineVersion), aws.ToString(cl.CacheParameterGroup.CacheParameterGroupName), aws.ToString(cl.CacheSubnetGroupName),
		aws.ToString(cl.PreferredMaintenanceWindow), aws.ToString(cl.SecurityGroups[0].SecurityGroupId), aws.ToString(cl.ReplicationGroupId)}
	want := []string{"7.1", "default.redis7", "prod-redis", "sun:04:00-sun:05:00", e.sg, "prod-redis"}
	if diff := cmp.Diff(want, got); diff != "" || len(cl.CacheNodes) != 1 || cl.CacheNodes[0].Endpoint == nil {
		e.t.Errorf("member cluster (-want +got):\n%s\nnodes %+v", diff, cl.CacheNodes)
	}
	if _, err := e.ec.DescribeCacheClusters(e.ctx, &ec.DescribeCacheClustersInput{CacheClusterId: aws.String("nope")}); sandboxtest.Failure(err) != "CacheClusterNotFound 404" {
		e.t.Errorf("DescribeCacheClusters of an unknown id: %v, want CacheClusterNotFound 404", err)
	}
	// The replication group's interfaces keep its subnets and group busy.
	if _, err := e.ec2.DeleteSecurityGroup(e.ctx, &awsec2.DeleteSecurityGroupInput{GroupId: aws.String(e.sg)}); sandboxtest.Code(err) != "DependencyViolation" {
		e.t.Errorf("DeleteSecurityGroup in use by the replication group: %v, want DependencyViolation", err)
	}
	enis, err := e.ec2.DescribeNetworkInterfaces(e.ctx, &awsec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: []string{e.sg}}}})
	e.must("DescribeNetworkInterfaces", err)
	if len(enis.NetworkInterfaces) != 2 {
		e.t.Errorf("%d network interfaces in the group, want one per member (2)", len(enis.NetworkInterfaces))
	}
}

// checkTags checks tags by ARN and the tagging API's view.
func (e *env) checkTags(g *types.ReplicationGroup) {
	e.t.Helper()
	_, err := e.ec.AddTagsToResource(e.ctx, &ec.AddTagsToResourceInput{ResourceName: g.ARN, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("id")}}})
	e.must("AddTagsToResource", err)
	_, err = e.ec.RemoveTagsFromResource(e.ctx, &ec.RemoveTagsFromResourceInput{ResourceName: g.ARN, TagKeys: []string{"team"}})
	e.must("RemoveTagsFromResource", err)
	tags, err := e.ec.ListTagsForResource(e.ctx, &ec.ListTagsForResourceInput{ResourceName: g.ARN})
	e.must("ListTagsForResource", err)
	if len(tags.TagList) != 1 || aws.ToString(tags.TagList[0].Key) != "kcstack:stack" {
		e.t.Errorf("tags %+v, want kcstack:stack only", tags.TagList)
	}
	res, err := e.tagging.GetResources(e.ctx, &rgt.GetResourcesInput{ResourceTypeFilters: []string{"elasticache"}})
	e.must("GetResources", err)
	var arns []string
	for _, m := range res.ResourceTagMappingList {
		arns = append(arns, aws.ToString(m.ResourceARN))
	}
	prefix := "arn:aws:elasticache:eu-west-1:123456789012:"
	want := []string{prefix + "replicationgroup:prod-redis", prefix + "subnetgroup:prod-redis", prefix + "user:prod-app-dev",
		prefix + "user:prod-default", prefix + "usergroup:prod-redis"}
	if diff := cmp.Diff(want, arns); diff != "" {
		e.t.Errorf("tagging API (-want +got):\n%s", diff)
	}
	if _, err := e.ec.ListTagsForResource(e.ctx, &ec.ListTagsForResourceInput{ResourceName: aws.String(prefix + "replicationgroup:nope")}); sandboxtest.Failure(err) != "ReplicationGroupNotFoundFault 404" {
		e.t.Errorf("ListTagsForResource of an unknown group: %v, want ReplicationGroupNotFoundFault 404", err)
	}
	if _, err := e.ec.ListTagsForResource(e.ctx, &ec.ListTagsForResourceInput{ResourceName: aws.String("prod-redis")}); sandboxtest.Failure(err) != "InvalidARN 400" {
		e.t.Errorf("ListTagsForResource of a bare name: %v, want InvalidARN 400", err)
	}
}

// teardownAuth deletes the user group, users and subnet group.
func (e *env) teardownAuth() {
	e.t.Helper()
	_, err := e.ec.DeleteUserGroup(e.ctx, &ec.DeleteUserGroupInput{UserGroupId: aws.String("prod-redis")})
	e.must("DeleteUserGroup", err)
	for range 200 {
		if _, err = e.ec.DescribeUserGroups(e.ctx, &ec.DescribeUserGroupsInput{UserGroupId: aws.String("prod-redis")}); err != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if sandboxtest.Failure(err) != "UserGroupNotFound 404" {
		e.t.Fatalf("user group after delete: %v, want UserGroupNotFound 404", err)
	}
	for _, id := range []string{"prod-default", "prod-app-dev"} {
		_, err := e.ec.DeleteUser(e.ctx, &ec.DeleteUserInput{UserId: aws.String(id)})
		e.must("DeleteUser "+id, err)
	}
	_, err = e.ec.DeleteCacheSubnetGroup(e.ctx, &ec.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-redis")})
	e.must("DeleteCacheSubnetGroup", err)
}
