package aurora

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	rgttypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"

	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// pageSize is the largest page RDS and the tagging API return.
const pageSize = 100

// engineFilter narrows describes to Aurora PostgreSQL, the only engine a
// stack owns (an account may hold many other databases).
func engineFilter() []types.Filter {
	return []types.Filter{{Name: ptr("engine"), Values: []string{engineAuroraPostgreSQL}}}
}

// listClusters describes every Aurora PostgreSQL cluster, page by page.
func listClusters(ctx context.Context, api API) ([]types.DBCluster, error) {
	var out []types.DBCluster
	p := rds.NewDescribeDBClustersPaginator(api, &rds.DescribeDBClustersInput{Filters: engineFilter(), MaxRecords: ptr[int32](pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe DB clusters: %w", err)
		}
		out = append(out, page.DBClusters...)
	}
	return out, nil
}

// listInstances describes every Aurora PostgreSQL instance, page by page.
func listInstances(ctx context.Context, api API) ([]types.DBInstance, error) {
	var out []types.DBInstance
	p := rds.NewDescribeDBInstancesPaginator(api, &rds.DescribeDBInstancesInput{Filters: engineFilter(), MaxRecords: ptr[int32](pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe DB instances: %w", err)
		}
		out = append(out, page.DBInstances...)
	}
	return out, nil
}

// listSubnetGroups describes every DB subnet group, page by page (the
// call has no filters).
func listSubnetGroups(ctx context.Context, api API) ([]types.DBSubnetGroup, error) {
	var out []types.DBSubnetGroup
	p := rds.NewDescribeDBSubnetGroupsPaginator(api, &rds.DescribeDBSubnetGroupsInput{MaxRecords: ptr[int32](pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe DB subnet groups: %w", err)
		}
		out = append(out, page.DBSubnetGroups...)
	}
	return out, nil
}

// taggedSubnetGroups asks the tagging API for the DB subnet groups whose
// tags match every filter (key → value), and returns their tags by ARN.
func taggedSubnetGroups(ctx context.Context, api TaggingAPI, match map[string]string) (map[string]map[string]string, error) {
	in := &rgt.GetResourcesInput{ResourceTypeFilters: []string{string(resource.KindDBSubnetGroup)}, ResourcesPerPage: ptr[int32](pageSize)}
	for _, k := range resource.SortedKeys(match) {
		in.TagFilters = append(in.TagFilters, rgttypes.TagFilter{Key: ptr(k), Values: []string{match[k]}})
	}
	out := map[string]map[string]string{}
	p := rgt.NewGetResourcesPaginator(api, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("get tagged DB subnet groups: %w", err)
		}
		for _, r := range page.ResourceTagMappingList {
			out[deref(r.ResourceARN)] = tagged.Map(r.Tags, func(t rgttypes.Tag) (*string, *string) { return t.Key, t.Value })
		}
	}
	return out, nil
}
