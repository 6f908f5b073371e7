package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/sandbox"
)

// TestApplyLocked is the acceptance item "two concurrent applies: the
// second is refused and names the holder": the test holds the stack's lock
// as a first apply would, and the apply it starts meanwhile is refused
// with the holder, the lock id and how to unlock. unlock needs the right id.
// The lock is taken after approval, so the plan is shown first.
func TestApplyLocked(t *testing.T) {
	t.Parallel()
	e, srv, file := rosaStack(t)
	held, err := apply.Acquire(context.Background(), ssm.NewFromConfig(e.cfg), stackName, "kcstack apply (the first one)", 0)
	if err != nil {
		t.Fatalf("hold the lock: %v", err)
	}

	mustRun(t, "apply while another holds the lock", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 1,
		"stack sso-rosa is locked by "+held.Info.Who, `"kcstack apply (the first one)"`, "lock id "+held.Info.ID, "kcstack unlock -f "+file+" "+held.Info.ID)
	// The lock is taken after approval: a destroy with nothing to remove
	// asks nothing and needs no lock.
	mustRun(t, "destroy of nothing while another holds the lock", e.kcstack(t, "destroy", "-f", file, "--auto-approve"), 0, "No changes.")
	if n := srv.Calls()["ec2"]["CreateVpc"]; n != 2 {
		t.Errorf("CreateVpc called %d times, want 2 (the ROSA networks only): a refused apply changed AWS", n)
	}

	mustRun(t, "unlock with a wrong id", e.kcstack(t, "unlock", "-f", file, "0123456789abcdef"), 1,
		"has id "+held.Info.ID, "not 0123456789abcdef; nothing was unlocked")
	if !e.lockHeld(t, stackName) {
		t.Fatalf("unlock with a wrong id released the lock")
	}
	mustRun(t, "unlock with the right id", e.kcstack(t, "unlock", "-f", file, held.Info.ID), 0, "Released the lock of stack sso-rosa.")
	if e.lockHeld(t, stackName) {
		t.Fatalf("unlock with the right id left the lock")
	}
	mustRun(t, "apply once unlocked", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	if e.lockHeld(t, stackName) {
		t.Errorf("apply left its lock behind")
	}
}

// TestConcurrentApplies starts two applies of one stack at the same time:
// the second is refused, naming the first as the holder; the first
// finishes and releases the lock.
func TestConcurrentApplies(t *testing.T) {
	t.Parallel()
	// RDS waits of 4 s keep the first apply holding the lock well past the
	// start of the second, even on a loaded machine.
	e, _, file := rosaStack(t, sandbox.WithDelays(4*time.Second, 50*time.Millisecond))
	first := e.start(t, "apply", "-f", file, "--auto-approve")
	first.waitSeen(t, "Creating...")
	second := e.kcstack(t, "apply", "-f", file, "--auto-approve")
	mustRun(t, "second apply while the first runs", second, 1,
		"stack sso-rosa is locked by", fmt.Sprintf("(pid %d)", first.cmd.Process.Pid), `"kcstack apply"`, "lock id ", "kcstack unlock -f "+file+" ")
	mustRun(t, "first apply", first.wait(t), 0, "Apply complete! Resources: 21 added")
	if e.lockHeld(t, stackName) {
		t.Errorf("the first apply left its lock behind")
	}
	if diff := cmp.Diff(wantInventory, e.owned(t, stackName)); diff != "" {
		t.Errorf("owned resources (-want +got):\n%s", diff)
	}
}
