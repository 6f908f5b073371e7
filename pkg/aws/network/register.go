package network

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/poll"
)

// Register adds to s a handler for every kind this package manages, the
// observers that read them and the ZoneObserver that checks the zones of
// new subnets, all over c.EC2. o.Stack names the stack the observers and
// handlers work for; o.Wait, when set, replaces every wait of the handlers.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	b := newBase(c.EC2, o.Stack, o.Wait)
	s.Add(
		&VPCHandler{b.fixed(vpcKind)}, &SubnetHandler{b.fixed(subnetKind)}, &RouteTableHandler{b.fixed(routeTableKind)},
		&AssociationHandler{b.of(associationKind)}, &RouteHandler{b.of(routeKind)},
		&SecurityGroupHandler{b.fixed(securityGroupKind)}, &RuleHandler{b.fixed(ruleKind)},
		&InternetGatewayHandler{b.tagged(internetGatewayKind)}, &ElasticIPHandler{b.fixed(elasticIPKind)},
		&NATGatewayHandler{b.fixed(natGatewayKind)}, &PeeringHandler{b.tagged(peeringKind)},
	)
	s.Observe(&Observer{API: c.EC2}, &RouteObserver{API: c.EC2}, &ZoneObserver{API: c.EC2})
}

// newBase returns what every handler shares; wait, when set, replaces the
// default waits.
func newBase(api API, stack string, wait *poll.Options) base {
	b := base{api: api, stack: stack, available: availableWait, dependency: dependencyWait}
	if wait != nil {
		b.available, b.dependency = *wait, *wait
	}
	return b
}
