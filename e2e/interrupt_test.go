package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
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
	seeded(t, 10, 4, func(t *testing.T, seed uint64) {
		e, _ := newSandbox(t, sandbox.WithDelays(300*time.Millisecond, 50*time.Millisecond))
		e.rosaNetworks(t)
		file := e.stackFile(t, "aurora-rosa.yaml", unprotected...)
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
			if err := p.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatalf("interrupt kcstack: %v", err)
			}
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
	stderr bytes.Buffer
	done   chan struct{}
	err    error
	cancel context.CancelFunc
}

// start runs kcstack with args in the background; its stdout's seen
// closes when its first change starts.
func (e *env) start(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	p := &running{stdout: &watched{want: "Creating...", seen: make(chan struct{})}, done: make(chan struct{}), cancel: cancel}
	p.cmd = exec.CommandContext(ctx, kcstackBin, args...)
	p.cmd.Dir, p.cmd.Env = e.Dir, e.environ()
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
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
