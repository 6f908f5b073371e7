package secrets

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Register adds the secret handler to s, and its observer as a part of
// the shared tagging observer, over c's Secrets Manager client.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	s.Add(&Handler{clients.NewBase[API](descriptor, c.Secrets, o)})
	s.ObserveTagged(&Observer{API: c.Secrets}, resource.KindSecret)
}
