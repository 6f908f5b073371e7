package ownership

import (
	"context"
	"sync"

	"github.com/kcstack/kcstack/pkg/resource"
)

// Collector gathers the observations of readers that run in parallel.
// Its zero value is empty and ready; Add is safe for concurrent use.
type Collector struct {
	mu  sync.Mutex
	obs []resource.Observation
}

// Add appends obs.
func (c *Collector) Add(obs ...resource.Observation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.obs = append(c.obs, obs...)
}

// Observations returns what was added, in the order it was; call it once
// every reader is done.
func (c *Collector) Observations() []resource.Observation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.obs
}

// ObserveAlone is the Observe of a part that runs without Shared: it asks
// the tagging API for the stack's resources of types, then p reads them.
func ObserveAlone(ctx context.Context, api TaggingAPI, q resource.Query, p TaggedObserver, types ...string) ([]resource.Observation, error) {
	tagged, err := Tagged(ctx, api, q.Stack, types...)
	if err != nil {
		return nil, err
	}
	return p.ObserveTagged(ctx, q, tagged)
}
