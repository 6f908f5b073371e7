package loadbalancer

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
)

// Register adds the handlers of the load balancing kinds to s, and their
// observer as a part of the shared tagging observer, over c's ELBv2
// client. o.Wait, when set, bounds the deletes' waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	elb := clients.Over[API](c.ELB, o)
	s.Add(&LoadBalancerHandler{elb(loadBalancerDescriptor)}, &TargetGroupHandler{elb(targetGroupDescriptor)}, &ListenerHandler{elb(listenerDescriptor)})
	s.ObserveTagged(&Observer{API: c.ELB}, kinds...)
}
