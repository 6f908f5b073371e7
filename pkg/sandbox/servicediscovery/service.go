package servicediscovery

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of Cloud Map.
const ServiceName = "servicediscovery"

// Service returns the Cloud Map emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreatePrivateDnsNamespace": {Fn: createPrivateDNSNamespace},
			"GetNamespace":              {Fn: getNamespace},
			"ListNamespaces":            {Fn: listNamespaces},
			"DeleteNamespace":           {Fn: deleteNamespace},
			"GetOperation":              {Fn: getOperation},
			"CreateService":             {Fn: createService},
			"GetService":                {Fn: getService},
			"ListServices":              {Fn: listServices},
			"UpdateService":             {Fn: updateService},
			"DeleteService":             {Fn: deleteService},
			"ListInstances":             {Fn: listInstances},
			"GetInstance":               {Fn: getInstance},
			"DeregisterInstance":        {Fn: deregisterInstance},
			"DiscoverInstances":         {Fn: discoverInstances},
			"TagResource":               {Fn: tagResource},
			"UntagResource":             {Fn: untagResource},
			"ListTagsForResource":       {Fn: listTagsForResource},
		},
	}
}
