// Package provider assembles the handlers and observers of every resource
// kind kcstack manages from one AWS configuration. It is the explicit
// registry: adding a service package means adding its Register here.
package provider

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kcstack/kcstack/pkg/aws/ambiguous"
	"github.com/kcstack/kcstack/pkg/aws/aurora"
	"github.com/kcstack/kcstack/pkg/aws/cache"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/compute"
	"github.com/kcstack/kcstack/pkg/aws/discovery"
	"github.com/kcstack/kcstack/pkg/aws/loadbalancer"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/aws/secrets"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Provider is every handler, by kind, and every observer for one stack.
type Provider struct {
	Registry  resource.Registry
	Observers []resource.Observer
}

// settings are New's optional settings.
type settings struct {
	clients.Options
	// handlers and observers are those of kinds outside AWS.
	handlers  []resource.Handler
	observers []resource.Observer
}

// Option sets an optional setting of New.
type Option func(*settings)

// WithWait bounds the handlers' waits (tests shorten them); without it
// each package keeps its own defaults.
func WithWait(w poll.Options) Option {
	return func(o *settings) { o.Wait = &w }
}

// WithKinds adds the handlers and observers of kinds outside AWS (the
// in-cluster kinds of pkg/kube/cluster), checked with the others by
// resource.NewRegistry.
func WithKinds(handlers []resource.Handler, observers []resource.Observer) Option {
	return func(o *settings) {
		o.handlers = append(o.handlers, handlers...)
		o.observers = append(o.observers, observers...)
	}
}

// registers are the Register of every service package.
var registers = []func(*clients.Set, *clients.Clients, clients.Options){
	network.Register, aurora.Register, compute.Register, loadbalancer.Register, discovery.Register,
	cache.Register,
	secrets.Register,
}

// New builds the provider for stack over cfg: every package's handlers,
// checked by resource.NewRegistry, with the SDK kept from retrying on its
// own the creates their descriptors declare not idempotent
// (pkg/aws/ambiguous), their observers, and one shared
// tagging observer over the packages' tagged parts (one tagging API call
// for all of them, none when the stack has no ECS target and no Redis). It fails when
// a kind's descriptor is incomplete or refers to a kind no package
// manages.
func New(cfg aws.Config, stack string, opts ...Option) (*Provider, error) {
	set := settings{Options: clients.Options{Stack: stack}}
	for _, opt := range opts {
		opt(&set)
	}
	o := set.Options
	guard := &ambiguous.Guard{}
	cfg = cfg.Copy()
	guard.Install(&cfg)
	c := clients.New(cfg)
	s := &clients.Set{}
	for _, register := range registers {
		register(s, c, o)
	}
	s.Add(set.handlers...)
	s.Observe(set.observers...)
	r, err := resource.NewRegistry(s.Handlers...)
	if err != nil {
		return nil, fmt.Errorf("provider of stack %s: %w", stack, err)
	}
	guard.Protect(r.UnsafeCreates()...)
	observers := append(append([]resource.Observer(nil), s.Observers...), tagged.New(c.Tagging, r, s.Tagged))
	return &Provider{Registry: r, Observers: observers}, nil
}
