package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kcstack/kcstack/pkg/graph"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Options configure an apply.
type Options struct {
	// Stack is the stack name, for lookups by tag.
	Stack string
	// Handlers by kind.
	Handlers resource.Registry
	// Parallelism bounds concurrent changes (default 10).
	Parallelism int
	// OnEvent receives progress; calls are serialized.
	OnEvent func(Event)
	// Retry tunes retries of transient failures.
	Retry Backoff
	// Retryable reports whether the engine retries an error: what the SDK
	// does not retry itself, a create whose answer was lost (for AWS,
	// awserr.IsAmbiguous), looked up by its address tag before the retry.
	// Throttling and server errors are the SDK's to retry. Without it
	// nothing is retried.
	Retryable func(error) bool
}

// node names: one create (or update) and one delete node per change.
func createNode(a string) string { return "create " + a }
func deleteNode(a string) string { return "delete " + a }

type engine struct {
	o       Options
	changes map[string]plan.Change

	mu       sync.Mutex
	observed map[string]resource.Observation
	result   Result
	started  map[string]bool
	// stopped holds the changes whose waits the interruption ended.
	stopped map[string]bool
}

// Apply executes p. Cancelling ctx stops scheduling new changes; the AWS
// calls of changes already started finish, and their waits (and retries)
// end at once with resource.ErrStopped. The result lists what was done, what
// failed and what never ran.
func Apply(ctx context.Context, p *plan.Plan, o Options) *Result {
	if o.Parallelism <= 0 {
		o.Parallelism = 10
	}
	if o.OnEvent == nil {
		o.OnEvent = func(Event) {}
	}
	e := &engine{o: o, changes: map[string]plan.Change{}, observed: map[string]resource.Observation{}, started: map[string]bool{}, stopped: map[string]bool{}}
	var events sync.Mutex
	emit := o.OnEvent
	e.o.OnEvent = func(ev Event) {
		events.Lock()
		defer events.Unlock()
		emit(ev)
	}
	for _, c := range p.Changes {
		e.changes[c.Address] = c
		if c.Observed != nil && c.Observed.Exists {
			e.observed[c.Address] = *c.Observed
		}
	}
	g := buildGraph(p)
	// Calls in flight finish after an interruption; waits stop at once.
	work := resource.WithStop(context.WithoutCancel(ctx), ctx.Done())
	results, err := g.Walk(ctx, o.Parallelism, func(_ context.Context, node string) error {
		return e.visit(work, node)
	})
	if err != nil {
		e.result.Failed = append(e.result.Failed, Failure{Address: "plan", Err: err})
		return &e.result
	}
	e.collect(ctx, p, results)
	return &e.result
}

// buildGraph orders the changes: creates after their dependencies' creates
// (and after their own delete, for a replacement), deletes after the
// deletes of what depends on them.
func buildGraph(p *plan.Plan) graph.Graph {
	g := graph.Graph{}
	acts := map[string]plan.Action{}
	for _, c := range p.Changes {
		acts[c.Address] = c.Action
	}
	for _, c := range p.Changes {
		switch c.Action {
		case plan.ActionCreate, plan.ActionUpdate:
			g[createNode(c.Address)] = createDeps(c, acts)
		case plan.ActionReplace:
			g[createNode(c.Address)] = append(createDeps(c, acts), deleteNode(c.Address))
			g[deleteNode(c.Address)] = append(destroyDeps(c.DestroyAfter, acts), dependentDeletes(p, c.Address)...)
		case plan.ActionDelete:
			g[deleteNode(c.Address)] = destroyDeps(c.DependsOn, acts)
		}
	}
	return g
}

// createDeps maps a create's dependencies to graph nodes: the creates and
// updates it needs, and the deletes of what holds unique values it takes.
func createDeps(c plan.Change, acts map[string]plan.Action) []string {
	var deps []string
	for _, d := range c.DependsOn {
		switch acts[d] {
		case plan.ActionCreate, plan.ActionUpdate, plan.ActionReplace:
			deps = append(deps, createNode(d))
		}
	}
	for _, d := range c.DestroyFirst {
		deps = append(deps, deleteNode(d))
	}
	return deps
}

// destroyDeps maps what must finish before a delete to graph nodes: the
// deletes of what goes away (deleted or replaced), the updates of what
// moves off the resource.
func destroyDeps(addrs []string, acts map[string]plan.Action) []string {
	var deps []string
	for _, a := range addrs {
		switch acts[a] {
		case plan.ActionUpdate, plan.ActionCreate:
			deps = append(deps, createNode(a))
		default:
			deps = append(deps, deleteNode(a))
		}
	}
	return deps
}

