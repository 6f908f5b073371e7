package compute

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Register adds the handlers of the compute kinds to s; their observer as
// a part of the shared tagging observer (it reads log groups, roles,
// clusters and task definitions); and the observer of the services of the
// clusters found. o.Wait, when set, bounds the deletes' waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	s.Add(
		&LogGroupHandler{Described: resource.Described{Descriptor: logGroupDescriptor}, API: c.Logs, Stack: o.Stack},
		&RoleHandler{Described: resource.Described{Descriptor: roleDescriptor}, API: c.IAM, Stack: o.Stack},
		&ClusterHandler{Described: resource.Described{Descriptor: clusterDescriptor}, API: c.ECS, Stack: o.Stack, Wait: o.Wait},
		&TaskDefinitionHandler{Described: resource.Described{Descriptor: taskDefinitionDescriptor}, API: c.ECS, Stack: o.Stack},
		&ServiceHandler{Described: resource.Described{Descriptor: serviceDescriptor}, API: c.ECS, Stack: o.Stack, Wait: o.Wait},
	)
	s.ObserveTagged(&Observer{Logs: c.Logs, IAM: c.IAM, ECS: c.ECS, GlobalTagging: c.GlobalTagging}, taggedKinds...)
	s.Observe(&ServiceObserver{ECS: c.ECS})
}
