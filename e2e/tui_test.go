package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// pane is a tmux session, on a tmux server of its own, running one
// command in a terminal of a fixed size.
type pane struct {
	t      *testing.T
	tmux   string
	socket string
	name   string
	// patience replaces tmuxWait when set (a whole ECS apply and its
	// wait under load).
	patience time.Duration
}

// tmuxWait is how long a pane may take to show what a test waits for.
const tmuxWait = 30 * time.Second

// newPane runs shell command cmd in e.Dir inside a new 120×40 tmux
// session with the sandbox's environment. The command's exit status is
// printed after it as "kcstack exited N", and the pane stays open so it
// can be read. The test is skipped when tmux is missing (CI installs it);
// only this session is killed at the end.
func (e *env) newPane(t *testing.T, cmd string) *pane {
	t.Helper()
	bin, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux not installed (apt-get install tmux)")
	}
	id := fmt.Sprintf("kcstack-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())
	p := &pane{t: t, tmux: bin, socket: id, name: id}
	script := fmt.Sprintf("cd %s && %s; echo \"kcstack exited $?\"; sleep 600", shellQuote(e.Dir), cmd)
	// A server of its own (-L) starts with exactly this environment.
	environ := append(withoutVar(e.environ(), "TMUX"), "TERM=xterm-256color")
	p.run(environ, "-f", "/dev/null", "new-session", "-d", "-s", p.name, "-x", "120", "-y", "40", script)
	t.Cleanup(func() { p.run(nil, "kill-session", "-t", p.name) })
	return p
}