// dependentDeletes returns the delete nodes of the replaced changes that
// depend on addr: their old resources must go first.
func dependentDeletes(p *plan.Plan, addr string) []string {
	var deps []string
	for _, c := range p.Changes {
		if c.Action != plan.ActionReplace {
			continue
		}
		for _, d := range c.DependsOn {
			if d == addr && c.Address != addr {
				deps = append(deps, deleteNode(c.Address))
			}
		}
	}
	return deps
}

func (e *engine) visit(ctx context.Context, node string) error {
	addr, isCreate := strings.CutPrefix(node, "create ")
	if !isCreate {
		addr = strings.TrimPrefix(node, "delete ")
	}
	c := e.changes[addr]
	h, err := e.o.Handlers.Handler(c.Kind)
	if err != nil {
		return e.fail(c, "", time.Now(), err)
	}
	e.markStarted(addr)
	if !isCreate {
		return e.destroy(ctx, h, c)
	}
	return e.createOrUpdate(ctx, h, c)
}

func (e *engine) markStarted(addr string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.started[addr] = true
}

func step(c plan.Change, s string) string {
	if c.Action == plan.ActionReplace {
		return s
	}
	return ""
}

func (e *engine) destroy(ctx context.Context, h resource.Handler, c plan.Change) error {
	start := time.Now()
	e.emit(c, Event{Phase: PhaseStarted, Step: step(c, "destroy"), At: start})
	var opts map[string]string
	if c.Desired != nil {
		opts = c.Desired.Options
	}
	err := e.retry(ctx, c, step(c, "destroy"), func(ctx context.Context) error { return h.Delete(ctx, *c.Observed, opts) })
	if err != nil {
		return e.fail(c, step(c, "destroy"), start, err)
	}
	e.mu.Lock()
	delete(e.observed, c.Address)
	if c.Action == plan.ActionDelete {
		e.result.Destroyed++
	}
	e.mu.Unlock()
	e.emit(c, Event{Phase: PhaseDone, Step: step(c, "destroy"), At: time.Now(), Elapsed: time.Since(start), ID: c.Observed.ID})
	return nil
}

func (e *engine) createOrUpdate(ctx context.Context, h resource.Handler, c plan.Change) error {
	start := time.Now()
	e.emit(c, Event{Phase: PhaseStarted, Step: step(c, "create"), At: start})
	d, err := e.resolve(c)
	if err != nil {
		return e.fail(c, step(c, "create"), start, err)
	}
	var ob resource.Observation
	if c.Action == plan.ActionUpdate {
		ob, err = e.update(ctx, h, c, d)
	} else {
		ob, err = e.create(ctx, h, c, d)
	}
	if err != nil {
		return e.fail(c, step(c, "create"), start, err)
	}
	e.record(c, ob)
	e.emit(c, Event{Phase: PhaseDone, Step: step(c, "create"), At: time.Now(), Elapsed: time.Since(start), ID: ob.ID})
	return nil
}

func (e *engine) record(c plan.Change, ob resource.Observation) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.observed[c.Address] = ob
	switch c.Action {
	case plan.ActionCreate:
		e.result.Added++
	case plan.ActionUpdate:
		e.result.Changed++
	case plan.ActionReplace:
		e.result.Added++
		e.result.Destroyed++
	}
}

// create makes the resource; before retrying a failed create it looks the
// resource up by its address tag, and adopts what an earlier attempt made,
// finishing its creation when the handler can resume one. A kind whose
// create is not idempotent (its descriptor says) and that cannot be looked
// up is never retried.
func (e *engine) create(ctx context.Context, h resource.Handler, c plan.Change, d resource.Desired) (resource.Observation, error) {
	var ob resource.Observation
	finder, canFind := h.(resource.Finder)
	first := true
	err := e.retry(ctx, c, step(c, "create"), func(ctx context.Context) error {
		if !first && !canFind && !h.Describe().Create.Idempotent {
			return fmt.Errorf("%s: a create of %s failed and cannot be retried safely: it may have made the resource, and kcstack cannot look it up; run kcstack plan to see what exists", c.Address, c.Kind)
		}
		if !first && canFind {
			found, err := finder.FindByAddress(ctx, e.o.Stack, c.Address)
			if err != nil {
				return err
			}
			if found.Exists {
				ob, err = resume(ctx, h, d, found)
				return err
			}
		}
		first = false
		var err error
		ob, err = h.Create(ctx, d)
		return err
	})
	return ob, err
}

