package ecs

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of ECS.
const ServiceName = "ecs"

// Service returns the ECS emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreateCluster":            {Fn: createCluster},
			"DescribeClusters":         {Fn: describeClusters},
			"DeleteCluster":            {Fn: deleteCluster},
			"ListClusters":             {Fn: listClusters},
			"RegisterTaskDefinition":   {Fn: registerTaskDefinition},
			"DescribeTaskDefinition":   {Fn: describeTaskDefinition},
			"DeregisterTaskDefinition": {Fn: deregisterTaskDefinition},
			"ListTaskDefinitions":      {Fn: listTaskDefinitions},
			"CreateService":            {Fn: createService},
			"DescribeServices":         {Fn: describeServices},
			"UpdateService":            {Fn: updateService},
			"DeleteService":            {Fn: deleteService},
			"ListServices":             {Fn: listServices},
			"ListTasks":                {Fn: listTasks},
			"DescribeTasks":            {Fn: describeTasks},
			"StopTask":                 {Fn: stopTask},
			"TagResource":              {Fn: tagResource},
			"UntagResource":            {Fn: untagResource},
			"ListTagsForResource":      {Fn: listTagsForResource},
		},
	}
}
