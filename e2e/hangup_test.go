package e2e

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// TestHangupAtReview closes the terminal (tmux kills the pane's processes
// with SIGHUP) while kcstack apply shows its review screen: the lock is
// taken only after approval, so none is left, and nothing was created.
func TestHangupAtReview(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (apt-get install tmux)")
	}
	e, _, file := rosaStack(t)
	before := e.owned(t, stackName)
	p := e.newPane(t, shellQuote(kcstackBin)+" apply -f "+shellQuote(file))
	p.waitFor("Plan: 21 to add, 0 to change, 0 to destroy.", "a approve")
	if e.lockHeld(t, stackName) {
		t.Errorf("the stack lock is held at the review screen, before approval")
	}
	p.run(nil, "respawn-pane", "-k", "-t", p.name, "sleep 600")
	time.Sleep(2 * time.Second) // let a kcstack that ignored the hangup act
	if e.lockHeld(t, stackName) {
		t.Errorf("closing the terminal at the review screen left the stack lock")
	}
	if diff := cmp.Diff(before, e.owned(t, stackName)); diff != "" {
		t.Errorf("closing the terminal at the review screen changed AWS (-before +after):\n%s", diff)
	}
}

// TestSignalsReleaseLock sends SIGHUP, SIGTERM and SIGINT to an apply
// that holds the lock (its changes are in flight): each stops the apply
// (exit 130) and releases the lock before the process exits.
func TestSignalsReleaseLock(t *testing.T) {
	t.Parallel()
	for name, sig := range map[string]os.Signal{"SIGHUP": syscall.SIGHUP, "SIGTERM": syscall.SIGTERM, "SIGINT": os.Interrupt} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, _, file := rosaStack(t, sandbox.WithDelays(2*time.Second, 50*time.Millisecond))
			p := e.start(t, "apply", "-f", file, "--auto-approve")
			p.waitSeen(t, "Creating...")
			if !e.lockHeld(t, stackName) {
				t.Fatalf("the apply does not hold the stack lock while it changes AWS")
			}
			if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatalf("signal kcstack: %v", err)
			}
			mustRun(t, "apply stopped by "+name, p.wait(t), 130, "Apply interrupted.")
			if e.lockHeld(t, stackName) {
				t.Errorf("%s left the stack lock behind", name)
			}
		})
	}
}
