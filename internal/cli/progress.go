package cli

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// printEvent writes one line per change started and finished, with its
// elapsed time: the plain output of apply without a terminal UI.
func printEvent(w io.Writer) func(apply.Event) {
	return func(ev apply.Event) {
		verb := progressVerb(ev)
		switch ev.Phase {
		case apply.PhaseStarted:
			fmt.Fprintf(w, "%s: %s...\n", ev.Address, verb[0])
		case apply.PhaseDone:
			id := ""
			if ev.ID != "" {
				id = " [id=" + ev.ID + "]"
			}
			fmt.Fprintf(w, "%s: %s complete after %s%s\n", ev.Address, verb[1], elapsed(ev.Elapsed), id)
		case apply.PhaseRetry:
			fmt.Fprintf(w, "%s: retrying (attempt %d) after: %v\n", ev.Address, ev.Attempt, ev.Err)
		case apply.PhaseFailed:
			if errors.Is(ev.Err, resource.ErrStopped) {
				fmt.Fprintf(w, "%s: %s stopped after %s: %v\n", ev.Address, verb[1], elapsed(ev.Elapsed), ev.Err)
				return
			}
			fmt.Fprintf(w, "%s: %s failed after %s: %v\n", ev.Address, verb[1], elapsed(ev.Elapsed), ev.Err)
		case apply.PhaseSkipped:
			if ev.BlockedBy != "" {
				fmt.Fprintf(w, "%s: not applied: it depends on %s, which failed\n", ev.Address, ev.BlockedBy)
			} else {
				fmt.Fprintf(w, "%s: not applied: interrupted before it started\n", ev.Address)
			}
		}
	}
}

// progressVerb returns the -ing and noun forms for an event.
func progressVerb(ev apply.Event) [2]string {
	switch {
	case ev.Action == plan.ActionDelete || ev.Step == "destroy":
		return [2]string{"Destroying", "Destruction"}
	case ev.Action == plan.ActionUpdate:
		return [2]string{"Modifying", "Modification"}
	}
	return [2]string{"Creating", "Creation"}
}

func elapsed(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

// report prints the outcome and returns the exit status: 0 when everything
// applied, 130 when interrupted, 1 on failures.
func report(w io.Writer, res *apply.Result, destroy bool) error {
	counts := fmt.Sprintf("Resources: %d added, %d changed, %d destroyed.", res.Added, res.Changed, res.Destroyed)
	word := "Apply"
	if destroy {
		word = "Destroy"
		counts = fmt.Sprintf("Resources: %d destroyed.", res.Destroyed)
	}
	if res.OK() {
		fmt.Fprintf(w, "\n%s complete! %s\n", word, counts)
		return nil
	}
	fmt.Fprintln(w)
	for _, f := range res.Failed {
		label := "Error"
		if errors.Is(f.Err, resource.ErrStopped) {
			label = "Stopped"
		}
		fmt.Fprintf(w, "%s: %s: %v\n", label, f.Address, f.Err)
	}
	if len(res.NotRun) > 0 {
		fmt.Fprintf(w, "Not applied (%d): %v\n", len(res.NotRun), res.NotRun)
	}
	if res.Interrupted {
		fmt.Fprintf(w, "%s interrupted. Done so far: %s Run it again to converge.\n", word, counts)
		return &ExitError{Code: 130}
	}
	fmt.Fprintf(w, "%s failed: %d changes failed, %d not applied. Done: %s Fix the errors and run it again; it continues from what exists.\n", word, len(res.Failed), len(res.NotRun), counts)
	return &ExitError{Code: 1}
}
