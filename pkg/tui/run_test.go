package tui

import (
	"context"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kcstack/kcstack/internal/testutil/syncbuf"
	"github.com/kcstack/kcstack/pkg/apply"
)

// TestRun runs the real program on a pipe: approve, the apply's events
// reach the screen from its goroutine, q closes the summary, and Run
// returns the apply's result.
func TestRun(t *testing.T) {
	in, keys := io.Pipe()
	out := &syncbuf.Buffer{}
	p := createsPlan()
	want := &apply.Result{Added: len(p.Changes)}
	type ran struct {
		o   Outcome
		err error
	}
	done := make(chan ran, 1)
	go func() {
		o, err := Run(context.Background(), p, Options{Stack: "prod", Input: in, Output: out, Apply: func(_ context.Context, on func(apply.Event)) *apply.Result {
			for _, c := range p.Changes {
				on(apply.Event{Address: c.Address, Action: c.Action, Phase: apply.PhaseStarted, At: time.Now()})
				on(apply.Event{Address: c.Address, Action: c.Action, Phase: apply.PhaseDone, At: time.Now()})
			}
			return want
		}})
		done <- ran{o, err}
	}()
	waitOutput(t, out, "a approve")
	io.WriteString(keys, "a")
	waitOutput(t, out, "Apply complete!")
	io.WriteString(keys, "q")
	select {
	case r := <-done:
		if r.err != nil || !r.o.Approved || r.o.Result != want {
			t.Errorf("Run = %+v, %v; want approved with the apply's result", r.o, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after q")
	}
	keys.Close()
}

// TestRunContextCancelled checks that a cancelled context (a signal)
// ends the review without applying.
func TestRunContextCancelled(t *testing.T) {
	in, keys := io.Pipe()
	defer keys.Close()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncbuf.Buffer{}
	done := make(chan Outcome, 1)
	go func() {
		o, _ := Run(ctx, createsPlan(), Options{Stack: "prod", Input: in, Output: out, Apply: func(context.Context, func(apply.Event)) *apply.Result {
			t.Error("Apply called after the context ended")
			return &apply.Result{}
		}})
		done <- o
	}()
	waitOutput(t, out, "a approve")
	cancel()
	select {
	case o := <-done:
		if o.Approved || o.Result != nil {
			t.Errorf("outcome %+v, want not approved", o)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
}

// waitOutput waits until the program has drawn text.
func waitOutput(t *testing.T, out *syncbuf.Buffer, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("the UI never drew %q:\n%q", text, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestImports keeps the UI a reader: its code imports nothing that
// observes or changes AWS (it gets apply's events through Options.Apply),
// nor the CLI.
func TestImports(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command(goTool, "list", "-f", `{{join .Imports "\n"}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	forbidden := []string{"github.com/aws/", "github.com/kcstack/kcstack/pkg/aws/", "github.com/kcstack/kcstack/pkg/state",
		"github.com/kcstack/kcstack/internal/", "github.com/spf13/cobra"}
	for _, dep := range strings.Fields(string(out)) {
		for _, prefix := range forbidden {
			if strings.HasPrefix(dep, prefix) {
				t.Errorf("pkg/tui imports %s", dep)
			}
		}
	}
}

// TestRunWait runs the real program with a wait after the apply: its
// lines show under the changes while it runs, then the summary waits for
// q and Run reports the wait's outcome.
func TestRunWait(t *testing.T) {
	release := make(chan struct{})
	w := startWaiting(t, &apply.Result{Added: 1}, func(ctx context.Context, say func(string)) error {
		say("Waiting up to 2m0s for the stack to verify")
		say("  1 passed, 1 failed. Waiting for: svc (targets healthy)")
		<-release
		say("Stack verified: every check passes.")
		return nil
	})
	waitOutput(t, w.out, "Waiting for: svc (targets healthy)")
	waitOutput(t, w.out, "stop waiting (the apply is complete)")
	io.WriteString(w.keys, "x") // not an exit key: the wait goes on
	close(release)
	waitOutput(t, w.out, "Stack verified: every check passes.")
	waitOutput(t, w.out, "q exit")
	io.WriteString(w.keys, "q")
	if o := w.outcome(t, "q"); !o.Approved || !o.Waited || o.WaitErr != nil {
		t.Errorf("outcome %+v, want approved and waited without error", o)
	}
}

// TestRunWaitInterrupted: ctrl+c while waiting stops the wait at once
// (its context ends) and the UI exits without waiting for a key,
// reporting the wait's error; the apply's result stands.
func TestRunWaitInterrupted(t *testing.T) {
	want := &apply.Result{Added: 1}
	w := startWaiting(t, want, func(ctx context.Context, say func(string)) error {
		say("  0 passed, 2 failed.")
		<-ctx.Done()
		return ctx.Err()
	})
	waitOutput(t, w.out, "0 passed, 2 failed.")
	io.WriteString(w.keys, "\x03")
	if o := w.outcome(t, "ctrl+c during the wait"); !o.Waited || !errors.Is(o.WaitErr, context.Canceled) || o.Result != want {
		t.Errorf("outcome %+v, want the apply's result and the wait stopped by its context", o)
	}
}

// waiting is a Run on a pipe whose plan was approved, its apply returning
// at once and its wait running.
type waiting struct {
	keys *io.PipeWriter
	out  *syncbuf.Buffer
	done chan Outcome
}

// startWaiting runs the UI with an apply that returns res and wait, and
// approves the plan.
func startWaiting(t *testing.T, res *apply.Result, wait WaitFunc) *waiting {
	t.Helper()
	in, keys := io.Pipe()
	t.Cleanup(func() { keys.Close() })
	w := &waiting{keys: keys, out: &syncbuf.Buffer{}, done: make(chan Outcome, 1)}
	go func() {
		o, _ := Run(context.Background(), createsPlan(), Options{Stack: "prod", Input: in, Output: w.out,
			Apply: func(context.Context, func(apply.Event)) *apply.Result { return res }, Wait: wait})
		w.done <- o
	}()
	waitOutput(t, w.out, "a approve")
	io.WriteString(keys, "a")
	return w
}

// outcome is what Run returned after the last key, what.
func (w *waiting) outcome(t *testing.T, what string) Outcome {
	t.Helper()
	select {
	case o := <-w.done:
		return o
	case <-time.After(10 * time.Second):
		t.Fatalf("Run did not return after %s:\n%q", what, w.out.String())
	}
	return Outcome{}
}