// update changes the resource in place: Update for the fields, SetTags
// for the tags; a change of tags alone calls only SetTags.
func (e *engine) update(ctx context.Context, h resource.Handler, c plan.Change, d resource.Desired) (resource.Observation, error) {
	ob := *c.Observed
	diffs, set, remove := resource.SplitTagDiffs(c.Diffs)
	if len(diffs) > 0 {
		err := e.retry(ctx, c, "", func(ctx context.Context) (err error) {
			ob, err = h.Update(ctx, d, *c.Observed, diffs)
			return err
		})
		if err != nil {
			return ob, err
		}
	}
	if set == nil && remove == nil {
		return ob, nil
	}
	tagger, ok := h.(resource.Tagger)
	if !ok {
		return ob, fmt.Errorf("%s: the plan changes the tags of a %s, which kcstack cannot tag", c.Address, c.Kind)
	}
	if err := e.retry(ctx, c, "", func(ctx context.Context) error { return tagger.SetTags(ctx, ob, set, remove) }); err != nil {
		return ob, err
	}
	ob.Tags = resource.WithTags(ob.Tags, set, remove)
	return ob, nil
}

// resume finishes the creation of found, made by an earlier attempt.
func resume(ctx context.Context, h resource.Handler, d resource.Desired, found resource.Observation) (resource.Observation, error) {
	r, ok := h.(resource.Resumer)
	if !ok {
		return found, nil
	}
	return r.Resume(ctx, d, found)
}

// resolve fills the change's references from what exists now.
func (e *engine) resolve(c plan.Change) (resource.Desired, error) {
	if c.Desired == nil {
		return resource.Desired{}, fmt.Errorf("%s: the plan carries no desired state for a %s", c.Address, c.Action)
	}
	d := *c.Desired
	e.mu.Lock()
	d.Props = resource.Resolve(d.Props, func(r resource.Ref) (string, bool) {
		ob, ok := e.observed[r.Address]
		v := ob.Attrs[r.Attr]
		return v, ok && v != ""
	})
	e.mu.Unlock()
	for _, k := range resource.SortedKeys(d.Props) {
		if resource.HasRef(d.Props[k]) {
			return d, fmt.Errorf("%s: %s refers to a resource that does not exist", c.Address, k)
		}
	}
	return d, nil
}

// fail records a failed change; one whose wait the interruption ended
// makes the apply interrupted.
func (e *engine) fail(c plan.Change, s string, start time.Time, err error) error {
	e.mu.Lock()
	e.result.Failed = append(e.result.Failed, Failure{Address: c.Address, Err: err})
	if errors.Is(err, resource.ErrStopped) {
		e.result.Interrupted = true
		e.stopped[c.Address] = true
	}
	e.mu.Unlock()
	e.emit(c, Event{Phase: PhaseFailed, Step: s, At: time.Now(), Elapsed: time.Since(start), Err: err})
	return err
}

func (e *engine) emit(c plan.Change, ev Event) {
	ev.Address, ev.Kind, ev.Action = c.Address, c.Kind, c.Action
	e.o.OnEvent(ev)
}

// collect reports the changes that never ran. The apply counts as
// interrupted only when the interruption left something undone: an
// interrupt after the last change started changes nothing.
func (e *engine) collect(ctx context.Context, p *plan.Plan, results map[string]graph.Result) {
	seen := map[string]bool{}
	for _, c := range p.Changes {
		for _, n := range []string{deleteNode(c.Address), createNode(c.Address)} {
			r, ok := results[n]
			if !ok || !r.Skipped || seen[c.Address] {
				continue
			}
			seen[c.Address] = true
			e.result.NotRun = append(e.result.NotRun, c.Address)
			blocked := strings.TrimPrefix(strings.TrimPrefix(failedCause(results, r), "create "), "delete ")
			if e.stopped[blocked] {
				blocked = "" // held back by the interruption, not by a failure
			}
			if blocked == "" && ctx.Err() != nil {
				e.result.Interrupted = true
			}
			e.emit(c, Event{Phase: PhaseSkipped, At: time.Now(), BlockedBy: blocked})
		}
	}
}

// failedCause follows a skipped node's chain of blocked dependencies to
// the node that failed, and returns "" when the chain ends at a node the
// interruption kept from starting: a change waiting on one that never ran
// is not blocked by a failure.
func failedCause(results map[string]graph.Result, r graph.Result) string {
	for seen := map[string]bool{}; r.BlockedBy != "" && !seen[r.BlockedBy]; {
		seen[r.BlockedBy] = true
		dep, ok := results[r.BlockedBy]
		if !ok || !dep.Skipped {
			return r.BlockedBy
		}
		r = dep
	}
	return ""
}
