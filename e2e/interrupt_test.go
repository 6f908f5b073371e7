package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// TestApplyInterrupted is the acceptance item "SIGINT at a random moment
// during apply, then apply again: converges with no duplicates and the
// lock released", over 10 seeded moments. Resources stay creating for
// 300 ms so that the interrupt lands while changes are in flight.
func TestApplyInterrupted(t *testing.T) {
	t.Parallel()
	seeded(t, 10, 4, func(t *testing.T, seed uint64) {
		e, _, file := rosaStack(t, sandbox.WithDelays(300*time.Millisecond, 50*time.Millisecond))
		delay := time.Duration(rand.New(rand.NewPCG(seed, 5)).Int64N(int64(500 * time.Millisecond)))

		r := e.interrupt(t, delay, "apply", "-f", file, "--auto-approve")
		switch r.Code {
		case 0:
			mustRun(t, "apply that finished before the interrupt", r, 0, "Apply complete!")
		case 130:
			mustRun(t, "interrupted apply", r, 130,
				"Interrupt received: no new changes start; calls in flight finish, waits stop.",
				"Apply interrupted. Done so far: Resources:", "Run it again to converge.")
			checkInterruptReport(t, r.Stdout)
		default:
			t.Fatalf("apply interrupted after %s: exit %d, want 130 (or 0 if it finished first)\n%s%s", delay, r.Code, r.Stdout, r.Stderr)
		}
		if e.lockHeld(t, stackName) {
			t.Fatalf("the interrupted apply left its lock behind")
		}
		rerun := e.kcstack(t, "apply", "-f", file, "--auto-approve")
		if r.Code == 0 || !strings.Contains(rerun.Stdout, "No changes.") {
			// A change whose wait the interrupt stopped may finish on its
			// own: the re-run then has nothing left to do.
			again := "Apply complete!"
			if r.Code == 0 {
				again = "No changes."
			}
			mustRun(t, "apply after the interrupt", rerun, 0, again)
		}
		mustRun(t, "plan after the re-run", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
		if diff := cmp.Diff(wantInventory, e.owned(t, stackName)); diff != "" {
			t.Errorf("owned resources after the re-run (-want +got):\n%s", diff)
		}
		if e.lockHeld(t, stackName) {
			t.Errorf("the re-run left its lock behind")
		}
		t.Logf("interrupted %s after the first change started: exit %d", delay, r.Code)
	})
}

// checkInterruptReport checks that an interrupted apply said, change by
// change, what was done and what was not: every change it started
// finished or had its wait stopped (its calls in flight finish, its waits
// stop at once), and every change it never started is listed as not
// applied.
func checkInterruptReport(t *testing.T, out string) {
	t.Helper()
	started, finished, skipped := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		addr, rest, ok := strings.Cut(line, ": ")
		switch {
		case !ok:
		case rest == "Creating...":
			started[addr] = true
		case strings.HasPrefix(rest, "Creation complete after"), strings.HasPrefix(rest, "Creation stopped after"):
			finished[addr] = true
		case strings.HasPrefix(rest, "not applied: "):
			skipped[addr] = true
			if rest != "not applied: interrupted before it started" {
				t.Errorf("nothing failed, yet: %s", line)
			}
		}
	}
	for a := range started {
		if !finished[a] {
			t.Errorf("%s started but the output does not say it finished or stopped", a)
		}
		if skipped[a] {
			t.Errorf("%s is reported both started and not applied", a)
		}
	}
	if n := len(started) + len(skipped); n != 21 {
		t.Errorf("the output accounts for %d changes (%d done, %d not applied), want all 21\n%s", n, len(started), len(skipped), out)
	}
	if len(skipped) > 0 && !strings.Contains(out, fmt.Sprintf("Not applied (%d):", len(skipped))) {
		t.Errorf("the summary does not list the %d changes not applied\n%s", len(skipped), out)
	}
}

// interrupt runs kcstack with args, sends it an interrupt delay after its
// first change started, and waits for it to exit.
func (e *env) interrupt(t *testing.T, delay time.Duration, args ...string) result {
	t.Helper()
	p := e.start(t, args...)
	select {
	case <-p.stdout.seen:
		select {
		case <-time.After(delay):
			p.interrupt(t)
		case <-p.done:
		}
	case <-p.done:
	}
	return p.wait(t)
}

// running is a kcstack process started in the background.
type running struct {
	cmd    *exec.Cmd
	stdout *watched
	stderr *watched
	done   chan struct{}
	err    error
	// exited is when the process was seen to exit; read it after done.
	exited time.Time
	cancel context.CancelFunc
}

// start runs kcstack with args in the background; its stdout's seen
// closes when its first change starts.
func (e *env) start(t *testing.T, args ...string) *running {
	t.Helper()
	return e.startUntil(t, "Creating...", args...)
}

