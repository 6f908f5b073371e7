package ssm

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of Systems Manager.
const ServiceName = "ssm"

// Service returns the Parameter Store emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"PutParameter":           {Fn: putParameter},
			"GetParameter":           {Fn: getParameter},
			"GetParameters":          {Fn: getParameters},
			"GetParametersByPath":    {Fn: getParametersByPath},
			"DeleteParameter":        {Fn: deleteParameter},
			"DeleteParameters":       {Fn: deleteParameters},
			"DescribeParameters":     {Fn: describeParameters},
			"AddTagsToResource":      {Fn: addTagsToResource},
			"RemoveTagsFromResource": {Fn: removeTagsFromResource},
			"ListTagsForResource":    {Fn: listTagsForResource},
		},
	}
}
