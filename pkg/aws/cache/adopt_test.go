package cache

import (
	"context"
	"strings"
	"testing"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/resource"
)

// TestCreateAdopts: a create whose resource exists already (an earlier
// create whose answer was lost) adopts it when it is tagged for the same
// stack and address, and refuses anyone else's, naming the address.
func TestCreateAdopts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.desired()
	sg := find(t, ds, "redis.subnet-group")
	user := find(t, ds, "redis.default-user")
	for _, d := range []*resource.Desired{sg, user} {
		h := e.handlers[d.Kind]
		first, err := h.Create(ctx, *d)
		if err != nil {
			t.Fatalf("Create(%s): %v", d.Address, err)
		}
		again, err := h.Create(ctx, *d)
		if err != nil || again.ID != first.ID || !again.Owned {
			t.Errorf("Create(%s) again: %v, %s owned %v; want %s adopted", d.Address, err, again.ID, again.Owned, first.ID)
		}
		other := *d
		other.Address += "-other"
		other.Tags = resource.WithTags(d.Tags, map[string]string{resource.TagAddress: other.Address}, nil)
		if _, err := h.Create(ctx, other); err == nil || !strings.Contains(err.Error(), "already exists and is not "+other.Address) {
			t.Errorf("Create(%s) over %s: %v, want a refusal naming the address", other.Address, d.Address, err)
		}
	}
}

// TestFinalSnapshotExists: a final snapshot name already taken is found
// before the delete, and the delete says what to change; the replication
// group stays.
func TestFinalSnapshotExists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.desired(shop)
	e.cycle.Apply(e.cycle.Plan(ds, false))
	rg := find(t, ds, "redis.replication-group")
	h := e.handlers[rg.Kind].(*ReplicationGroupHandler)
	ob := awstest.Observed(t, e.cycle.Plan(ds, false), rg.Address)
	if err := h.CheckDelete(ctx, *ob, rg.Options); err != nil {
		t.Fatalf("CheckDelete with a free snapshot name: %v", err)
	}
	if err := h.Delete(ctx, *ob, rg.Options); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	e.cycle.Apply(e.cycle.Plan(ds, false))
	ob = awstest.Observed(t, e.cycle.Plan(ds, false), rg.Address)
	if err := h.CheckDelete(ctx, *ob, rg.Options); err == nil || !strings.Contains(err.Error(), "its final snapshot kc-redis-final already exists") {
		t.Errorf("CheckDelete with a taken snapshot name: %v, want the name said", err)
	}
	if err := h.Delete(ctx, *ob, rg.Options); err == nil || !strings.Contains(err.Error(), "kc-redis-final already exists") {
		t.Errorf("Delete with a taken snapshot name: %v, want the name said", err)
	}
	if !awstest.Observed(t, e.cycle.Plan(ds, false), rg.Address).Exists {
		t.Errorf("the replication group was deleted without its final snapshot")
	}
}
