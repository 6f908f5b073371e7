package provider_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/stack"
	"github.com/kcstack/kcstack/pkg/state"
)

// TestOutputsObserved applies the ECS JDBC_PING example on the sandbox,
// observes it once, and checks every output each AWS kind's descriptor
// declares: the kind's observer sets the attribute on every resource of
// the kind it reads, and every kind declaring outputs was read.
func TestOutputsObserved(t *testing.T) {
	srv := sandboxtest.New(t)
	st, ds, err := stack.LoadFile(filepath.Join("..", "..", "..", "examples", "ecs-jdbc-ping.yaml"))
	if err != nil || ds.HasErrors() {
		t.Fatalf("load: %v %s", err, ds)
	}
	p, err := provider.New(sandboxtest.AWSConfig(t, srv), st.Metadata.Name, provider.WithWait(poll.Options{First: 10 * time.Millisecond, Max: 50 * time.Millisecond, Timeout: time.Minute}))
	if err != nil {
		t.Fatal(err)
	}
	all, err := desired.Resources(st)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	snap := observe(ctx, t, st.Metadata.Name, all, p)
	pl, err := plan.Compute(plan.Input{Stack: st.Metadata.Name, Desired: all, Snapshot: snap, Registry: p.Registry, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if res := apply.Apply(ctx, pl, apply.Options{Stack: st.Metadata.Name, Handlers: p.Registry, Retryable: awserr.IsAmbiguous, Parallelism: 10}); !res.OK() {
		t.Fatalf("apply: %+v", res.Failed)
	}
	snap = observe(ctx, t, st.Metadata.Name, all, p)
	read := map[resource.Kind]bool{}
	for _, ob := range snap.Observations {
		if !ob.Exists {
			continue
		}
		read[ob.Kind] = true
		for _, o := range p.Registry[ob.Kind].Describe().Outputs {
			if ob.Attrs[o.Attr] == "" {
				t.Errorf("%s (%s): output %s declares attribute %s, which its observer does not set", ob.Address, ob.Kind, o.Name, o.Attr)
			}
		}
	}
	for k, d := range p.Registry.Descriptors() {
		if len(d.Outputs) > 0 && !read[k] {
			t.Errorf("%s declares outputs, but the example has no resource of the kind to check them on", k)
		}
	}
}

func observe(ctx context.Context, t *testing.T, name string, all []resource.Desired, p *provider.Provider) *state.Snapshot {
	t.Helper()
	snap, err := state.Observe(ctx, name, all, p.Observers)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}
