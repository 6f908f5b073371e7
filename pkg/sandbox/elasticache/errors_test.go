package elasticache_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestErrorsOverHTTP checks the refusals with the codes and HTTP statuses
// of the ElastiCache model, which the SDK maps to its typed errors.
func TestErrorsOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.auth()
	e.createGroup("prod-redis", 1)
	user := func(id, name string, passwords ...string) func() error {
		return func() error {
			_, err := e.ec.CreateUser(e.ctx, &ec.CreateUserInput{UserId: aws.String(id), UserName: aws.String(name),
				Engine: aws.String("redis"), AccessString: aws.String("on ~* +@all"), Passwords: passwords})
			return err
		}
	}
	group := func(mutate func(*ec.CreateReplicationGroupInput)) func() error {
		return func() error {
			in := &ec.CreateReplicationGroupInput{ReplicationGroupId: aws.String("other"), ReplicationGroupDescription: aws.String("x"),
				CacheSubnetGroupName: aws.String("prod-redis"), CacheNodeType: aws.String("cache.t4g.small"), NumCacheClusters: aws.Int32(2),
				AutomaticFailoverEnabled: aws.Bool(true), TransitEncryptionEnabled: aws.Bool(true)}
			mutate(in)
			_, err := e.ec.CreateReplicationGroup(e.ctx, in)
			return err
		}
	}
	cases := []struct {
		name, want string
		call       func() error
	}{
		{"user exists", "UserAlreadyExists 400", user("prod-app-dev", "app-dev", password)},
		{"user id with two hyphens", "InvalidParameterValue 400", user("a--b", "x", password)},
		{"user id starting with a digit", "InvalidParameterValue 400", user("1abc", "x", password)},
		{"short password", "InvalidParameterValue 400", user("short", "x", "fifteen-chars!!")},
		{"three passwords", "InvalidParameterValue 400", user("many", "x", password, password, password)},
		{"no password", "InvalidParameterValue 400", user("nopass", "x")},
		{"password and no password", "InvalidParameterCombination 400", func() error {
			_, err := e.ec.CreateUser(e.ctx, &ec.CreateUserInput{UserId: aws.String("both"), UserName: aws.String("x"), Engine: aws.String("redis"),
				AccessString: aws.String("on ~* +@all"), Passwords: []string{password}, NoPasswordRequired: aws.Bool(true)})
			return err
		}},
		{"bad access string", "InvalidParameterValue 400", func() error {
			_, err := e.ec.CreateUser(e.ctx, &ec.CreateUserInput{UserId: aws.String("bad"), UserName: aws.String("x"), Engine: aws.String("redis"),
				AccessString: aws.String("on keys:* +@all"), NoPasswordRequired: aws.Bool(true)})
			return err
		}},
		{"unknown user", "UserNotFound 404", func() error {
			_, err := e.ec.DescribeUsers(e.ctx, &ec.DescribeUsersInput{UserId: aws.String("nope")})
			return err
		}},
		{"built-in default user", "InvalidParameterValue 400", func() error {
			_, err := e.ec.DeleteUser(e.ctx, &ec.DeleteUserInput{UserId: aws.String("default")})
			return err
		}},
		{"default user of a group", "DefaultUserAssociatedToUserGroup 400", func() error {
			_, err := e.ec.DeleteUser(e.ctx, &ec.DeleteUserInput{UserId: aws.String("prod-default")})
			return err
		}},
		{"user group without default user", "DefaultUserRequired 400", func() error {
			_, err := e.ec.CreateUserGroup(e.ctx, &ec.CreateUserGroupInput{UserGroupId: aws.String("nodefault"), Engine: aws.String("redis"), UserIds: []string{"prod-app-dev"}})
			return err
		}},
		{"user group with two users named default", "DuplicateUserName 400", func() error {
			_, err := e.ec.CreateUserGroup(e.ctx, &ec.CreateUserGroupInput{UserGroupId: aws.String("twodefaults"), Engine: aws.String("redis"), UserIds: []string{"default", "prod-default"}})
			return err
		}},
		{"user group of an unknown user", "UserNotFound 404", func() error {
			_, err := e.ec.CreateUserGroup(e.ctx, &ec.CreateUserGroupInput{UserGroupId: aws.String("unknown"), Engine: aws.String("redis"), UserIds: []string{"default", "nope"}})
			return err
		}},
		{"user group exists", "UserGroupAlreadyExists 400", func() error {
			_, err := e.ec.CreateUserGroup(e.ctx, &ec.CreateUserGroupInput{UserGroupId: aws.String("prod-redis"), Engine: aws.String("redis"), UserIds: []string{"default"}})
			return err
		}},
		{"unknown user group", "UserGroupNotFound 404", func() error {
			_, err := e.ec.DescribeUserGroups(e.ctx, &ec.DescribeUserGroupsInput{UserGroupId: aws.String("nope")})
			return err
		}},
		{"replication group exists", "ReplicationGroupAlreadyExists 400", group(func(in *ec.CreateReplicationGroupInput) { in.ReplicationGroupId = aws.String("prod-redis") })},
		{"unknown replication group", "ReplicationGroupNotFoundFault 404", func() error {
			_, err := e.ec.DescribeReplicationGroups(e.ctx, &ec.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String("nope")})
			return err
		}},
		{"failover without replica", "InvalidParameterCombination 400", group(func(in *ec.CreateReplicationGroupInput) { in.NumCacheClusters = aws.Int32(1) })},
		{"multi-az without failover", "InvalidParameterCombination 400", group(func(in *ec.CreateReplicationGroupInput) {
			in.AutomaticFailoverEnabled, in.MultiAZEnabled = aws.Bool(false), aws.Bool(true)
		})},
		{"user groups without transit encryption", "InvalidParameterCombination 400", group(func(in *ec.CreateReplicationGroupInput) {
			in.TransitEncryptionEnabled, in.UserGroupIds = aws.Bool(false), []string{"prod-redis"}
		})},
		{"unknown user group of a group", "UserGroupNotFound 404", group(func(in *ec.CreateReplicationGroupInput) { in.UserGroupIds = []string{"nope"} })},
		{"unknown node type", "InvalidParameterValue 400", group(func(in *ec.CreateReplicationGroupInput) { in.CacheNodeType = aws.String("cache.t9.huge") })},
		{"unknown engine version", "InvalidParameterValue 400", group(func(in *ec.CreateReplicationGroupInput) { in.EngineVersion = aws.String("3.2") })},
		{"unknown parameter group", "CacheParameterGroupNotFound 404", group(func(in *ec.CreateReplicationGroupInput) { in.CacheParameterGroupName = aws.String("mine") })},
		{"unknown subnet group", "CacheSubnetGroupNotFoundFault 400", group(func(in *ec.CreateReplicationGroupInput) { in.CacheSubnetGroupName = aws.String("nope") })},
		{"security group of no VPC", "InvalidVPCNetworkStateFault 400", group(func(in *ec.CreateReplicationGroupInput) { in.SecurityGroupIds = []string{"sg-0123456789abcdef0"} })},
		{"cluster mode", "InvalidParameterValue 400", group(func(in *ec.CreateReplicationGroupInput) { in.NumNodeGroups = aws.Int32(2) })},
		{"subnet group exists", "CacheSubnetGroupAlreadyExists 400", func() error {
			_, err := e.ec.CreateCacheSubnetGroup(e.ctx, &ec.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("PROD-redis"), CacheSubnetGroupDescription: aws.String("x"), SubnetIds: e.subnets})
			return err
		}},
		{"unknown subnet", "InvalidSubnet 400", func() error {
			_, err := e.ec.CreateCacheSubnetGroup(e.ctx, &ec.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("x"), CacheSubnetGroupDescription: aws.String("x"), SubnetIds: []string{"subnet-0123456789abcdef0"}})
			return err
		}},
		{"subnet group in use", "CacheSubnetGroupInUse 400", func() error {
			_, err := e.ec.DeleteCacheSubnetGroup(e.ctx, &ec.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("prod-redis")})
			return err
		}},
		{"unknown subnet group", "CacheSubnetGroupNotFoundFault 400", func() error {
			_, err := e.ec.DescribeCacheSubnetGroups(e.ctx, &ec.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String("nope")})
			return err
		}},
		{"unknown snapshot", "SnapshotNotFoundFault 404", func() error {
			_, err := e.ec.DescribeSnapshots(e.ctx, &ec.DescribeSnapshotsInput{SnapshotName: aws.String("nope")})
			return err
		}},
		{"too small a page", "InvalidParameterValue 400", func() error {
			_, err := e.ec.DescribeUsers(e.ctx, &ec.DescribeUsersInput{MaxRecords: aws.Int32(5)})
			return err
		}},
		{"too many tags", "TagQuotaPerResourceExceeded 400", func() error {
			var tags []types.Tag
			for i := range 51 {
				tags = append(tags, types.Tag{Key: aws.String(string(rune('a'+i%26)) + string(rune('a'+i/26))), Value: aws.String("v")})
			}
			_, err := e.ec.AddTagsToResource(e.ctx, &ec.AddTagsToResourceInput{ResourceName: aws.String("arn:aws:elasticache:eu-west-1:123456789012:user:prod-app-dev"), Tags: tags})
			return err
		}},
	}
	for _, c := range cases {
		if got := sandboxtest.Failure(c.call()); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
