// Package provider assembles the handlers and observers of every resource
// kind kcstack manages from one AWS configuration. It is the explicit
// registry: adding a kind means adding it here.
package provider

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"

	"github.com/kcstack/kcstack/pkg/aws/aurora"
	"github.com/kcstack/kcstack/pkg/aws/compute"
	"github.com/kcstack/kcstack/pkg/aws/discovery"
	"github.com/kcstack/kcstack/pkg/aws/loadbalancer"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Provider is every handler and observer for one stack.
type Provider struct {
	Registry  resource.Registry
	Observers []resource.Observer
}

// New builds the provider for stack over cfg.
func New(cfg aws.Config, stack string, opts ...aurora.Option) *Provider {
	p := &Provider{Registry: resource.Registry{}}
	ec2c := ec2.NewFromConfig(cfg)
	handlers, observers := network.Handlers(ec2c, stack)
	for _, h := range handlers {
		p.Registry[h.Kind()] = h
	}
	p.Observers = append(p.Observers, observers...)
	p.Observers = append(p.Observers, &network.ZoneObserver{API: ec2c})
	rds := aurora.New(cfg, opts...)
	rds.Register(p.Registry)
	p.Observers = append(p.Observers, rds.Observer)
	p.addECS(cfg, stack)
	return p
}

// addECS adds the kinds of ECS targets: compute, load balancing and
// discovery, read by one shared observer (one tagging API call for all of
// them, none when the stack has no ECS target) and the services' observer.
func (p *Provider) addECS(cfg aws.Config, stack string) {
	computeHandlers, computeObserver, services := compute.New(cfg, stack)
	lbHandlers, lbObserver := loadbalancer.New(cfg, stack)
	discoveryHandlers, discoveryObserver := discovery.New(cfg, stack)
	for _, hs := range [][]resource.Handler{computeHandlers, lbHandlers, discoveryHandlers} {
		for _, h := range hs {
			p.Registry[h.Kind()] = h
		}
	}
	shared := &ownership.Shared{
		Tagging:       tagging.NewFromConfig(cfg),
		ResourceTypes: append(append(append([]string(nil), compute.ResourceTypes...), loadbalancer.ResourceTypes...), discovery.ResourceTypes...),
		Kinds: []resource.Kind{
			resource.KindLogGroup, resource.KindIAMRole, resource.KindECSCluster, resource.KindECSTaskDefinition, resource.KindECSService,
			resource.KindLoadBalancer, resource.KindTargetGroup, resource.KindListener,
			resource.KindDNSNamespace, resource.KindDiscoveryService, resource.KindBucket,
		},
		Parts: []ownership.TaggedObserver{computeObserver, lbObserver, discoveryObserver},
	}
	p.Observers = append(p.Observers, shared, services)
}

// Differs returns the registry's handlers as the plan's differs.
func (p *Provider) Differs() map[resource.Kind]plan.Differ {
	out := make(map[resource.Kind]plan.Differ, len(p.Registry))
	for k, h := range p.Registry {
		out[k] = h
	}
	return out
}