// run runs tmux on the pane's server.
func (p *pane) run(environ []string, args ...string) string {
	p.t.Helper()
	cmd := exec.Command(p.tmux, append([]string{"-L", p.socket}, args...)...)
	cmd.Env = environ
	out, err := cmd.CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is what the pane shows now.
func (p *pane) screen() string {
	p.t.Helper()
	return p.run(nil, "capture-pane", "-p", "-t", p.name)
}

// waitFor polls the pane until it shows every one of texts, and returns
// the screen; it fails the test after tmuxWait.
func (p *pane) waitFor(texts ...string) string {
	p.t.Helper()
	return p.waitUntil(fmt.Sprintf("%q", texts), func(s string) bool { return containsAll(s, texts) })
}

// waitForLine polls the pane until one of its lines shows every one of
// texts, and returns the screen; it fails the test after tmuxWait.
func (p *pane) waitForLine(texts ...string) string {
	p.t.Helper()
	return p.waitUntil(fmt.Sprintf("a line with %q", texts), func(s string) bool {
		for _, line := range strings.Split(s, "\n") {
			if containsAll(line, texts) {
				return true
			}
		}
		return false
	})
}

// waitUntil polls the pane until ok accepts its screen, and returns the
// screen; it fails the test, saying it waited for what, after tmuxWait.
func (p *pane) waitUntil(what string, ok func(screen string) bool) string {
	p.t.Helper()
	wait := tmuxWait
	if p.patience > 0 {
		wait = p.patience
	}
	deadline := time.Now().Add(wait)
	for {
		s := p.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("after %s the pane does not show %s:\n%s", wait, what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// containsAll reports whether s contains every one of texts.
func containsAll(s string, texts []string) bool {
	for _, text := range texts {
		if !strings.Contains(s, text) {
			return false
		}
	}
	return true
}

// keys sends tmux key names ("a", "Enter", "Escape").
func (p *pane) keys(keys ...string) {
	p.t.Helper()
	p.run(nil, append([]string{"send-keys", "-t", p.name}, keys...)...)
}

// typeText types text literally.
func (p *pane) typeText(text string) {
	p.t.Helper()
	p.run(nil, "send-keys", "-t", p.name, "-l", text)
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// withoutVar returns environ without the variable name.
func withoutVar(environ []string, name string) []string {
	var out []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// withoutTarget returns the target named name's entry of an example, as
// written there, so that stackFile can drop it.
func withoutTarget(t *testing.T, example, name string) []string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "examples", example))
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	start := strings.Index(s, "    - name: "+name+"\n")
	end := strings.Index(s, "  discovery:\n")
	if start < 0 || end < start {
		t.Fatalf("%s has no target %s followed by discovery", example, name)
	}
	return []string{s[start:end], ""}
}

// TestTUI drives kcstack apply's terminal UI in tmux against a sandbox:
// review and approve a plan that creates the stack, watch it to the
// summary; then drop a target: the delete confirmation lists it, a wrong
// name cancels with nothing changed, the right name deletes.
func TestTUI(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (apt-get install tmux)")
	}
	e, _ := newSandbox(t)
	e.rosaNetworks(t)
	full := e.stackFile(t, "aurora-rosa.yaml")
	apply := shellQuote(kcstackBin) + " apply -f "

	p := e.newPane(t, apply+shellQuote(full))
	p.patience = 2 * time.Minute // the apply, then the wait (--wait is the default on a terminal)
	p.waitFor("Plan: 21 to add, 0 to change, 0 to destroy.", "▸   + database.vpc", "a approve")
	p.keys("a")
	p.waitFor("21/21", "Apply complete! Resources: 21 added, 0 changed, 0 destroyed.", "q exit")
	p.keys("q")
	p.waitFor("kcstack exited 0", "Apply complete! Resources: 21 added, 0 changed, 0 destroyed.")
	mustRun(t, "plan after the apply", e.kcstack(t, "plan", "-f", full, "--detailed-exitcode"), 0, "No changes.")

	dropped := e.stackFile(t, "aurora-rosa.yaml", withoutTarget(t, "aurora-rosa.yaml", "rosa-b")...)
	p = e.newPane(t, apply+shellQuote(dropped))
	p.waitFor("Plan: 0 to add, 0 to change, 4 to destroy.", "a approve")
	p.keys("a")
	confirm := p.waitFor("This plan DELETES or REPLACES 4 resources:", `Type the stack name "sso-rosa" to confirm.`)
	for _, address := range []string{"targets.rosa-b.peering", "targets.rosa-b.routes-from-database", "targets.rosa-b.routes-to-database", "targets.rosa-b.database-ingress"} {
		if !strings.Contains(confirm, "-   "+address) && !strings.Contains(confirm, "- "+address) {
			t.Errorf("the confirmation does not list %s:\n%s", address, confirm)
		}
	}
	if strings.Contains(confirm, "rosa-a") || strings.Contains(confirm, "database.") {
		t.Errorf("the confirmation lists resources the plan keeps:\n%s", confirm)
	}
	p.typeText("sso-ros")
	p.keys("Enter")
	p.waitFor("kcstack exited 1", "Apply cancelled.")
	mustRun(t, "plan after the wrong name", e.kcstack(t, "plan", "-f", full, "--detailed-exitcode"), 0, "No changes.")

	p = e.newPane(t, apply+shellQuote(dropped))
	p.waitFor("Plan: 0 to add, 0 to change, 4 to destroy.", "a approve")
	p.keys("a")
	p.waitFor(`Type the stack name "sso-rosa" to confirm.`)
	p.typeText("sso-rosa")
	p.keys("Enter")
	p.patience = 2 * time.Minute
	p.waitFor("4/4", "Apply complete! Resources: 0 added, 0 changed, 4 destroyed.", "Stack verified: every check passes.", "q exit")
	p.keys("q")
	p.waitFor("kcstack exited 0")
	mustRun(t, "plan after the delete", e.kcstack(t, "plan", "-f", dropped, "--detailed-exitcode"), 0, "No changes.")
}

// TestTUIInterrupted is the acceptance item "Ctrl-C in the terminal UI
// during a long RDS wait": ctrl+c while the DB cluster is creating asks
// whether to stop; the answer shows the stopping state, and the apply
// ends within 5 s of it, releasing the lock before its summary closes;
// closing the summary exits 130. A further ctrl+c while stopping exits at
// once. A re-run converges with no duplicates. The proxy holds a describe
// of the cluster's wait, as a slow answer would, so that the stopping
// state lasts until the test has seen it.
func TestTUIInterrupted(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (apt-get install tmux)")
	}
	cases := map[string]struct {
		reason string
		answer string // the tmux key that answers "Stop the apply?"
		abort  bool   // press ctrl+c once more while stopping
	}{
		"answer y": {
			reason: "y stops the apply: the wait ends, the summary says interrupted, q exits 130",
			answer: "y",
		},
		"answer ctrl+c": {
			reason: "a second ctrl+c answers the question as y does",
			answer: "C-c",
		},
		"ctrl+c while stopping": {
			reason: "a third ctrl+c while the stop waits for a call in flight exits 130 at once",
			answer: "C-c",
			abort:  true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, proxy, file := rosaStackBehindProxy(t)

			p := e.newPane(t, shellQuote(kcstackBin)+" apply -f "+shellQuote(file))
			p.waitFor("Plan: 21 to add, 0 to change, 0 to destroy.", "a approve")
			p.keys("a")
			p.waitForLine("database.cluster", "creating…")
			call := proxy.holdNext("Action=DescribeDBClusters")
			select {
			case <-call.held:
			case <-time.After(time.Minute):
				t.Fatalf("no describe of the DB cluster within a minute of its create (%s):\n%s", tc.reason, p.screen())
			}
			p.keys("C-c")
			p.waitFor("Stop the apply? Nothing new starts; calls in flight finish, waits stop.")
			answered := time.Now()
			p.keys(tc.answer)
			p.waitFor("Stopping: nothing new starts; waiting for the calls in flight to finish…", "ctrl+c exit now")
			if tc.abort {
				p.exitsAtOnce(t, tc.reason)
				call.letGo()
				e.unlockStale(t, file)
				e.converges(t, file)
				return
			}
			call.letGo()
			summary := p.waitFor("Apply interrupted. Done so far: Resources:", "Run it again to converge.", "q exit")
			ended := time.Since(answered)
			if e.lockHeld(t, stackName) {
				t.Errorf("the lock is held while the summary of the stopped apply is open (%s)", tc.reason)
			}
			if !strings.Contains(summary, "not applied") {
				t.Errorf("the summary lists nothing as not applied (%s):\n%s", tc.reason, summary)
			}
			p.keys("q")
			p.waitFor("kcstack exited 130")
			took := time.Since(answered)
			t.Logf("the apply ended %s after the answer, the process exited 130 %s after it (summary closed with q)", ended.Round(time.Millisecond), took.Round(time.Millisecond))
			if took > stopBound {
				t.Errorf("kcstack exited %s after the answer, want within %s (%s)", took.Round(time.Millisecond), stopBound, tc.reason)
			}
			e.converges(t, file)
		})
	}
}

