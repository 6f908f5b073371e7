package cache

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/internal/testutil/moto"
	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestMain(m *testing.M) { os.Exit(moto.Run(m)) }

// TestMotoLifecycle applies the stack's Redis without its user group on
// moto (an AWS emulator none of us wrote), plans it again to nothing and
// deletes the users and the replication group. Where moto (5.2) departs
// from AWS: its replication groups' member clusters cannot be described
// and it reports no replicas (motoMissing); it has no user groups (CreateUserGroup and DescribeUserGroups
// answer 500), so the user group and the replication group's reference
// to it are left out; it has no ModifyUser, ModifyUserGroup,
// ModifyReplicationGroup nor replica counts, so nothing is updated; it
// cannot delete a cache subnet group, so the group is left; it never removes
// a deleted replication group (it stays deleting); and its
// resources are available as soon as they are created.
func TestMotoLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnvOn(t, sandboxtest.Config(t, moto.URL(t)), moto.Stack())
	ds := withoutUserGroup(e.desired(shop))
	e.cycle.Apply(e.cycle.Plan(ds, false))
	p := e.cycle.Plan(ds, false)
	for _, c := range p.Changes {
		want := []string(nil)
		if c.Address == "redis.replication-group" {
			want = motoMissing
		}
		if diff := cmp.Diff(want, awstest.Paths(c.Diffs)); diff != "" {
			t.Errorf("%s after apply on moto (%s): diffs -want +got:\n%s", c.Address, c.Action, diff)
		}
	}
	// moto never removes a deleted replication group: it stays
	// "deleting", so the wait for it to be gone times out.
	rg := awstest.Observed(t, p, "redis.replication-group")
	short := &ReplicationGroupHandler{e.handlers[resource.KindReplicationGroup].(*ReplicationGroupHandler).handler}
	short.Wait = &poll.Options{First: 10 * time.Millisecond, Max: 50 * time.Millisecond, Timeout: 300 * time.Millisecond}
	if err := short.Delete(context.Background(), *rg, map[string]string{"skip_final_snapshot": "true"}); !errors.Is(err, poll.ErrTimeout) || !strings.Contains(err.Error(), `"deleting"`) {
		t.Errorf("delete the replication group on moto: %v, want a wait that ends with it deleting", err)
	}
	for _, addr := range []string{"redis.user[shop-dev]", "redis.default-user", "redis.secret[shop-dev]"} {
		ob := awstest.Observed(t, p, addr)
		if err := e.handlers[ob.Kind].Delete(context.Background(), *ob, find(t, ds, addr).Options); err != nil {
			t.Fatalf("delete %s on moto: %v", addr, err)
		}
	}
	actions := awstest.Changes(e.cycle.Plan(ds, false))
	for _, addr := range []string{"redis.user[shop-dev]", "redis.default-user", "redis.secret[shop-dev]"} {
		if actions[addr] != plan.ActionCreate {
			t.Errorf("%s after its delete on moto: %s, want it created again", addr, actions[addr])
		}
	}
}

// motoMissing are the diffs of a replication group on moto: its member
// cache clusters cannot be described (CacheClusterNotFound), so what only
// they report is missing, and it reports no replica.
var motoMissing = []string{propEngineVersion, propMaintenanceWindow, propReplicas, propSecurityGroupIDs,
	propSubnetGroup + " (replace: a replication group cannot move to another cache subnet group)"}

// withoutUserGroup drops the user group, which moto lacks, and the
// replication group's reference to it.
func withoutUserGroup(ds []resource.Desired) []resource.Desired {
	ds = slices.DeleteFunc(ds, func(d resource.Desired) bool { return d.Kind == resource.KindCacheUserGroup })
	for i := range ds {
		if ds[i].Kind == resource.KindReplicationGroup {
			delete(ds[i].Props, propUserGroupIDs)
			ds[i].DependsOn = []string{"redis.subnet-group", "redis.default-user", "redis.user[shop-dev]"}
		}
	}
	return ds
}
