package e2e

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/fixture"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/stack"
)

// benchCreateDelay and benchDeleteDelay are the sandbox's state-transition
// delays in the benchmark: RDS and peering waits dominate, as on AWS.
const (
	benchCreateDelay = time.Second
	benchDeleteDelay = 200 * time.Millisecond
)

// waits lists the kinds whose creation waits for a state the sandbox
// reaches after its create delay: DB clusters and instances become
// available, accepted peerings become active.
var waits = map[resource.Kind]bool{resource.KindDBCluster: true, resource.KindDBInstance: true, resource.KindPeering: true}

// BenchmarkApplyFromEmpty applies examples/aurora-rosa.yaml to an empty
// sandbox whose RDS and peering waits take 1 s, and reports the apply's
// wall time, the critical path of the plan's dependency graph (the sum of
// the create delays along its longest chain, such as subnet group →
// cluster → instance), and their ratio; the bar is a ratio of at
// most 1.2. It also reports the longest chain of measured change
// durations ("measured-path-s"): the difference from the wall time is
// scheduling, the difference from the critical path is waiting.
//
//	go test ./e2e -run '^$' -bench BenchmarkApplyFromEmpty -benchtime 3x
func BenchmarkApplyFromEmpty(b *testing.B) {
	_, file, _, _ := runtime.Caller(0)
	st, ds, err := stack.LoadFile(filepath.Join(filepath.Dir(file), "..", "examples", "aurora-rosa.yaml"))
	if err != nil || ds.HasErrors() {
		b.Fatalf("load the example: %v\n%s", err, ds)
	}
	var wall, total, critical, measured time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv := sandboxtest.New(b, sandbox.WithDelays(benchCreateDelay, benchDeleteDelay))
		e := &env{URL: srv.URL(), cfg: sandboxtest.AWSConfig(b, srv)}
		for cluster, cidr := range map[string]string{"gh-keycloak-a": "10.0.0.0/16", "gh-keycloak-b": "10.1.0.0/16"} {
			if _, err := fixture.EnsureROSANetwork(context.Background(), e.ec2(), cluster, cidr); err != nil {
				b.Fatal(err)
			}
		}
		cfg := clientConfig(e)
		b.StartTimer()

		start := time.Now()
		p, prov, err := planWithProvider(context.Background(), cfg, st, false)
		if err != nil {
			b.Fatal(err)
		}
		took, durations, res := applyTimed(p, prov)
		total += time.Since(start)
		if !res.OK() {
			b.Fatalf("apply: %s", describeResult(res))
		}
		wall += took
		critical += longestPath(p, func(c plan.Change) time.Duration {
			if waits[c.Kind] {
				return benchCreateDelay
			}
			return 0
		})
		measured += longestPath(p, func(c plan.Change) time.Duration { return durations[c.Address] })
	}
	n := float64(b.N)
	b.ReportMetric(wall.Seconds()/n, "apply-s")
	b.ReportMetric(total.Seconds()/n, "plan+apply-s")
	b.ReportMetric(critical.Seconds()/n, "critical-path-s")
	b.ReportMetric(measured.Seconds()/n, "measured-path-s")
	b.ReportMetric(wall.Seconds()/critical.Seconds(), "apply/critical")
}

// applyTimed applies p and returns its wall time and each change's
// measured duration.
func applyTimed(p *plan.Plan, prov *provider.Provider) (time.Duration, map[string]time.Duration, *apply.Result) {
	took := map[string]time.Duration{}
	start := time.Now()
	res := apply.Apply(context.Background(), p, apply.Options{Stack: p.Stack, Handlers: prov.Registry, Retryable: awserr.IsAmbiguous, OnEvent: func(ev apply.Event) {
		if ev.Phase == apply.PhaseDone {
			took[ev.Address] += ev.Elapsed
		}
	}})
	return time.Since(start), took, res
}

// longestPath is the heaviest chain through the creates of p, weighing
// each change with weight.
func longestPath(p *plan.Plan, weight func(plan.Change) time.Duration) time.Duration {
	done := map[string]time.Duration{}
	var longest time.Duration
	for _, c := range p.Changes { // already in apply order
		if c.Action == plan.ActionNoOp {
			continue
		}
		var before time.Duration
		for _, d := range c.DependsOn {
			before = max(before, done[d])
		}
		done[c.Address] = before + weight(c)
		longest = max(longest, done[c.Address])
	}
	return longest
}
