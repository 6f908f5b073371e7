package ownership

import (
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
