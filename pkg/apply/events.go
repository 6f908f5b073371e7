package apply

import (
	"time"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Phase is where a change is.
type Phase string

// Phases of a change, in the order they happen.
const (
	PhaseStarted Phase = "started"
	PhaseRetry   Phase = "retrying"
	PhaseDone    Phase = "done"
	PhaseFailed  Phase = "failed"
	PhaseSkipped Phase = "skipped"
)

// Event reports progress on one change. Events of one apply are delivered
// one at a time, in the order they happen.
type Event struct {
	Address string
	Kind    resource.Kind
	Action  plan.Action
	Phase   Phase
	// Step is "destroy" or "create" for the two halves of a replacement,
	// empty otherwise.
	Step    string
	At      time.Time
	Elapsed time.Duration
	// ID is the resource's AWS id once done.
	ID string
	// Err is the failure (PhaseFailed) or the error being retried.
	Err error
	// BlockedBy names the failed dependency of a skipped change; empty
	// when the apply was interrupted before the change started.
	BlockedBy string
	// Attempt counts retries, from 2.
	Attempt int
}

// Result is what an apply did.
type Result struct {
	Added, Changed, Destroyed int
	// Failed holds every failed change with its error, in plan order.
	Failed []Failure
	// NotRun lists changes that never started: blocked by a failure or
	// by the interruption.
	NotRun []string
	// Interrupted is set when an interruption kept changes from starting
	// (they are in NotRun).
	Interrupted bool
}

// Failure is one change that failed.
type Failure struct {
	Address string
	Err     error
}

// OK reports whether everything was applied.
func (r *Result) OK() bool { return len(r.Failed) == 0 && len(r.NotRun) == 0 && !r.Interrupted }
