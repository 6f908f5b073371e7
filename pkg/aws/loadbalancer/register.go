package loadbalancer

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Register adds the handlers of the load balancing kinds to s, and their
// observer as a part of the shared tagging observer, over c's ELBv2
// client. o.Wait, when set, bounds the deletes' waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	s.Add(
		&LoadBalancerHandler{Described: resource.Described{Descriptor: loadBalancerDescriptor}, API: c.ELB, Stack: o.Stack, Wait: o.Wait},
		&TargetGroupHandler{Described: resource.Described{Descriptor: targetGroupDescriptor}, API: c.ELB, Stack: o.Stack, Wait: o.Wait},
		&ListenerHandler{Described: resource.Described{Descriptor: listenerDescriptor}, API: c.ELB, Stack: o.Stack},
	)
	s.ObserveTagged(&Observer{API: c.ELB}, kinds...)
}
