package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/stack"
)

// twoTargets loads e2e/testdata/ecs-two-targets.yaml.
func twoTargets(tb testing.TB) *stack.Stack {
	tb.Helper()
	st, ds, err := stack.LoadFile(filepath.Join("testdata", "ecs-two-targets.yaml"))
	if err != nil || ds.HasErrors() {
		tb.Fatalf("load the stack: %v\n%s", err, ds)
	}
	return st
}

// span is when the deletes of one component started and ended.
type span struct{ start, end time.Time }

func (s *span) add(ev apply.Event) {
	switch ev.Phase {
	case apply.PhaseStarted:
		if s.start.IsZero() || ev.At.Before(s.start) {
			s.start = ev.At
		}
	case apply.PhaseDone:
		if ev.At.After(s.end) {
			s.end = ev.At
		}
	}
}

// destroyTimed destroys what st owns and returns, per target, the span of
// its deletes, from the apply's events.
func destroyTimed(tb testing.TB, e *env, st *stack.Stack) (*plan.Plan, map[string]*span, time.Duration) {
	tb.Helper()
	cfg := clientConfig(e)
	p, prov, err := planWithProvider(context.Background(), cfg, st, true)
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	spans := map[string]*span{}
	start := time.Now()
	res := apply.Apply(context.Background(), p, apply.Options{Stack: st.Metadata.Name, Handlers: prov.Registry, Retryable: awserr.IsAmbiguous,
		OnEvent: func(ev apply.Event) {
			mu.Lock()
			defer mu.Unlock()
			target := targetOf(ev.Address)
			if spans[target] == nil {
				spans[target] = &span{}
			}
			spans[target].add(ev)
		}})
	took := time.Since(start)
	if !res.OK() {
		tb.Fatalf("destroy: %s", describeResult(res))
	}
	return p, spans, took
}

func earliest(x, y time.Time) time.Time {
	if x.Before(y) {
		return x
	}
	return y
}

func latest(x, y time.Time) time.Time {
	if x.After(y) {
		return x
	}
	return y
}

// targetOf is the target an address belongs to, "" for the rest.
func targetOf(addr string) string {
	parts := strings.SplitN(addr, ".", 3)
	if len(parts) == 3 && parts[0] == "targets" {
		return parts[1]
	}
	return ""
}

// TestDestroyTargetsInParallel destroys a stack of two ECS targets on a
// sandbox whose resources take 2 s to create and 1 s to delete: the order
// of deletes comes from references, so no delete of one target waits for
// a delete of the other, and the two targets' deletes overlap in time, as
// the apply's event timestamps show.
func TestDestroyTargetsInParallel(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t, sandbox.WithDelays(2*time.Second, time.Second))
	st := twoTargets(t)
	if res, err := applyInProcess(context.Background(), clientConfig(e), st, false); err != nil || !res.OK() {
		t.Fatalf("apply: %v %s", err, describeResult(res))
	}
	p, spans, _ := destroyTimed(t, e, st)
	for _, c := range p.Changes {
		for _, d := range c.DependsOn {
			if a, b := targetOf(c.Address), targetOf(d); a != "" && b != "" && a != b {
				t.Errorf("the delete of %s waits for %s, of another target", c.Address, d)
			}
		}
	}
	a, b := spans["ecs-a"], spans["ecs-b"]
	if a == nil || b == nil || a.end.IsZero() || b.end.IsZero() {
		t.Fatalf("deletes of both targets: %+v %+v", a, b)
	}
	overlap := earliest(a.end, b.end).Sub(latest(a.start, b.start))
	shorter := min(a.end.Sub(a.start), b.end.Sub(b.start))
	t.Logf("ecs-a deletes %s, ecs-b deletes %s, overlapping %s", a.end.Sub(a.start), b.end.Sub(b.start), overlap)
	if overlap < shorter/2 {
		t.Errorf("the two targets' deletes overlap %s of %s: independent deletes must run side by side", overlap, shorter)
	}
}

// BenchmarkDestroyTwoTargets reports the wall time of destroying a stack
// of two ECS targets on a sandbox with 2 s creates and 1 s deletes.
//
//	go test ./e2e -run '^$' -bench BenchmarkDestroyTwoTargets -benchtime 2x
func BenchmarkDestroyTwoTargets(b *testing.B) {
	st := twoTargets(b)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e, _ := newSandbox(b, sandbox.WithDelays(2*time.Second, time.Second))
		if res, err := applyInProcess(context.Background(), clientConfig(e), st, false); err != nil || !res.OK() {
			b.Fatalf("apply: %v %s", err, describeResult(res))
		}
		b.StartTimer()
		_, _, took := destroyTimed(b, e, st)
		total += took
	}
	b.ReportMetric(total.Seconds()/float64(b.N), "destroy-s")
}

// TestDestroyFinalSnapshotTaken destroys a stack whose final snapshot
// name is already taken (a second destroy of a re-created stack): the
// plan fails before the first delete, naming the snapshot and what to do,
// and everything the stack owns is still there.
func TestDestroyFinalSnapshotTaken(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t, sandbox.WithDelays(50*time.Millisecond, 10*time.Millisecond))
	e.rosaNetworks(t)
	file := e.stackFile(t, "aurora-rosa.yaml", "      vpc: {cidr: 192.168.0.0/24}\n", "      vpc: {cidr: 192.168.0.0/24}\n      deletionProtection: false\n")
	mustRun(t, "apply", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	mustRun(t, "first destroy", e.kcstack(t, "destroy", "-f", file, "--auto-approve"), 0, "Destroy complete!")
	mustRun(t, "apply again", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	before := e.owned(t, stackName)
	r := e.kcstack(t, "destroy", "-f", file, "--auto-approve")
	mustRun(t, "second destroy", r, 1, "final snapshot", "already exists", "finalSnapshotIdentifier")
	if strings.Contains(r.Stdout, "Destroying...") {
		t.Errorf("the second destroy deleted something before failing:\n%s", r.Stdout)
	}
	if diff := cmp.Diff(before, e.owned(t, stackName)); diff != "" {
		t.Errorf("owned resources changed (-before +after):\n%s", diff)
	}
}
