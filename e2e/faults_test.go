package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/stack"
	"github.com/kcstack/kcstack/pkg/state"
)

// faultRuns is how many attempts (a clean failure, then re-runs) an apply
// under faults may take to converge.
const faultRuns = 4

// TestApplyUnderFaults is the acceptance item "with the sandbox at
// --error-rate 0.2 --throttle-rate 0.2, over 20 seeded runs apply
// converges (directly, or after a clean failure and a re-run) with zero
// duplicate resources", with lost responses (a change made, then a 500)
// on top, since those are what could create something twice. It runs the
// pieces kcstack apply runs (lock, observe, plan, apply, unlock) in
// process, with short SDK backoffs so that the 20 runs stay fast.
func TestApplyUnderFaults(t *testing.T) {
	seeded(t, 20, 5, func(t *testing.T, seed uint64) {
		e := faultySandbox(t, sandbox.Faults{ErrorRate: 0.2, ThrottleRate: 0.2, AmbiguousRate: 0.1, Seed: seed})
		st := loadExample(t, e)
		runs := converge(t, e, st, false)
		if diff := cmp.Diff(wantInventory, e.owned(t, stackName)); diff != "" {
			t.Errorf("owned resources after apply (-want +got):\n%s", diff)
		}
		destroyRuns := converge(t, e, st, true)
		if diff := cmp.Diff(emptyInventory, e.owned(t, stackName)); diff != "" {
			t.Errorf("owned resources after destroy (-want +got):\n%s", diff)
		}
		if e.lockHeld(t, stackName) {
			t.Errorf("the stack lock is still held")
		}
		t.Logf("apply converged in %d runs, destroy in %d", runs, destroyRuns)
	})
}

// faultySandbox starts a sandbox that already holds the ROSA networks (made
// without faults, since the fixture does not guard its creates) and then
// injects f.
func faultySandbox(t *testing.T, f sandbox.Faults) *env {
	t.Helper()
	file := filepath.Join(t.TempDir(), "sandbox.json")
	clean, err := sandbox.Start(sandbox.WithStateFile(file))
	if err != nil {
		t.Fatal(err)
	}
	(&env{cfg: sandboxtest.AWSConfig(t, clean)}).rosaNetworks(t)
	if err := clean.Close(); err != nil {
		t.Fatal(err)
	}
	e, _ := newSandbox(t, sandbox.WithStateFile(file), sandbox.WithFaults(f))
	// Connections the clients opened but never used are new, not idle, to
	// the server, which then waits 5 s before it closes them: close them
	// here first (cleanups run last registered first).
	tr := http.DefaultTransport.(*http.Transport).Clone()
	e.cfg.HTTPClient = &http.Client{Transport: tr}
	t.Cleanup(tr.CloseIdleConnections)
	return e
}

func loadExample(t *testing.T, e *env) *stack.Stack {
	t.Helper()
	st, ds, err := stack.LoadFile(e.stackFile(t, "aurora-rosa.yaml", unprotected...))
	if err != nil || ds.HasErrors() {
		t.Fatalf("load the example: %v\n%s", err, ds)
	}
	return st
}

// converge applies (or destroys) until a run succeeds, checking that every
// run that does not is a clean failure, and that the next plan is empty.
// It returns the number of runs.
func converge(t *testing.T, e *env, st *stack.Stack, destroy bool) int {
	t.Helper()
	cfg := clientConfig(e)
	for run := 1; run <= faultRuns; run++ {
		res, err := applyInProcess(cfg, st, destroy)
		if err == nil && res.OK() {
			// The check reads with more attempts than kcstack makes: at
			// 40% faults, some call of a plan exhausts 10 attempts now
			// and then, which says nothing about what apply left.
			p, err := planInProcess(e.robust(), st, destroy)
			if err != nil {
				t.Fatalf("plan after a successful apply: %v", err)
			}
			if p.HasChanges() {
				t.Fatalf("the plan after a successful apply (destroy %t) is not empty: %+v\n%s", destroy, p.Summary, describePlan(p))
			}
			return run
		}
		if err == nil {
			checkCleanFailure(t, res)
		}
		t.Logf("run %d (destroy %t) did not converge: %v %s", run, destroy, err, describeResult(res))
	}
	t.Fatalf("apply (destroy %t) did not converge in %d runs", destroy, faultRuns)
	return 0
}