// exitsAtOnce presses ctrl+c while the pane's apply is stopping and
// checks that kcstack exits 130 within abortBound, saying so.
func (p *pane) exitsAtOnce(t *testing.T, reason string) {
	t.Helper()
	pressed := time.Now()
	p.keys("C-c")
	s := p.waitFor("kcstack exited 130")
	took := time.Since(pressed)
	t.Logf("ctrl+c while stopping: kcstack exited 130 %s after it", took.Round(time.Millisecond))
	if took > abortBound {
		t.Errorf("kcstack exited %s after ctrl+c while stopping, want within %s (%s)", took.Round(time.Millisecond), abortBound, reason)
	}
	if !strings.Contains(s, "Second interrupt: exited at once.") {
		t.Errorf("kcstack did not say it exited at once (%s):\n%s", reason, s)
	}
}

// TestTUIWait is the acceptance item "apply --wait shows its progress in
// the TUI": apply of examples/ecs-dns-ping.yaml on a terminal (where
// --wait is the default) keeps the UI open after the apply, showing the
// wait's progress lines (the ones apply --wait prints on stderr without
// a terminal) under the changes until the stack verifies; q then exits 0
// and the wait's lines and the outputs stay on the terminal.
func TestTUIWait(t *testing.T) {
	e, file, p := approvedInTUI(t)
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
	e, file, p := approvedInTUI(t, sandbox.WithFaults(sandbox.Faults{TaskFailureRate: 1, Seed: 1}))
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

// approvedInTUI applies examples/ecs-dns-ping.yaml in the terminal UI on a
// new sandbox made with opts (in tmux, where --wait is the default) and
// approves the plan; it returns the sandbox, the stack file and the pane.
func approvedInTUI(t *testing.T, opts ...sandbox.Option) (*env, string, *pane) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (apt-get install tmux)")
	}
	t.Parallel()
	e, _ := newSandbox(t, opts...)
	file := e.stackFile(t, "ecs-dns-ping.yaml")
	p := e.newPane(t, shellQuote(kcstackBin)+" apply -f "+shellQuote(file))
	p.patience = 3 * time.Minute
	p.waitFor("a approve")
	p.keys("a")
	return e, file, p
}