// startUntil runs kcstack with args in the background; its stdout's seen
// closes once it has printed want.
func (e *env) startUntil(t *testing.T, want string, args ...string) *running {
	t.Helper()
	return e.startWatching(t, &watched{want: want, seen: make(chan struct{})}, &watched{seen: make(chan struct{})}, args...)
}

// startUntilStderr is startUntil watching standard error for want.
func (e *env) startUntilStderr(t *testing.T, want string, args ...string) *running {
	t.Helper()
	return e.startWatching(t, &watched{seen: make(chan struct{})}, &watched{want: want, seen: make(chan struct{})}, args...)
}

func (e *env) startWatching(t *testing.T, stdout, stderr *watched, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	p := &running{stdout: stdout, stderr: stderr, done: make(chan struct{}), cancel: cancel}
	p.cmd = exec.CommandContext(ctx, kcstackBin, args...)
	p.cmd.Dir, p.cmd.Env = e.Dir, e.environ()
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); p.exited = time.Now(); close(p.done) }()
	t.Cleanup(func() { cancel(); <-p.done })
	return p
}

// wait waits for the process to exit and returns its result.
func (p *running) wait(t *testing.T) result {
	t.Helper()
	<-p.done
	p.cancel()
	res := result{Stdout: p.stdout.String(), Stderr: p.stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(p.err, &exit):
		res.Code = exit.ExitCode()
	case p.err != nil:
		t.Fatalf("run kcstack %s: %v", strings.Join(p.cmd.Args[1:], " "), p.err)
	}
	return res
}

// watched is a buffer that closes seen once want has been written to it.
type watched struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *watched) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *watched) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// The Ctrl-C tests of a long RDS wait keep every DB cluster, instance and
// peering creating for longWait, as kcstack sandbox serve --create-delay
// 30s does. An apply must exit within stopBound of the first interrupt
// and within abortBound of a second one (issue 11).
const (
	longWait   = 30 * time.Second
	stopBound  = 5 * time.Second
	abortBound = 2 * time.Second
)

// clusterCreating is the plain output's line when the DB cluster's
// create, and its long wait, starts.
const clusterCreating = "database.cluster: Creating..."

// TestApplyInterruptedInLongWait is the acceptance item "Ctrl-C during a
// long RDS wait": SIGINT at seeded moments of the DB cluster's 30 s wait
// stops the wait at once, says what was stopped and what was not applied,
// exits 130 within 5 s and releases the lock; a re-run converges with no
// duplicates.
func TestApplyInterruptedInLongWait(t *testing.T) {
	t.Parallel()
	seeded(t, 3, 3, func(t *testing.T, seed uint64) {
		e, _, file := rosaStack(t, sandbox.WithDelays(longWait, 50*time.Millisecond))
		delay := time.Duration(rand.New(rand.NewPCG(seed, 30)).Int64N(int64(2 * time.Second)))

		p := e.startUntil(t, clusterCreating, "apply", "-f", file, "--auto-approve")
		p.waitSeen(t, clusterCreating)
		time.Sleep(delay)
		sent := p.interrupt(t)
		r := p.wait(t)
		took := p.exited.Sub(sent)
		t.Logf("interrupted %s into the DB cluster's wait: exit %d %s after the signal", delay, r.Code, took.Round(time.Millisecond))
		if took > stopBound {
			t.Errorf("apply exited %s after the interrupt, want within %s", took.Round(time.Millisecond), stopBound)
		}
		mustRun(t, "apply interrupted in the DB cluster's wait", r, 130,
			"Interrupt received: no new changes start; calls in flight finish, waits stop.",
			"database.cluster: Creation stopped after", "Stopped: database.cluster: ",
			"Apply interrupted. Done so far: Resources:", "Run it again to converge.")
		checkInterruptReport(t, r.Stdout)
		checkNotApplied(t, r.Stdout, "database.instance")
		if e.lockHeld(t, stackName) {
			t.Fatalf("the interrupted apply left its lock behind")
		}
		e.converges(t, file)
	})
}

