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
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/stack"
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
	t.Parallel()
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

// converge is convergeWithin faultRuns runs.
func converge(t *testing.T, e *env, st *stack.Stack, destroy bool) int {
	t.Helper()
	runs, _ := convergeWithin(t, e, st, destroy, faultRuns)
	return runs
}

// convergeWithin applies (or destroys) st until a run succeeds, at most
// runs times, each run bounded by runBound, and checks the plan then is
// empty. It returns the number of runs and the errors of those that failed.
func convergeWithin(t *testing.T, e *env, st *stack.Stack, destroy bool, runs int) (int, []error) {
	t.Helper()
	cfg := clientConfig(e)
	var failures []error
	for run := 1; run <= runs; run++ {
		ctx, cancel := context.WithTimeout(context.Background(), runBound)
		res, err := applyInProcess(ctx, cfg, st, destroy)
		hung := ctx.Err() != nil
		cancel()
		if hung {
			t.Fatalf("run %d (destroy %t) did not end within %s: %v %s", run, destroy, runBound, err, describeResult(res))
		}
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
			return run, failures
		}
		if err == nil {
			checkCleanFailure(t, res)
		}
		failures = append(failures, runErrors(res, err)...)
		t.Logf("run %d (destroy %t) did not converge: %v %s", run, destroy, err, describeResult(res))
	}
	t.Fatalf("apply (destroy %t) did not converge in %d runs", destroy, runs)
	return 0, nil
}

// runErrors are the errors of a failed run: err, or those of res's
// failed changes.
func runErrors(res *apply.Result, err error) []error {
	if err != nil {
		return []error{err}
	}
	var out []error
	for _, f := range res.Failed {
		out = append(out, f.Err)
	}
	return out
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
	return planWithClusters(ctx, cfg, st, destroy, "")
}

