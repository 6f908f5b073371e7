package elbv2

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of Elastic Load Balancing v2.
const ServiceName = "elbv2"

// Service returns the ELBv2 emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreateLoadBalancer":             {Fn: createLoadBalancer},
			"DescribeLoadBalancers":          {Fn: describeLoadBalancers},
			"DeleteLoadBalancer":             {Fn: deleteLoadBalancer},
			"SetSecurityGroups":              {Fn: setSecurityGroups},
			"SetSubnets":                     {Fn: setSubnets},
			"DescribeLoadBalancerAttributes": {Fn: describeLoadBalancerAttributes},
			"ModifyLoadBalancerAttributes":   {Fn: modifyLoadBalancerAttributes},
			"CreateTargetGroup":              {Fn: createTargetGroup},
			"DescribeTargetGroups":           {Fn: describeTargetGroups},
			"ModifyTargetGroup":              {Fn: modifyTargetGroup},
			"DeleteTargetGroup":              {Fn: deleteTargetGroup},
			"DescribeTargetGroupAttributes":  {Fn: describeTargetGroupAttributes},
			"ModifyTargetGroupAttributes":    {Fn: modifyTargetGroupAttributes},
			"DescribeTargetHealth":           {Fn: describeTargetHealth},
			"CreateListener":                 {Fn: createListener},
			"DescribeListeners":              {Fn: describeListeners},
			"ModifyListener":                 {Fn: modifyListener},
			"DeleteListener":                 {Fn: deleteListener},
			"AddTags":                        {Fn: addTags},
			"RemoveTags":                     {Fn: removeTags},
			"DescribeTags":                   {Fn: describeTags},
		},
	}
}