// TestApplySecondInterrupt is the acceptance item "a second Ctrl-C exits
// at once": the first SIGINT lands while a DB cluster describe of the
// long wait is in flight (held by the proxy), so the stop waits for it;
// the second, half a second later, exits 130 within 2 s. The lock it
// leaves is released with the hint kcstack prints, and a re-run converges.
func TestApplySecondInterrupt(t *testing.T) {
	t.Parallel()
	e, proxy, file := rosaStackBehindProxy(t)

	p := e.startUntil(t, clusterCreating, "apply", "-f", file, "--auto-approve")
	p.waitSeen(t, clusterCreating)
	call := proxy.holdNext("Action=DescribeDBClusters")
	p.waitHeld(t, call)
	p.interrupt(t)
	time.Sleep(500 * time.Millisecond)
	p.stillRunning(t, "after the first interrupt, with a call in flight")
	sent := p.interrupt(t)
	r := p.wait(t)
	took := p.exited.Sub(sent)
	t.Logf("second interrupt: exit %d %s after it", r.Code, took.Round(time.Millisecond))
	if took > abortBound {
		t.Errorf("apply exited %s after the second interrupt, want within %s", took.Round(time.Millisecond), abortBound)
	}
	mustRun(t, "apply interrupted twice", r, 130, "Second interrupt: exiting now.", "kcstack unlock releases a stale lock")
	call.letGo()
	e.unlockStale(t, file)
	e.converges(t, file)
}

// waitSeen waits until the process has printed what startUntil (or
// startUntilStderr) watches for; it fails the test if the process exits
// first.
func (p *running) waitSeen(t *testing.T, what string) {
	t.Helper()
	seen := p.stdout.seen
	if p.stderr.want != "" {
		seen = p.stderr.seen
	}
	select {
	case <-seen:
	case <-p.done:
		r := p.wait(t)
		t.Fatalf("kcstack exited %d before it printed %q\n%s%s", r.Code, what, r.Stdout, r.Stderr)
	}
}

// stillRunning fails the test if the process has exited; when says when
// it should still run.
func (p *running) stillRunning(t *testing.T, when string) {
	t.Helper()
	select {
	case <-p.done:
		r := p.wait(t)
		t.Fatalf("kcstack exited %d %s\n%s%s", r.Code, when, r.Stdout, r.Stderr)
	default:
	}
}

// waitHeld waits until the proxy holds call; it fails the test if the
// process exits first or the call does not come within a minute.
func (p *running) waitHeld(t *testing.T, call *heldCall) {
	t.Helper()
	select {
	case <-call.held:
	case <-p.done:
		r := p.wait(t)
		t.Fatalf("kcstack exited %d before it made the call to hold (%s)\n%s%s", r.Code, call.match, r.Stdout, r.Stderr)
	case <-time.After(time.Minute):
		t.Fatalf("kcstack made no call %s within a minute", call.match)
	}
}

// interrupt sends the process SIGINT and returns when it was sent.
func (p *running) interrupt(t *testing.T) time.Time {
	t.Helper()
	sent := time.Now()
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("interrupt kcstack: %v", err)
	}
	return sent
}

// checkNotApplied checks that the summary's "Not applied" line lists an
// address starting with prefix.
func checkNotApplied(t *testing.T, out, prefix string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "Not applied (") && strings.Contains(line, prefix) {
			return
		}
	}
	t.Errorf("the summary does not list %s… as not applied\n%s", prefix, out)
}

// unlockHint finds kcstack's hint to release a stale lock, as in
// "kcstack unlock -f stack.yaml 0123456789abcdef".
var unlockHint = regexp.MustCompile(`kcstack unlock -f \S+ ([0-9a-f]+)`)

// unlockStale releases the lock an apply that exited at once left: an
// apply is refused, naming the holder as gone, with the unlock hint, and
// unlock with that id releases it.
func (e *env) unlockStale(t *testing.T, file string) {
	t.Helper()
	if !e.lockHeld(t, stackName) {
		return
	}
	r := e.kcstack(t, "apply", "-f", file, "--auto-approve")
	mustRun(t, "apply while the stale lock is held", r, 1, "the lock of stack sso-rosa is held by a process that no longer exists")
	m := unlockHint.FindStringSubmatch(r.Stdout + r.Stderr)
	if m == nil {
		t.Fatalf("the refused apply has no unlock hint\n%s%s", r.Stdout, r.Stderr)
	}
	mustRun(t, "unlock the stale lock", e.kcstack(t, "unlock", "-f", file, m[1]), 0, "Released the lock of stack sso-rosa.")
}

// converges re-runs apply on file after an interrupted one: it completes
// (waiting out what the interrupted one left creating), the plan then
// has no changes, the stack owns each of its resources once and the lock
// is released.
func (e *env) converges(t *testing.T, file string) {
	t.Helper()
	start := time.Now()
	mustRun(t, "apply after the interrupt", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	t.Logf("the re-run converged in %s", time.Since(start).Round(time.Second))
	mustRun(t, "plan after the re-run", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
	if diff := cmp.Diff(wantInventory, e.owned(t, stackName)); diff != "" {
		t.Errorf("owned resources after the re-run (-want +got):\n%s", diff)
	}
	if e.lockHeld(t, stackName) {
		t.Errorf("the re-run left its lock behind")
	}
}
