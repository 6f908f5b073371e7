package apply

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/graph"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

func onePlan() *plan.Plan {
	d := &resource.Desired{Address: "a", Kind: "fake:thing"}
	return &plan.Plan{Stack: "s", Changes: []plan.Change{{Address: "a", Kind: "fake:thing", Action: plan.ActionCreate, Desired: d}}}
}

// errLost stands for a create whose answer was lost; lostTransient says
// it may go away on retry.
var errLost = errors.New("CreateThing may or may not have succeeded: 500")

func lostTransient(err error) bool { return errors.Is(err, errLost) }

func TestCreateAfterAmbiguousFailure(t *testing.T) {
	lost := errLost
	cases := map[string]struct {
		reason      string
		found       bool
		wantCreates int
		wantResumed bool
		wantID      string
	}{
		"made": {
			reason: "the lost create made it: adopt it and resume its creation, never create twice",
			found:  true, wantCreates: 1, wantResumed: true, wantID: "made-by-first",
		},
		"not made": {
			reason: "the lost create made nothing: create again",
			found:  false, wantCreates: 2, wantID: "second",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			creates, resumed := 0, false
			h := &fakeHandler{
				CreateFn: func(context.Context, resource.Desired) (resource.Observation, error) {
					creates++
					if creates == 1 {
						return resource.Observation{}, lost
					}
					return resource.Observation{Exists: true, ID: "second"}, nil
				},
				FindFn: func(context.Context, string, string) (resource.Observation, error) {
					return resource.Observation{Exists: tc.found, ID: "made-by-first"}, nil
				},
				ResumeFn: func(_ context.Context, _ resource.Desired, o resource.Observation) (resource.Observation, error) {
					resumed = true
					return o, nil
				},
			}
			var ids []string
			res := Apply(context.Background(), onePlan(), Options{Stack: "s", Handlers: resource.Registry{"fake:thing": h},
				Retry: Backoff{First: time.Millisecond, Max: time.Millisecond}, Retryable: lostTransient,
				OnEvent: func(ev Event) {
					if ev.Phase == PhaseDone {
						ids = append(ids, ev.ID)
					}
				}})
			if !res.OK() {
				t.Fatalf("%s: apply failed: %+v", tc.reason, res)
			}
			got := struct {
				Creates int
				Resumed bool
				IDs     []string
			}{creates, resumed, ids}
			want := struct {
				Creates int
				Resumed bool
				IDs     []string
			}{tc.wantCreates, tc.wantResumed, []string{tc.wantID}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestInterruptedOnlyWhenSomethingWasLeft(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	h := &fakeHandler{CreateFn: func(context.Context, resource.Desired) (resource.Observation, error) {
		cancel() // the interrupt lands while the last change is in flight
		return resource.Observation{Exists: true, ID: "x"}, nil
	}}
	res := Apply(ctx, onePlan(), Options{Stack: "s", Handlers: resource.Registry{"fake:thing": h}})
	if !res.OK() || res.Interrupted || res.Added != 1 {
		t.Errorf("an interrupt after the last change started left nothing undone: want OK, got %+v", res)
	}
}

func TestFailedCause(t *testing.T) {
	results := map[string]graph.Result{
		"create failed":      {Err: errors.New("boom")},
		"create interrupted": {Skipped: true},
		"create after-fail":  {Skipped: true, BlockedBy: "create failed"},
		"create after-int":   {Skipped: true, BlockedBy: "create interrupted"},
		"create chain-fail":  {Skipped: true, BlockedBy: "create after-fail"},
		"create chain-int":   {Skipped: true, BlockedBy: "create after-int"},
	}
	cases := map[string]struct {
		reason string
		node   string
		want   string
	}{
		"direct failure":       {reason: "blocked by a failed change: name it", node: "create after-fail", want: "create failed"},
		"failure two away":     {reason: "blocked by a change blocked by a failure: name the failure", node: "create chain-fail", want: "create failed"},
		"interrupted":          {reason: "never started because of the interrupt", node: "create interrupted", want: ""},
		"after an interrupted": {reason: "waiting on a change the interrupt kept from starting is no failure", node: "create after-int", want: ""},
		"chain of interrupted": {reason: "however far the interrupted change is", node: "create chain-int", want: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := failedCause(results, results[tc.node]); got != tc.want {
				t.Errorf("%s: failedCause(%s) = %q, want %q", tc.reason, tc.node, got, tc.want)
			}
		})
	}
}

// blindHandler is a handler of fake:thing that cannot look resources up.
type blindHandler struct{ creates int }

func (h *blindHandler) Describe() resource.Descriptor { return fakeKind }
func (h *blindHandler) Diff(resource.Desired, resource.Observation) []resource.FieldDiff {
	return nil
}
func (h *blindHandler) Create(context.Context, resource.Desired) (resource.Observation, error) {
	h.creates++
	return resource.Observation{}, errLost
}
func (h *blindHandler) Update(context.Context, resource.Desired, resource.Observation, []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, nil
}
func (h *blindHandler) Delete(context.Context, resource.Observation, map[string]string) error {
	return nil
}

func TestNoBlindRetryOfUnsafeCreate(t *testing.T) {
	h := &blindHandler{}
	res := Apply(context.Background(), onePlan(), Options{Stack: "s", Handlers: resource.Registry{"fake:thing": h},
		Retry: Backoff{First: time.Millisecond, Max: time.Millisecond}, Retryable: lostTransient})
	if res.OK() || h.creates != 1 {
		t.Errorf("a lost create of a kind that is not idempotent and cannot be looked up: ok %v after %d creates, want a failure after 1", res.OK(), h.creates)
	}
}

// taggingHandler records the updates and tag changes the engine asks for.
type taggingHandler struct {
	fakeHandler
	updates [][]resource.FieldDiff
	tagged  []resource.Observation
	set     map[string]string
	remove  []string
}

func (h *taggingHandler) Update(_ context.Context, _ resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	h.updates = append(h.updates, diffs)
	o.ID = "updated"
	return o, nil
}

func (h *taggingHandler) SetTags(_ context.Context, o resource.Observation, set map[string]string, remove []string) error {
	h.tagged = append(h.tagged, o)
	h.set, h.remove = set, remove
	return nil
}

func TestUpdateTags(t *testing.T) {
	field := resource.FieldDiff{Path: "size", Before: "1", After: "2"}
	tags := []resource.FieldDiff{{Path: "tags.team", Before: "a", After: "b"}, {Path: "tags.old", Before: "x"}}
	cases := map[string]struct {
		reason      string
		diffs       []resource.FieldDiff
		wantUpdates [][]resource.FieldDiff
		wantTagged  string
	}{
		"tags only": {
			reason: "a change of tags alone never calls Update",
			diffs:  tags, wantTagged: "live",
		},
		"fields and tags": {
			reason: "Update gets the field diffs only; the tags are set on what it returned",
			diffs:  append([]resource.FieldDiff{field}, tags...), wantUpdates: [][]resource.FieldDiff{{field}}, wantTagged: "updated",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h := &taggingHandler{}
			live := resource.Observation{Address: "a", Kind: "fake:thing", Exists: true, ID: "live", Tags: map[string]string{"team": "a", "old": "x"}}
			p := &plan.Plan{Stack: "s", Changes: []plan.Change{{Address: "a", Kind: "fake:thing", Action: plan.ActionUpdate,
				Desired: &resource.Desired{Address: "a", Kind: "fake:thing"}, Observed: &live, Diffs: tc.diffs}}}
			res := Apply(context.Background(), p, Options{Stack: "s", Handlers: resource.Registry{"fake:thing": h}})
			if !res.OK() || res.Changed != 1 {
				t.Fatalf("%s: %+v", tc.reason, res)
			}
			if diff := cmp.Diff(tc.wantUpdates, h.updates); diff != "" {
				t.Errorf("%s: updates (-want +got):\n%s", tc.reason, diff)
			}
			if len(h.tagged) != 1 || h.tagged[0].ID != tc.wantTagged {
				t.Fatalf("%s: tagged %+v, want once, %s", tc.reason, h.tagged, tc.wantTagged)
			}
			if diff := cmp.Diff(map[string]string{"team": "b"}, h.set); diff != "" {
				t.Errorf("tags set (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"old"}, h.remove); diff != "" {
				t.Errorf("tags removed (-want +got):\n%s", diff)
			}
		})
	}
}

// waitingHandler's create waits until its context is stopped.
type waitingHandler struct {
	blindHandler
	started chan struct{}
}

func (h *waitingHandler) Create(ctx context.Context, _ resource.Desired) (resource.Observation, error) {
	close(h.started)
	select {
	case <-resource.Stop(ctx):
		return resource.Observation{}, fmt.Errorf("waiting for the thing: %w", resource.ErrStopped)
	case <-ctx.Done():
		return resource.Observation{}, errors.New("the call itself was cancelled: calls in flight must finish")
	case <-time.After(time.Minute):
		return resource.Observation{}, errors.New("the wait was not stopped")
	}
}

func TestInterruptStopsWaits(t *testing.T) {
	h := &waitingHandler{started: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-h.started
		cancel()
	}()
	res := Apply(ctx, onePlan(), Options{Stack: "s", Handlers: resource.Registry{"fake:thing": h}})
	if !res.Interrupted || len(res.Failed) != 1 || !errors.Is(res.Failed[0].Err, resource.ErrStopped) {
		t.Errorf("a wait in flight at the interruption: %+v, want it stopped and the apply interrupted", res)
	}
}
