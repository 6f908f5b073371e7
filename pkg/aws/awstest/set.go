package awstest

import (
	"testing"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observers returns the observers of what s registered: its own, and the
// shared tagging observer of its tagged parts asking api (the resource
// types from the descriptors of s's handlers, which are not validated as
// resource.NewRegistry would: a package's tests register only some kinds).
func Observers(s *clients.Set, api tagged.TaggingAPI) []resource.Observer {
	r := resource.Registry{}
	for _, h := range s.Handlers {
		r[h.Describe().Kind] = h
	}
	return append(append([]resource.Observer(nil), s.Observers...), tagged.New(api, r, s.Tagged))
}

// NewSetCycle registers, for stack over c, what each of register adds to a
// clients.Set (network.Register, loadbalancer.Register, ...), and returns
// the cycle of their handlers and observers, with the set.
func NewSetCycle(t *testing.T, stack string, c *clients.Clients, register ...func(*clients.Set, *clients.Clients, clients.Options)) (*Cycle, *clients.Set) {
	s := &clients.Set{}
	for _, reg := range register {
		reg(s, c, clients.Options{Stack: stack})
	}
	return NewCycle(t, stack, s.Handlers, Observers(s, c.Tagging)), s
}
