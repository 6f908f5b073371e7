package elasticache

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of ElastiCache.
const ServiceName = "elasticache"

// Service returns the ElastiCache emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreateCacheSubnetGroup":    {Fn: createCacheSubnetGroup},
			"DescribeCacheSubnetGroups": {Fn: describeCacheSubnetGroups},
			"ModifyCacheSubnetGroup":    {Fn: modifyCacheSubnetGroup},
			"DeleteCacheSubnetGroup":    {Fn: deleteCacheSubnetGroup},
			"CreateUser":                {Fn: createUser},
			"DescribeUsers":             {Fn: describeUsers},
			"ModifyUser":                {Fn: modifyUser},
			"DeleteUser":                {Fn: deleteUser},
			"CreateUserGroup":           {Fn: createUserGroup},
			"DescribeUserGroups":        {Fn: describeUserGroups},
			"ModifyUserGroup":           {Fn: modifyUserGroup},
			"DeleteUserGroup":           {Fn: deleteUserGroup},
			"CreateReplicationGroup":    {Fn: createReplicationGroup},
			"DescribeReplicationGroups": {Fn: describeReplicationGroups},
			"ModifyReplicationGroup":    {Fn: modifyReplicationGroup},
			"DeleteReplicationGroup":    {Fn: deleteReplicationGroup},
			"IncreaseReplicaCount":      {Fn: increaseReplicaCount},
			"DecreaseReplicaCount":      {Fn: decreaseReplicaCount},
			"DescribeCacheClusters":     {Fn: describeCacheClusters},
			"DescribeSnapshots":         {Fn: describeSnapshots},
			"DeleteSnapshot":            {Fn: deleteSnapshot},
			"AddTagsToResource":         {Fn: addTagsToResource},
			"RemoveTagsFromResource":    {Fn: removeTagsFromResource},
			"ListTagsForResource":       {Fn: listTagsForResource},
		},
	}
}
