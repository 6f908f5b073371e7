package logs

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of CloudWatch Logs.
const ServiceName = "logs"

// Service returns the CloudWatch Logs emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreateLogGroup":        {Fn: createLogGroup},
			"DescribeLogGroups":     {Fn: describeLogGroups},
			"DeleteLogGroup":        {Fn: deleteLogGroup},
			"PutRetentionPolicy":    {Fn: putRetentionPolicy},
			"DeleteRetentionPolicy": {Fn: deleteRetentionPolicy},
			"TagResource":           {Fn: tagResource},
			"UntagResource":         {Fn: untagResource},
			"ListTagsForResource":   {Fn: listTagsForResource},
			"TagLogGroup":           {Fn: tagLogGroup},
			"UntagLogGroup":         {Fn: untagLogGroup},
			"ListTagsLogGroup":      {Fn: listTagsLogGroup},
		},
	}
}
