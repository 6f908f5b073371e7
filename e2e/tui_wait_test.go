package e2e

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// TestTUIWait is the acceptance item "apply --wait shows its progress in
// the TUI": apply of examples/ecs-dns-ping.yaml on a terminal (where
// --wait is the default) keeps the UI open after the apply, showing the
// wait's progress lines (the ones apply --wait prints on stderr without
// a terminal) under the changes until the stack verifies; q then exits 0
// and the wait's lines and the outputs stay on the terminal.
func TestTUIWait(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (apt-get install tmux)")
	}
	t.Parallel()
	e, _ := newSandbox(t)
	file := e.stackFile(t, "ecs-dns-ping.yaml")
	p := e.newPane(t, shellQuote(kcstackBin)+" apply -f "+shellQuote(file))
	p.patience = 3 * time.Minute
	p.waitFor("a approve")
	p.keys("a")
	p.waitFor("Apply complete! Resources:", "after apply", "Waiting up to 15m0s for the stack to verify")
	done := p.waitFor("Stack verified: every check passes.", "q exit")
	if !strings.Contains(done, "after apply") {
		t.Errorf("the wait's lines are not in the UI:\n%s", done)
	}
	p.keys("q")
	after := p.waitFor("kcstack exited 0")
	for _, want := range []string{"Stack verified: every check passes.", "keycloak_url"} {
		if !strings.Contains(after, want) {
			t.Errorf("after the UI closed the terminal lacks %q:\n%s", want, after)
		}
	}
	mustRun(t, "plan after", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
}

// TestTUIWaitInterrupted is the acceptance item "apply --wait respects
// Ctrl-C" in the TUI: with every task failing its health check the wait
// goes on; ctrl+c stops it at once, the UI closes without a key, kcstack
// exits 130 saying the apply is complete and nothing was undone, and no
// lock is left; a plan then has nothing to do.
func TestTUIWaitInterrupted(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (apt-get install tmux)")
	}
	t.Parallel()
	e, _ := newSandbox(t, sandbox.WithFaults(sandbox.Faults{TaskFailureRate: 1, Seed: 1}))
	file := e.stackFile(t, "ecs-dns-ping.yaml")
	p := e.newPane(t, shellQuote(kcstackBin)+" apply -f "+shellQuote(file))
	p.patience = 3 * time.Minute
	p.waitFor("a approve")
	p.keys("a")
	p.waitFor("Apply complete! Resources:", "Waiting for the stack to verify…", "ctrl+c stop waiting (the apply is complete)")
	p.waitFor("Waiting for: targets.ecs.service")
	p.keys("C-c")
	s := p.waitFor("kcstack exited 130")
	if !strings.Contains(s, "Stopped waiting: the apply is complete, nothing was undone and the stack lock is released.") {
		t.Errorf("kcstack did not say the wait stopped with the apply complete:\n%s", s)
	}
	if e.lockHeld(t, dnsStack) {
		t.Errorf("ctrl+c during the wait left the stack lock behind")
	}
	mustRun(t, "plan after the interrupted wait", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
}