// applyInProcess runs one kcstack apply (or destroy): lock, plan, apply,
// unlock, under ctx. An error is a failure before any change.
func applyInProcess(ctx context.Context, cfg aws.Config, st *stack.Stack, destroy bool) (*apply.Result, error) {
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

const (
	// ambiguousRate is the share of changing calls whose answers the
	// fault runs lose.
	ambiguousRate = 0.5
	// ambiguousSeeds is how many seeds each ECS example is applied with.
	ambiguousSeeds = 10
	// destroySeeds is how many of those seeds also destroy under faults.
	destroySeeds = 3
	// ambiguousRuns is how many runs (one apply, then two re-runs) an apply
	// or a destroy under lost answers may take to converge.
	ambiguousRuns = 3
	// runBound ends a run that hangs: every wait of the engine is bounded,
	// so a run that reaches it is a hang, reported as a failed run.
	runBound = 3 * time.Minute
)

// TestAmbiguousFaultRuns is issue 12's acceptance item "fault runs with
// --ambiguous-rate 0.5 for 10 seeds on each ECS example: converge within
// two re-runs, zero duplicate addresses, no hang". Each case has a
// sandbox of its own, with no creating or deleting delays, that loses the
// answer of half the changing calls after running them. Apply converges
// within ambiguousRuns runs (the plan afterwards, read without losses
// since reads lose nothing, is empty), every run ends within runBound,
// every address holds exactly one live resource (counted through the
// tagging API for the tagged kinds, and through EC2 for the attachments,
// associations and routes it does not list), and for the first
// destroySeeds seeds destroy converges too and leaves nothing tagged.
func TestAmbiguousFaultRuns(t *testing.T) {
	t.Parallel()
	for name, ex := range ecsExamples {
		for seed := uint64(1); seed <= ambiguousSeeds; seed++ {
			t.Run(fmt.Sprintf("%s/seed=%d", name, seed), func(t *testing.T) {
				t.Parallel()
				ambiguousRun(t, ex, seed)
			})
		}
	}
}

// ambiguousRun applies ex on a sandbox losing answers with seed, checks
// what exists, and for the first seeds destroys it.
func ambiguousRun(t *testing.T, ex ecsExample, seed uint64) {
	e, _ := newSandbox(t, sandbox.WithDelays(0, 0),
		sandbox.WithFaults(sandbox.Faults{AmbiguousRate: ambiguousRate, Seed: seed}))
	file := e.stackFile(t, ex.file, append(append([]string(nil), unprotectedECS...), ex.edits...)...)
	st, ds, err := stack.LoadFile(file)
	if err != nil || ds.HasErrors() {
		t.Fatalf("load %s: %v\n%s", ex.file, err, ds)
	}
	runs, failures := convergeWithin(t, e, st, false, ambiguousRuns)
	checkOnlyLostAnswers(t, failures)
	checkOneEach(t, e, st)
	if seed > destroySeeds {
		t.Logf("apply converged in %d runs", runs)
		return
	}
	destroyRuns, destroyFailures := convergeWithin(t, e, st, true, ambiguousRuns)
	checkOnlyLostAnswers(t, destroyFailures)
	checkNothingLeft(t, e, ex)
	if left := e.taggedCount(t, st.Metadata.Name, iamTypes(t, e)); len(left) > 0 {
		t.Errorf("IAM resources tagged with the stack after destroy: %v", left)
	}
	t.Logf("apply converged in %d runs, destroy in %d", runs, destroyRuns)
}

// checkOnlyLostAnswers checks that runs under lost answers failed only
// for the faults themselves: a call whose every attempt lost its answer
// (the SDK's or the engine's retries exhausted). A refusal (a name taken,
// an attachment already there) means a retry did not adopt what an
// earlier attempt made.
func checkOnlyLostAnswers(t *testing.T, failures []error) {
	t.Helper()
	for _, err := range failures {
		if msg := err.Error(); !strings.Contains(msg, "exceeded maximum number of attempts") && !strings.Contains(msg, "gave up after") {
			t.Errorf("a run failed for another reason than answers lost on every attempt: %v", err)
		}
	}
}

// iamTypes returns the tagging API resource types of the registry's IAM
// kinds, which the tagging API lists in us-east-1 only.
func iamTypes(t *testing.T, e *env) []string {
	t.Helper()
	prov, err := provider.New(e.cfg, "probe")
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, kind := range prov.Registry.Kinds() {
		d, _ := prov.Registry.Descriptor(kind)
		for _, typ := range d.TaggingTypes {
			if strings.HasPrefix(typ, "iam:") {
				types = append(types, typ)
			}
		}
	}
	if len(types) == 0 {
		t.Fatal("the registry has no IAM kinds: the check after destroy would read nothing")
	}
	return types
}

// checkOneEach checks that every address of st holds exactly one live
// resource: through the tagging API for the kinds it lists, and through
// EC2's own reads for the untagged kinds.
func checkOneEach(t *testing.T, e *env, st *stack.Stack) {
	t.Helper()
	prov, err := provider.New(e.cfg, st.Metadata.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range prov.Registry.Kinds() {
		d, _ := prov.Registry.Descriptor(kind)
		if len(d.TaggingTypes) == 0 {
			continue
		}
		want := map[string]int{}
		for _, a := range addressesOf(t, st, kind) {
			want[a] = 1
		}
		if diff := cmp.Diff(want, e.taggedCount(t, st.Metadata.Name, d.TaggingTypes)); diff != "" {
			t.Errorf("resources of %s per address (-want +got):\n%s", kind, diff)
		}
	}
	checkNetworkLinks(t, e, st.Metadata.Name)
}

// checkNetworkLinks checks the EC2 links the tagging API does not list,
// which EC2 would let a blind retry make twice: at most one internet
// gateway attached to each VPC of the stack, one live NAT gateway per
// subnet, every elastic IP associated (with its NAT gateway), one route
// per destination in each route table, and each subnet associated with
// one route table at most.
func checkNetworkLinks(t *testing.T, e *env, stackName string) {
	t.Helper()
	ctx := context.Background()
	api := ec2.NewFromConfig(e.robust())
	vpcs, err := api.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{ec2Filter("tag:"+resource.TagStack, stackName)}})
	check(t, "describe vpcs", err)
	attached := map[string]int{}
	for _, v := range vpcs.Vpcs {
		igws, err := api.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{ec2Filter("attachment.vpc-id", aws.ToString(v.VpcId))}})
		check(t, "describe internet gateways", err)
		attached["internet gateways attached to "+aws.ToString(v.VpcId)] = len(igws.InternetGateways)
	}
	atMostOne(t, attached)
	nats, err := api.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []ec2types.Filter{ec2Filter("state", "pending", "available")}})
	check(t, "describe NAT gateways", err)
	perSubnet := map[string]int{}
	for _, g := range nats.NatGateways {
		perSubnet["live NAT gateways in "+aws.ToString(g.SubnetId)]++
	}
	atMostOne(t, perSubnet)
	addrs, err := api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	check(t, "describe addresses", err)
	for _, a := range addrs.Addresses {
		if a.AssociationId == nil {
			t.Errorf("elastic IP %s is not associated", aws.ToString(a.AllocationId))
		}
	}
	tables, err := api.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{})
	check(t, "describe route tables", err)
	links := map[string]int{}
	for _, rt := range tables.RouteTables {
		for _, r := range rt.Routes {
			links["routes of "+aws.ToString(rt.RouteTableId)+" to "+aws.ToString(r.DestinationCidrBlock)]++
		}
		for _, a := range rt.Associations {
			if s := aws.ToString(a.SubnetId); s != "" {
				links["route tables associated with "+s]++
			}
		}
	}
	atMostOne(t, links)
}

// atMostOne fails t for every count above one, named by its key.
func atMostOne(t *testing.T, counts map[string]int) {
	t.Helper()
	for what, n := range counts {
		if n > 1 {
			t.Errorf("%d %s, want at most 1", n, what)
		}
	}
}

func ec2Filter(name string, values ...string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: values}
}
