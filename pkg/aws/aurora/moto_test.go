package aurora

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/internal/testutil/moto"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestMain(m *testing.M) { os.Exit(moto.Run(m)) }

// newMotoEnv is an env against moto's server (an AWS emulator none of us
// wrote), possibly shared with other packages: every name is unique.
func newMotoEnv(t *testing.T) (*env, string) {
	t.Helper()
	cfg := sandboxtest.Config(t, moto.URL(t))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	cfg.HTTPClient = &http.Client{Transport: tr}
	t.Cleanup(tr.CloseIdleConnections)
	e := &env{
		stack: moto.Stack(), cfg: cfg, rds: rds.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg),
		h: newKinds(rds.NewFromConfig(cfg), rgt.NewFromConfig(cfg), &testPoll),
	}
	e.net = makeNetwork(t, e.ec2)
	return e, e.stack
}

// TestMotoLifecycle runs create, a no-change observe, an instance class
// update and ordered deletes against moto. Where moto (5.2) departs from
// AWS: its tagging API never lists RDS subnet groups (GetResources with
// rds:subgrp, rds or no type filter returns none, although
// ListTagsForResource shows their tags), so the observer's
// ListTagsForResource fallback for desired groups is what finds them owned
// here; and its resources are available as soon as they are created.
func TestMotoLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e, name := newMotoEnv(t)
	ds := e.namedDesired(e.stack, name, 2)
	obs := e.createAll(t, ds)
	observed := e.observe(t, ds)
	if diff := cmp.Diff(map[string][]resource.FieldDiff{}, e.diffs(ds, observed)); diff != "" {
		t.Errorf("a freshly created stack plans changes against moto: -want +got:\n%s", diff)
	}
	for _, d := range ds {
		if o := observed[d.Address]; !o.Exists || !o.Owned {
			t.Errorf("%s: observed Exists %v Owned %v, want an owned resource", d.Address, o.Exists, o.Owned)
		}
	}
	ds[3].Props["instance_class"] = "db.r6g.xlarge"
	fd := e.h.instance.Diff(ds[3], observed[ds[3].Address])
	if _, err := e.h.instance.Update(ctx, ds[3], observed[ds[3].Address], fd); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if diff := cmp.Diff(map[string][]resource.FieldDiff{}, e.diffs(ds, e.observe(t, ds))); diff != "" {
		t.Errorf("after Update the plan is not empty: -want +got:\n%s", diff)
	}
	deleteAll(t, e, ds, obs)
	for addr, o := range e.observe(t, ds) {
		if o.Exists {
			t.Errorf("%s still exists after Delete", addr)
		}
	}
}

// TestMotoTagDrift is TestTagDrift's change of tags in the file and by
// hand against moto, whose tagging API never lists subnet groups: their
// tags come from the observer's ListTagsForResource there.
func TestMotoTagDrift(t *testing.T) {
	t.Parallel()
	e, name := newMotoEnv(t)
	ds := ordered(e.namedDesired(e.stack, name, 1))
	c := e.cycle(t)
	c.Apply(c.Plan(ds, false))
	checkTagDrift(t, e, c, ds)
	c.Apply(c.Plan(ds, true))
}
