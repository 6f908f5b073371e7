package elasticache_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/elasticache"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestPaginatorsOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.auth()
	want := []string{"default", "prod-app-dev", "prod-default"}
	for i := range 22 {
		id := fmt.Sprintf("user-%02d", i)
		_, err := e.ec.CreateUser(e.ctx, &ec.CreateUserInput{UserId: aws.String(id), UserName: aws.String(id), Engine: aws.String("redis"),
			AccessString: aws.String("on ~* +@all"), NoPasswordRequired: aws.Bool(true)})
		e.must("CreateUser", err)
		want = append(want, id)
	}
	users := ec.NewDescribeUsersPaginator(e.ec, &ec.DescribeUsersInput{MaxRecords: aws.Int32(20)})
	sandboxtest.CheckPages(t, "DescribeUsers", want, 2, users.HasMorePages, users.NextPage,
		func(o *ec.DescribeUsersOutput) []types.User { return o.Users }, func(u types.User) *string { return u.UserId })
	var groups []string
	for i := range 21 {
		id := fmt.Sprintf("rg-%02d", i)
		_, err := e.ec.CreateReplicationGroup(e.ctx, &ec.CreateReplicationGroupInput{ReplicationGroupId: aws.String(id),
			ReplicationGroupDescription: aws.String("x"), CacheSubnetGroupName: aws.String("prod-redis")})
		e.must("CreateReplicationGroup", err)
		groups = append(groups, id)
	}
	rgs := ec.NewDescribeReplicationGroupsPaginator(e.ec, &ec.DescribeReplicationGroupsInput{MaxRecords: aws.Int32(20)})
	sandboxtest.CheckPages(t, "DescribeReplicationGroups", groups, 2, rgs.HasMorePages, rgs.NextPage,
		func(o *ec.DescribeReplicationGroupsOutput) []types.ReplicationGroup { return o.ReplicationGroups },
		func(g types.ReplicationGroup) *string { return g.ReplicationGroupId })
	var members []string
	for _, g := range groups {
		members = append(members, g+"-001")
	}
	clusters := ec.NewDescribeCacheClustersPaginator(e.ec, &ec.DescribeCacheClustersInput{MaxRecords: aws.Int32(20)})
	sandboxtest.CheckPages(t, "DescribeCacheClusters", members, 2, clusters.HasMorePages, clusters.NextPage,
		func(o *ec.DescribeCacheClustersOutput) []types.CacheCluster { return o.CacheClusters },
		func(c types.CacheCluster) *string { return c.CacheClusterId })
}

func TestStateSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	opts := []sandbox.Option{sandbox.WithServices(ec2.Service(), elasticache.Service()), sandbox.WithStateFile(path),
		sandbox.WithDelays(30*time.Millisecond, 30*time.Millisecond)}
	srv, err := sandbox.Start(opts...)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: context.Background(), ec: ec.NewFromConfig(sandboxtest.AWSConfig(t, srv))}
	e.ec2 = ec2Client(t, srv)
	e.network()
	e.auth()
	before := e.createGroup("prod-redis", 1)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv2 := sandboxtest.New(t, opts...)
	e.ec = ec.NewFromConfig(sandboxtest.AWSConfig(t, srv2))
	after := e.waitAvailable("prod-redis")
	if aws.ToString(after.ARN) != aws.ToString(before.ARN) || len(after.MemberClusters) != 2 || len(after.UserGroupIds) != 1 {
		t.Errorf("after restart: %+v", after)
	}
	users, err := e.ec.DescribeUsers(e.ctx, &ec.DescribeUsersInput{UserId: aws.String("prod-default")})
	e.must("DescribeUsers after restart", err)
	if u := users.Users[0]; aws.ToString(u.AccessString) != "off -@all" || aws.ToInt32(u.Authentication.PasswordCount) != 1 {
		t.Errorf("default user after restart: %s, %d passwords", aws.ToString(u.AccessString), aws.ToInt32(u.Authentication.PasswordCount))
	}
}
