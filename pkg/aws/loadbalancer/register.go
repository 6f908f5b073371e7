package loadbalancer

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
)

// Register adds the handlers of the load balancing kinds to s, and their
// observer as a part of the shared tagging observer, over c's ELBv2
// client. o.Wait, when set, bounds the deletes' waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	s.Add(
		&LoadBalancerHandler{clients.NewBase[API](loadBalancerDescriptor, c.ELB, o)},
		&TargetGroupHandler{clients.NewBase[API](targetGroupDescriptor, c.ELB, o)},
		&ListenerHandler{clients.NewBase[API](listenerDescriptor, c.ELB, o)},
	)
	s.ObserveTagged(&Observer{API: c.ELB}, kinds...)
}
