package tui

import (
	"context"
	"fmt"
	"io"

	tea "charm.land/bubbletea/v2"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/plan"
)

// ApplyFunc applies the reviewed plan, reporting each event to onEvent
// (calls are serialized), and returns the result. Cancelling ctx is the
// engine's graceful interruption: nothing new starts, changes in flight
// finish.
type ApplyFunc func(ctx context.Context, onEvent func(apply.Event)) *apply.Result

// WaitFunc waits after a complete apply (kcstack apply --wait), passing
// each progress line to say (calls are serialized); cancelling ctx stops
// it at once. Its error is the wait's outcome.
type WaitFunc func(ctx context.Context, say func(line string)) error

// Options configure the UI.
type Options struct {
	// Stack is the name to type to confirm deletes and replacements.
	Stack string
	// Destroy is set for kcstack destroy: it changes the words, not what
	// is asked.
	Destroy bool
	// Input is the terminal to read keys from (standard input).
	Input io.Reader
	// Output is the terminal to draw on (standard error, so standard
	// output can be piped).
	Output io.Writer
	// Color turns on ANSI colour.
	Color bool
	// Apply is called once, after approval, in its own goroutine.
	Apply ApplyFunc
	// Wait, when set, is called after an Apply that completed, in the same
	// goroutine; its lines show under the changes, ctrl+c stops it at once
	// and then the UI exits without waiting for a key.
	Wait WaitFunc
}

// Outcome is how the UI ended.
type Outcome struct {
	// Approved is set when the plan was approved and Apply ran; otherwise
	// nothing was applied.
	Approved bool
	// Reason says why an unapproved plan was not applied ("the typed name
	// did not match").
	Reason string
	// Result is what Apply returned; nil when not approved.
	Result *apply.Result
	// Aborted is set when the operator pressed ctrl+c again while the
	// apply was stopping: Run returned at once, with calls in flight and
	// no Result.
	Aborted bool
	// Waited is set when Wait ran; WaitErr is what it returned.
	Waited  bool
	WaitErr error
}

// Run shows plan p for review and, once approved, runs o.Apply and shows
// its progress until the operator closes the final summary. It returns
// when the UI has exited and Apply, if it started, has returned. Run
// never changes p.
func Run(ctx context.Context, p *plan.Plan, o Options) (Outcome, error) {
	m := newModel(ctx, p, o)
	m.animate = true
	// The caller's context carries signals; on a terminal the real size
	// replaces the default one.
	prog := tea.NewProgram(m, tea.WithInput(o.Input), tea.WithOutput(o.Output), tea.WithoutSignalHandler(),
		tea.WithWindowSize(defaultWidth, defaultHeight))
	m.send = prog.Send
	stop := context.AfterFunc(ctx, func() { prog.Send(contextDoneMsg{}) })
	defer stop()
	_, err := prog.Run()
	out := m.finish()
	if err != nil {
		return out, fmt.Errorf("terminal UI: %w", err)
	}
	return out, nil
}
