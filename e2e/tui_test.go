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
)

// pane is a tmux session, on a tmux server of its own, running one
// command in a terminal of a fixed size.
type pane struct {
	t      *testing.T
	tmux   string
	socket string
	name   string
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
	deadline := time.Now().Add(tmuxWait)
	for {
		s := p.screen()
		missing := ""
		for _, text := range texts {
			if !strings.Contains(s, text) {
				missing = text
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("after %s the pane does not show %q:\n%s", tmuxWait, missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
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
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed (apt-get install tmux)")
	}
	e, _ := newSandbox(t)
	e.rosaNetworks(t)
	full := e.stackFile(t, "aurora-rosa.yaml")
	apply := shellQuote(kcstackBin) + " apply -f "

	p := e.newPane(t, apply+shellQuote(full))
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
	p.waitFor("4/4", "Apply complete! Resources: 0 added, 0 changed, 4 destroyed.")
	p.keys("q")
	p.waitFor("kcstack exited 0")
	mustRun(t, "plan after the delete", e.kcstack(t, "plan", "-f", dropped, "--detailed-exitcode"), 0, "No changes.")
}
