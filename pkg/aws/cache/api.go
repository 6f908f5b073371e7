package cache

import (
	"context"

	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// API is the part of the ElastiCache API this package calls.
type API interface {
	CreateCacheSubnetGroup(context.Context, *ec.CreateCacheSubnetGroupInput, ...func(*ec.Options)) (*ec.CreateCacheSubnetGroupOutput, error)
	ModifyCacheSubnetGroup(context.Context, *ec.ModifyCacheSubnetGroupInput, ...func(*ec.Options)) (*ec.ModifyCacheSubnetGroupOutput, error)
	DeleteCacheSubnetGroup(context.Context, *ec.DeleteCacheSubnetGroupInput, ...func(*ec.Options)) (*ec.DeleteCacheSubnetGroupOutput, error)
	DescribeCacheSubnetGroups(context.Context, *ec.DescribeCacheSubnetGroupsInput, ...func(*ec.Options)) (*ec.DescribeCacheSubnetGroupsOutput, error)

	CreateUser(context.Context, *ec.CreateUserInput, ...func(*ec.Options)) (*ec.CreateUserOutput, error)
	ModifyUser(context.Context, *ec.ModifyUserInput, ...func(*ec.Options)) (*ec.ModifyUserOutput, error)
	DeleteUser(context.Context, *ec.DeleteUserInput, ...func(*ec.Options)) (*ec.DeleteUserOutput, error)
	DescribeUsers(context.Context, *ec.DescribeUsersInput, ...func(*ec.Options)) (*ec.DescribeUsersOutput, error)

	CreateUserGroup(context.Context, *ec.CreateUserGroupInput, ...func(*ec.Options)) (*ec.CreateUserGroupOutput, error)
	ModifyUserGroup(context.Context, *ec.ModifyUserGroupInput, ...func(*ec.Options)) (*ec.ModifyUserGroupOutput, error)
	DeleteUserGroup(context.Context, *ec.DeleteUserGroupInput, ...func(*ec.Options)) (*ec.DeleteUserGroupOutput, error)
	DescribeUserGroups(context.Context, *ec.DescribeUserGroupsInput, ...func(*ec.Options)) (*ec.DescribeUserGroupsOutput, error)

	CreateReplicationGroup(context.Context, *ec.CreateReplicationGroupInput, ...func(*ec.Options)) (*ec.CreateReplicationGroupOutput, error)
	ModifyReplicationGroup(context.Context, *ec.ModifyReplicationGroupInput, ...func(*ec.Options)) (*ec.ModifyReplicationGroupOutput, error)
	IncreaseReplicaCount(context.Context, *ec.IncreaseReplicaCountInput, ...func(*ec.Options)) (*ec.IncreaseReplicaCountOutput, error)
	DecreaseReplicaCount(context.Context, *ec.DecreaseReplicaCountInput, ...func(*ec.Options)) (*ec.DecreaseReplicaCountOutput, error)
	DeleteReplicationGroup(context.Context, *ec.DeleteReplicationGroupInput, ...func(*ec.Options)) (*ec.DeleteReplicationGroupOutput, error)
	DescribeReplicationGroups(context.Context, *ec.DescribeReplicationGroupsInput, ...func(*ec.Options)) (*ec.DescribeReplicationGroupsOutput, error)
	DescribeCacheClusters(context.Context, *ec.DescribeCacheClustersInput, ...func(*ec.Options)) (*ec.DescribeCacheClustersOutput, error)
	DescribeSnapshots(context.Context, *ec.DescribeSnapshotsInput, ...func(*ec.Options)) (*ec.DescribeSnapshotsOutput, error)

	ListTagsForResource(context.Context, *ec.ListTagsForResourceInput, ...func(*ec.Options)) (*ec.ListTagsForResourceOutput, error)
	AddTagsToResource(context.Context, *ec.AddTagsToResourceInput, ...func(*ec.Options)) (*ec.AddTagsToResourceOutput, error)
	RemoveTagsFromResource(context.Context, *ec.RemoveTagsFromResourceInput, ...func(*ec.Options)) (*ec.RemoveTagsFromResourceOutput, error)
}

// SecretsAPI is the part of the Secrets Manager API the user handler
// calls: the password a user gets is read from its secret at acting time,
// and the default user's is generated and discarded.
type SecretsAPI interface {
	GetSecretValue(context.Context, *sm.GetSecretValueInput, ...func(*sm.Options)) (*sm.GetSecretValueOutput, error)
	GetRandomPassword(context.Context, *sm.GetRandomPasswordInput, ...func(*sm.Options)) (*sm.GetRandomPasswordOutput, error)
}

var (
	_ API        = (*ec.Client)(nil)
	_ SecretsAPI = (*sm.Client)(nil)
)
