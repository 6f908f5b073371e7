package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/fixture"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/stack"
)

// benchLatency is the latency the sandbox adds to every call in the
// benchmark, as a round trip to an AWS region would.
const benchLatency = 50 * time.Millisecond

// callExceptions are the operations a no-change plan may call more than
// once, with the design's reason; every other operation is called at most
// once (a single page: the example stack is far below any page size).
// Two kinds take two different operations, each called once, so they need
// no entry: DB subnet groups (DescribeDBSubnetGroups carries no tags, so
// one tagging API GetResources call reads the tags of all of them), and
// routes and associations come with DescribeRouteTables (no call of their
// own).
var callExceptions = map[string]struct {
	max    int
	reason string
}{
	"ec2 DescribeVpcs": {2, "owned VPCs are read by the kcstack:stack tag and the referenced ROSA VPCs by their Name tag: " +
		"EC2 filters are ANDed, so the two sets cannot come from one call"},
}

// planFile is kcstack plan without the process: the pipeline of
// internal/cli (runContext.plan) — load the file, build the provider,
// observe, compute.
func planFile(ctx context.Context, cfg aws.Config, file string) (*plan.Plan, error) {
	st, ds, err := stack.LoadFile(file)
	if err != nil {
		return nil, err
	}
	if ds.HasErrors() {
		return nil, fmt.Errorf("%s: %s", file, ds.String())
	}
	p, _, err := planWithProvider(ctx, cfg, st, false)
	return p, err
}

// planCallsPerKind plans the applied stack in process and checks the calls
// the sandbox counted: at most one per operation (so per resource kind:
// each kind has its own describe), except callExceptions. A count is
// deterministic, so a test asserts it; speed is only benchmarked.
func planCallsPerKind(t *testing.T, srv *sandbox.Server, cfg aws.Config, file string) {
	srv.ResetCalls()
	p, err := planFile(context.Background(), cfg, file)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	if p.HasChanges() {
		t.Fatalf("plan of the applied stack has changes: %+v", p.Summary)
	}
	calls := srv.Calls()
	total := 0
	for _, op := range opNames(calls) {
		n := callCount(calls, op)
		total += n
		max := 1
		if ex, ok := callExceptions[op]; ok {
			max = ex.max
		}
		if n > max {
			t.Errorf("%s called %d times in one plan, want at most %d", op, n, max)
		}
	}
	t.Logf("a no-change plan made %d calls: %v", total, calls)
}

// opNames lists the calls as "service Operation", sorted.
func opNames(calls map[string]map[string]int) []string {
	var out []string
	for svc, ops := range calls {
		for op := range ops {
			out = append(out, svc+" "+op)
		}
	}
	sort.Strings(out)
	return out
}

func callCount(calls map[string]map[string]int, op string) int {
	var svc, name string
	fmt.Sscan(op, &svc, &name)
	return calls[svc][name]
}

func callTotal(calls map[string]map[string]int) int {
	n := 0
	for _, ops := range calls {
		for _, c := range ops {
			n += c
		}
	}
	return n
}

// BenchmarkPlanNoChanges measures a no-change plan of
// examples/aurora-rosa.yaml in process against a sandbox that adds 50 ms
// to every call. It reports the API calls per plan and the wall time per
// plan; the bar (issue 4) is about one call per resource kind, and
// 4 × 50 ms + 100 ms of wall time.
//
//	go test ./e2e -run '^$' -bench PlanNoChanges -benchtime 20x
func BenchmarkPlanNoChanges(b *testing.B) {
	stateFile, file := appliedStack(b)
	srv := sandboxtest.New(b, sandbox.WithStateFile(stateFile), sandbox.WithFaults(sandbox.Faults{Latency: benchLatency}))
	cfg := sandboxtest.AWSConfig(b, srv)
	ctx := context.Background()
	if p, err := planFile(ctx, cfg, file); err != nil || p.HasChanges() {
		b.Fatalf("plan of the applied stack: %v, changes %+v", err, p)
	}
	var calls int
	var worst time.Duration
	b.ResetTimer()
	for b.Loop() {
		srv.ResetCalls()
		start := time.Now()
		if _, err := planFile(ctx, cfg, file); err != nil {
			b.Fatal(err)
		}
		worst = max(worst, time.Since(start))
		calls += callTotal(srv.Calls())
	}
	b.ReportMetric(float64(calls)/float64(b.N), "calls/plan")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/plan")
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
	b.ReportMetric(float64(4*benchLatency.Milliseconds()+100), "bar-ms")
}

// appliedStack applies examples/aurora-rosa.yaml with the kcstack binary to
// a sandbox without latency that persists its state, and returns the state
// file (for a sandbox with latency to load) and the stack file.
func appliedStack(tb testing.TB) (stateFile, file string) {
	tb.Helper()
	dir := tb.TempDir()
	stateFile = filepath.Join(dir, "sandbox.json")
	srv, err := sandbox.Start(sandbox.WithStateFile(stateFile), sandbox.WithDelays(30*time.Millisecond, 10*time.Millisecond))
	if err != nil {
		tb.Fatalf("start sandbox: %v", err)
	}
	defer srv.Close()
	client := ec2.NewFromConfig(sandboxtest.AWSConfig(tb, srv))
	for cluster, cidr := range map[string]string{"gh-keycloak-a": "10.0.0.0/16", "gh-keycloak-b": "10.1.0.0/16"} {
		if _, err := fixture.EnsureROSANetwork(context.Background(), client, cluster, cidr); err != nil {
			tb.Fatalf("create the network of %s: %v", cluster, err)
		}
	}
	_, self, _, _ := runtime.Caller(0)
	file = filepath.Join(filepath.Dir(self), "..", "examples", "aurora-rosa.yaml")
	e := &env{URL: srv.URL(), Dir: dir}
	cmd := exec.Command(kcstackBin, "apply", "-f", file, "--auto-approve")
	cmd.Dir, cmd.Env = dir, e.environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("apply: %v\n%s", err, out)
	}
	if err := srv.Close(); err != nil {
		tb.Fatalf("close the sandbox: %v", err)
	}
	if _, err := os.Stat(stateFile); err != nil {
		tb.Fatal(err)
	}
	return stateFile, file
}
