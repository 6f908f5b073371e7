// Package awstest drives handlers the way kcstack does — observe, plan,
// apply — for the lifecycle tests of the handler packages.
package awstest

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// Cycle plans and applies desired resources of one stack with a set of
// handlers and observers.
type Cycle struct {
	t         *testing.T
	stack     string
	registry  resource.Registry
	observers []resource.Observer
}

// NewCycle registers handlers and observers for stack.
func NewCycle(t *testing.T, stack string, handlers []resource.Handler, observers []resource.Observer) *Cycle {
	c := &Cycle{t: t, stack: stack, registry: resource.Registry{}}
	c.Add(handlers, observers)
	return c
}

// Add registers more handlers and observers (those of the kinds the tested
// ones depend on).
func (c *Cycle) Add(handlers []resource.Handler, observers []resource.Observer) {
	for _, h := range handlers {
		c.registry[h.Describe().Kind] = h
	}
	c.observers = append(c.observers, observers...)
}

// Plan observes AWS and plans ds (or, with destroy, the removal of
// everything the stack owns); a failure ends the test.
func (c *Cycle) Plan(ds []resource.Desired, destroy bool) *plan.Plan {
	c.t.Helper()
	ctx := context.Background()
	snap, err := state.Observe(ctx, c.stack, ds, c.observers)
	if err != nil {
		c.t.Fatalf("observe: %v", err)
	}
	p, err := plan.Compute(plan.Input{Stack: c.stack, Desired: ds, Snapshot: snap, Registry: c.registry, Destroy: destroy, Now: time.Now()})
	if err != nil {
		c.t.Fatalf("plan: %v", err)
	}
	return p
}

// Apply applies p; anything failed or not run ends the test.
func (c *Cycle) Apply(p *plan.Plan) {
	c.t.Helper()
	if res := apply.Apply(context.Background(), p, apply.Options{Stack: c.stack, Handlers: c.registry, Retryable: awserr.IsAmbiguous}); !res.OK() {
		c.t.Fatalf("apply: failed %v, not run %v", res.Failed, res.NotRun)
	}
}

// NoChanges fails the test unless the plan of ds changes nothing; when
// says when ("after apply").
func (c *Cycle) NoChanges(ds []resource.Desired, when string) {
	c.t.Helper()
	if got := Changes(c.Plan(ds, false)); len(got) > 0 {
		c.t.Fatalf("%s: %v, want no changes", when, got)
	}
}

// Update plans changed, checks that its actions are exactly want (by
// address), applies it and checks that nothing is left to plan. what
// says what changed.
func (c *Cycle) Update(changed []resource.Desired, want map[string]plan.Action, what string) {
	c.t.Helper()
	p := c.Plan(changed, false)
	if got := Changes(p); !maps.Equal(got, want) {
		c.t.Fatalf("%s: actions %v, want %v", what, got, want)
	}
	c.Apply(p)
	c.NoChanges(changed, "after the update")
}

// DestroyAll applies the destroy plan of ds and checks that the stack
// then owns nothing: the plan of ds adds everything again and destroys
// nothing.
func (c *Cycle) DestroyAll(ds []resource.Desired) {
	c.t.Helper()
	c.Apply(c.Plan(ds, true))
	if p := c.Plan(ds, false); p.Summary.Add != len(ds) || p.Summary.Destroy != 0 {
		c.t.Errorf("after destroy: %+v, want everything to add again and nothing left to destroy", p.Summary)
	}
}

// Observed returns what p observed at addr; observing nothing there ends
// the test.
func Observed(t *testing.T, p *plan.Plan, addr string) *resource.Observation {
	t.Helper()
	for _, c := range p.Changes {
		if c.Address == addr && c.Observed != nil {
			return c.Observed
		}
	}
	t.Fatalf("the plan observed nothing at %s", addr)
	return nil
}

// Changes returns the actions of p other than no-op, by address.
func Changes(p *plan.Plan) map[string]plan.Action {
	out := map[string]plan.Action{}
	for _, c := range p.Changes {
		if c.Action != plan.ActionNoOp {
			out[c.Address] = c.Action
		}
	}
	return out
}