// checkCleanFailure checks what a failed apply reports: each failure with
// its cause, nothing both failed and not run, and no interruption.
func checkCleanFailure(t *testing.T, res *apply.Result) {
	t.Helper()
	if len(res.Failed) == 0 || res.Interrupted {
		t.Errorf("a failed apply must report its failures and not claim an interruption: %s", describeResult(res))
	}
	failed := map[string]bool{}
	for _, f := range res.Failed {
		if f.Err == nil || f.Address == "" {
			t.Errorf("failure without an address or a cause: %+v", f)
		}
		failed[f.Address] = true
	}
	for _, a := range res.NotRun {
		if failed[a] {
			t.Errorf("%s is reported both failed and not run", a)
		}
	}
}

func describeResult(res *apply.Result) string {
	if res == nil {
		return ""
	}
	var fs []string
	for _, f := range res.Failed {
		fs = append(fs, f.Address+": "+f.Err.Error())
	}
	return fmt.Sprintf("(%d added, %d destroyed; failed: [%s]; not run: %v)", res.Added, res.Destroyed, strings.Join(fs, "; "), res.NotRun)
}

// clientConfig is what kcstack apply uses (the retryer of
// internal/cli/aws.go: 10 attempts, no retry quota; provider.New returns
// ambiguous creates to the engine) with shorter backoffs.
func clientConfig(e *env) aws.Config {
	return e.retrying(10)
}

// planInProcess observes and plans as kcstack plan does.
func planInProcess(cfg aws.Config, st *stack.Stack, destroy bool) (*plan.Plan, error) {
	p, _, err := planWithProvider(context.Background(), cfg, st, destroy)
	return p, err
}

// planWithProvider is planInProcess within ctx that also returns the
// provider it planned with, whose handlers apply the plan.
func planWithProvider(ctx context.Context, cfg aws.Config, st *stack.Stack, destroy bool) (*plan.Plan, *provider.Provider, error) {
	prov, err := provider.New(cfg, st.Metadata.Name)
	if err != nil {
		return nil, nil, fmt.Errorf("provider: %w", err)
	}
	ds, err := desired.Resources(st)
	if err != nil {
		return nil, nil, err
	}
	snap, err := state.Observe(ctx, st.Metadata.Name, ds, prov.Observers)
	if err != nil {
		return nil, nil, err
	}
	p, err := plan.Compute(plan.Input{
		Stack: st.Metadata.Name, Region: cfg.Region, StackDigest: st.Digest(),
		Desired: ds, Snapshot: snap, Registry: prov.Registry, Destroy: destroy, Now: time.Now(),
	})
	return p, prov, err
}

// applyInProcess runs one kcstack apply (or destroy): lock, plan, apply,
// unlock. An error is a failure before any change.
func applyInProcess(cfg aws.Config, st *stack.Stack, destroy bool) (*apply.Result, error) {
	ctx := context.Background()
	lock, err := apply.Acquire(ctx, ssm.NewFromConfig(cfg), st.Metadata.Name, "kcstack apply (e2e)", 0)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	res, err := planAndApply(ctx, cfg, st, destroy)
	if rerr := lock.Release(); rerr != nil {
		err = errors.Join(err, fmt.Errorf("release the lock: %w", rerr))
	}
	return res, err
}

func planAndApply(ctx context.Context, cfg aws.Config, st *stack.Stack, destroy bool) (*apply.Result, error) {
	p, prov, err := planWithProvider(ctx, cfg, st, destroy)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return apply.Apply(ctx, p, apply.Options{Stack: st.Metadata.Name, Handlers: prov.Registry, Retryable: awserr.IsAmbiguous, Retry: apply.Backoff{First: 5 * time.Millisecond, Max: 50 * time.Millisecond}}), nil
}

func describePlan(p *plan.Plan) string {
	var b strings.Builder
	for _, c := range p.Changes {
		if c.Action == plan.ActionNoOp {
			continue
		}
		fmt.Fprintf(&b, "  %s %s", c.Action, c.Address)
		for _, d := range c.Diffs {
			fmt.Fprintf(&b, " [%s: %v → %v]", d.Path, d.Before, d.After)
		}
		b.WriteString("\n")
	}
	return b.String()
}
