package cache

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

// pageSize is the largest page ElastiCache's describes return.
const pageSize = 100

// pager is an SDK paginator answering pages of type O.
type pager[O any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*ec.Options)) (O, error)
}

// all reads every page of p and returns the items of each; what names the
// call in errors ("describe users").
func all[O, T any](ctx context.Context, what string, p pager[O], items func(O) []T) ([]T, error) {
	var out []T
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, items(page)...)
	}
	return out, nil
}

// live is what one observation read from ElastiCache.
type live struct {
	subnetGroups      []types.CacheSubnetGroup
	users             []types.User
	userGroups        []types.UserGroup
	replicationGroups []types.ReplicationGroup
	clusters          map[string]types.CacheCluster // by id
}

func listSubnetGroups(ctx context.Context, api API) ([]types.CacheSubnetGroup, error) {
	p := ec.NewDescribeCacheSubnetGroupsPaginator(api, &ec.DescribeCacheSubnetGroupsInput{MaxRecords: aws.Int32(pageSize)})
	return all(ctx, "describe cache subnet groups", p, func(o *ec.DescribeCacheSubnetGroupsOutput) []types.CacheSubnetGroup { return o.CacheSubnetGroups })
}

func listUsers(ctx context.Context, api API) ([]types.User, error) {
	p := ec.NewDescribeUsersPaginator(api, &ec.DescribeUsersInput{MaxRecords: aws.Int32(pageSize)})
	return all(ctx, "describe ElastiCache users", p, func(o *ec.DescribeUsersOutput) []types.User { return o.Users })
}

func listUserGroups(ctx context.Context, api API) ([]types.UserGroup, error) {
	p := ec.NewDescribeUserGroupsPaginator(api, &ec.DescribeUserGroupsInput{MaxRecords: aws.Int32(pageSize)})
	return all(ctx, "describe ElastiCache user groups", p, func(o *ec.DescribeUserGroupsOutput) []types.UserGroup { return o.UserGroups })
}

func listReplicationGroups(ctx context.Context, api API) ([]types.ReplicationGroup, error) {
	p := ec.NewDescribeReplicationGroupsPaginator(api, &ec.DescribeReplicationGroupsInput{MaxRecords: aws.Int32(pageSize)})
	return all(ctx, "describe replication groups", p, func(o *ec.DescribeReplicationGroupsOutput) []types.ReplicationGroup { return o.ReplicationGroups })
}

func listClusters(ctx context.Context, api API) (map[string]types.CacheCluster, error) {
	p := ec.NewDescribeCacheClustersPaginator(api, &ec.DescribeCacheClustersInput{MaxRecords: aws.Int32(pageSize)})
	cs, err := all(ctx, "describe cache clusters", p, func(o *ec.DescribeCacheClustersOutput) []types.CacheCluster { return o.CacheClusters })
	if err != nil {
		return nil, err
	}
	out := make(map[string]types.CacheCluster, len(cs))
	for _, c := range cs {
		out[aws.ToString(c.CacheClusterId)] = c
	}
	return out, nil
}
