package compute

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
)

// Register adds the handlers of the compute kinds to s; their observer as
// a part of the shared tagging observer (it reads log groups, roles,
// clusters and task definitions); and the observer of the services of the
// clusters found. o.Wait, when set, bounds the deletes' waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	ecs := clients.Over[ECSAPI](c.ECS, o)
	s.Add(&LogGroupHandler{clients.NewBase[LogsAPI](logGroupDescriptor, c.Logs, o)}, &RoleHandler{clients.NewBase[IAMAPI](roleDescriptor, c.IAM, o), &Account{API: c.STS}},
		&ClusterHandler{ecs(clusterDescriptor)}, &TaskDefinitionHandler{ecs(taskDefinitionDescriptor)}, &ServiceHandler{ecs(serviceDescriptor)})
	s.ObserveTagged(&Observer{Logs: c.Logs, IAM: c.IAM, ECS: c.ECS, GlobalTagging: c.GlobalTagging}, taggedKinds...)
	s.Observe(&ServiceObserver{ECS: c.ECS})
}
