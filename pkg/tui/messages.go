package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kcstack/kcstack/pkg/apply"
)

// Messages between the screens and the root model. Screens never switch
// screens themselves: they return one of these and the root routes.
type (
	// approveMsg: the reviewer approved the plan.
	approveMsg struct{}
	// confirmedMsg: the stack name was typed correctly.
	confirmedMsg struct{}
	// cancelMsg: the reviewer quit, or the confirmation failed.
	cancelMsg struct{ reason string }
	// stopMsg: the operator asked to stop the apply.
	stopMsg struct{}
	// exitMsg: the operator closed the final summary.
	exitMsg struct{}
	// abortMsg: the operator pressed ctrl+c again while stopping: exit at
	// once.
	abortMsg struct{}
	// eventMsg carries one event of the apply engine.
	eventMsg struct{ ev apply.Event }
	// doneMsg carries the apply's result; waiting is set when the wait
	// follows it.
	doneMsg struct {
		res     *apply.Result
		waiting bool
	}
	// waitLineMsg carries one progress line of the wait.
	waitLineMsg struct{ line string }
	// waitDoneMsg carries the wait's outcome.
	waitDoneMsg struct{ err error }
	// tickMsg advances spinners and elapsed times.
	tickMsg struct{ now time.Time }
	// contextDoneMsg: the caller's context ended (a signal, a timeout).
	contextDoneMsg struct{}
)

// emit returns a command that yields msg.
func emit(msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return msg }
}
