package e2e

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestApplyStalePlan is the acceptance item "a saved plan made stale by a
// change through the aws CLI is refused": the plan is refused with the
// changed address and nothing applied; a fresh plan applies exactly.
func TestApplyStalePlan(t *testing.T) {
	t.Parallel()
	e, _, two := rosaStack(t)
	three := e.stackFile(t, "aurora-rosa.yaml", append([]string{"      instances: 2 ", "      instances: 3 "}, unprotected...)...)
	mustRun(t, "apply", e.kcstack(t, "apply", "-f", two, "--auto-approve"), 0, "Apply complete!")
	vpc := e.ownedVPC(t, "database.vpc")

	stale := filepath.Join(e.Dir, "stale.kcplan")
	mustRun(t, "plan --out", e.kcstack(t, "plan", "-f", three, "--out", stale), 0, "Plan: 1 to add, 0 to change, 0 to destroy.")
	if r := e.aws(t, "ec2", "create-tags", "--resources", vpc, "--tags", "Key=team,Value=someone-else"); r.Code != 0 {
		t.Fatalf("aws ec2 create-tags: exit %d\n%s", r.Code, r.Stderr)
	}
	r := e.kcstack(t, "apply", stale, "--auto-approve")
	mustRun(t, "apply a stale plan", r, 1, "the saved plan is stale", "database.vpc", "Nothing was applied")
	if got := e.owned(t, stackName)["db-instance"]; got != 2 {
		t.Errorf("after a refused stale plan the stack has %d instances, want 2", got)
	}
	if e.lockHeld(t, stackName) {
		t.Errorf("a refused apply left its lock behind")
	}

	// The next plan also sets the edited tag back. Made stale by a
	// modified instance:
	stale2 := filepath.Join(e.Dir, "stale2.kcplan")
	mustRun(t, "plan --out again", e.kcstack(t, "plan", "-f", three, "--out", stale2), 0, "Plan: 1 to add, 1 to change, 0 to destroy.", `~ tags.team`)
	if r := e.aws(t, "rds", "modify-db-instance", "--db-instance-identifier", "kc-aurora-1", "--db-instance-class", "db.r7g.xlarge", "--apply-immediately"); r.Code != 0 {
		t.Fatalf("aws rds modify-db-instance: exit %d\n%s", r.Code, r.Stderr)
	}
	mustRun(t, "apply a plan made stale by a modified instance", e.kcstack(t, "apply", stale2, "--auto-approve"), 1, "the saved plan is stale", "database.instance[0]", "Nothing was applied")
	if got := e.owned(t, stackName)["db-instance"]; got != 2 {
		t.Errorf("after a refused stale plan the stack has %d instances, want 2", got)
	}

	fresh := filepath.Join(e.Dir, "fresh.kcplan")
	mustRun(t, "plan --out a third time", e.kcstack(t, "plan", "-f", three, "--out", fresh), 0, "Plan: 1 to add, 2 to change, 0 to destroy.")
	mustRun(t, "apply the fresh plan", e.kcstack(t, "apply", fresh, "--auto-approve"), 0, "Apply complete! Resources: 1 added, 2 changed, 0 destroyed.")
	mustRun(t, "plan after the fresh plan", e.kcstack(t, "plan", "-f", three, "--detailed-exitcode"), 0, "No changes.")
	want := inventory{}
	for k, v := range wantInventory {
		want[k] = v
	}
	want["db-instance"] = 3
	if diff := cmp.Diff(want, e.owned(t, stackName)); diff != "" {
		t.Errorf("owned resources after the fresh plan (-want +got):\n%s", diff)
	}
}
