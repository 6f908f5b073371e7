package rds

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of RDS.
const ServiceName = "rds"

// Service returns the RDS emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreateDBSubnetGroup":        {Fn: createDBSubnetGroup},
			"DescribeDBSubnetGroups":     {Fn: describeDBSubnetGroups},
			"ModifyDBSubnetGroup":        {Fn: modifyDBSubnetGroup},
			"DeleteDBSubnetGroup":        {Fn: deleteDBSubnetGroup},
			"CreateDBCluster":            {Fn: createDBCluster},
			"DescribeDBClusters":         {Fn: describeDBClusters},
			"ModifyDBCluster":            {Fn: modifyDBCluster},
			"FailoverDBCluster":          {Fn: failoverDBCluster},
			"DeleteDBCluster":            {Fn: deleteDBCluster},
			"DescribeDBClusterSnapshots": {Fn: describeDBClusterSnapshots},
			"DeleteDBClusterSnapshot":    {Fn: deleteDBClusterSnapshot},
			"CreateDBInstance":           {Fn: createDBInstance},
			"DescribeDBInstances":        {Fn: describeDBInstances},
			"ModifyDBInstance":           {Fn: modifyDBInstance},
			"DeleteDBInstance":           {Fn: deleteDBInstance},
			"AddTagsToResource":          {Fn: addTagsToResource},
			"RemoveTagsFromResource":     {Fn: removeTagsFromResource},
			"ListTagsForResource":        {Fn: listTagsForResource},
			"DescribeDBEngineVersions":   {Fn: describeDBEngineVersions},
		},
	}
}
