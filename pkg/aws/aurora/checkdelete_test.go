package aurora

import (
	"context"
	"strings"
	"testing"
)

// TestCheckDeleteFinalSnapshotTaken deletes a cluster with a final
// snapshot, makes it again, and checks that CheckDelete then reports the
// taken name before a second delete, and nothing once the file skips the
// snapshot or names another one.
func TestCheckDeleteFinalSnapshotTaken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(0)
	obs := e.createAll(t, ds)
	if err := e.h.cluster.CheckDelete(ctx, obs["database.cluster"], ds[1].Options); err != nil {
		t.Fatalf("CheckDelete before any snapshot: %v", err)
	}
	deleteAll(t, e, ds, obs)
	obs = e.createAll(t, ds)
	cl := obs["database.cluster"]
	err := e.h.cluster.CheckDelete(ctx, cl, ds[1].Options)
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "finalSnapshotIdentifier") {
		t.Fatalf("CheckDelete with the final snapshot name taken: %v, want it named with what to do", err)
	}
	for name, opts := range map[string]map[string]string{
		"skipped":    {"skip_final_snapshot": "true"},
		"other name": {"final_snapshot_identifier": "kc-final-2"},
	} {
		if err := e.h.cluster.CheckDelete(ctx, cl, opts); err != nil {
			t.Errorf("%s: CheckDelete: %v", name, err)
		}
	}
}
