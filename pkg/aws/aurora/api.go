package aurora

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
)

// API is the part of *rds.Client this package calls.
type API interface {
	DescribeDBSubnetGroups(ctx context.Context, in *rds.DescribeDBSubnetGroupsInput, opts ...func(*rds.Options)) (*rds.DescribeDBSubnetGroupsOutput, error)
	CreateDBSubnetGroup(ctx context.Context, in *rds.CreateDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.CreateDBSubnetGroupOutput, error)
	ModifyDBSubnetGroup(ctx context.Context, in *rds.ModifyDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.ModifyDBSubnetGroupOutput, error)
	DeleteDBSubnetGroup(ctx context.Context, in *rds.DeleteDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.DeleteDBSubnetGroupOutput, error)

	DescribeDBClusters(ctx context.Context, in *rds.DescribeDBClustersInput, opts ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error)
	CreateDBCluster(ctx context.Context, in *rds.CreateDBClusterInput, opts ...func(*rds.Options)) (*rds.CreateDBClusterOutput, error)
	ModifyDBCluster(ctx context.Context, in *rds.ModifyDBClusterInput, opts ...func(*rds.Options)) (*rds.ModifyDBClusterOutput, error)
	DeleteDBCluster(ctx context.Context, in *rds.DeleteDBClusterInput, opts ...func(*rds.Options)) (*rds.DeleteDBClusterOutput, error)
	DescribeDBClusterSnapshots(ctx context.Context, in *rds.DescribeDBClusterSnapshotsInput, opts ...func(*rds.Options)) (*rds.DescribeDBClusterSnapshotsOutput, error)

	DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, opts ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
	CreateDBInstance(ctx context.Context, in *rds.CreateDBInstanceInput, opts ...func(*rds.Options)) (*rds.CreateDBInstanceOutput, error)
	ModifyDBInstance(ctx context.Context, in *rds.ModifyDBInstanceInput, opts ...func(*rds.Options)) (*rds.ModifyDBInstanceOutput, error)
	DeleteDBInstance(ctx context.Context, in *rds.DeleteDBInstanceInput, opts ...func(*rds.Options)) (*rds.DeleteDBInstanceOutput, error)

	ListTagsForResource(ctx context.Context, in *rds.ListTagsForResourceInput, opts ...func(*rds.Options)) (*rds.ListTagsForResourceOutput, error)
	AddTagsToResource(ctx context.Context, in *rds.AddTagsToResourceInput, opts ...func(*rds.Options)) (*rds.AddTagsToResourceOutput, error)
	RemoveTagsFromResource(ctx context.Context, in *rds.RemoveTagsFromResourceInput, opts ...func(*rds.Options)) (*rds.RemoveTagsFromResourceOutput, error)
}

// TaggingAPI is the part of the resource groups tagging API client this
// package calls: it finds owned DB subnet groups, whose describe output
// has no tags.
type TaggingAPI interface {
	GetResources(ctx context.Context, in *rgt.GetResourcesInput, opts ...func(*rgt.Options)) (*rgt.GetResourcesOutput, error)
}

var (
	_ API        = (*rds.Client)(nil)
	_ TaggingAPI = (*rgt.Client)(nil)
)
