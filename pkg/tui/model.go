package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/plan"
)

// screenID names a screen.
type screenID int

// The screens, in the order an apply goes through them.
const (
	screenReview screenID = iota
	screenConfirm
	screenProgress
)

// spinnerInterval is how often spinners and elapsed times move.
const spinnerInterval = 100 * time.Millisecond

// model is the root model: it owns the screens and the apply's lifetime
// and routes messages; the screens do the rest.
type model struct {
	p       *plan.Plan
	o       Options
	parent  context.Context
	screen  screenID
	outcome Outcome

	review   *review
	confirm  *confirm
	progress *progress

	// send delivers a message to the running program (tea.Program.Send);
	// the apply's events go through it.
	send func(tea.Msg)
	// animate starts the spinner's ticks; tests leave it off so that
	// views depend only on the messages they are given.
	animate bool
	// cancel stops the apply (and the wait); runCtx is their context;
	// run is the apply once started.
	cancel context.CancelFunc
	runCtx context.Context
	run    *applyRun
}

// applyRun is one call of Apply: res is set before done is closed.
type applyRun struct {
	done chan struct{}
	res  *apply.Result
}

var _ tea.Model = (*model)(nil)

// newModel returns the root model for plan p, on the review screen.
func newModel(ctx context.Context, p *plan.Plan, o Options) *model {
	st := newStyles(o.Color)
	return &model{
		p: p, o: o, parent: ctx,
		review:   newReview(p, st, o.Destroy),
		confirm:  newConfirm(p, st, o.Stack, o.Destroy),
		progress: newProgress(p, st, o.Destroy),
		send:     func(tea.Msg) {},
	}
}

// Init starts nothing: the review waits for keys.
func (m *model) Init() tea.Cmd { return nil }

// Update routes msg to the current screen, and switches screens on the
// screens' messages.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		w, h := max(msg.Width, minWidth), max(msg.Height, minHeight)
		m.review.setSize(w, h)
		m.confirm.setSize(w, h)
		m.progress.setSize(w, h)
		return m, nil
	case approveMsg:
		if len(m.p.Destructive()) > 0 {
			m.screen = screenConfirm
			return m, nil
		}
		return m, m.start()
	case confirmedMsg:
		return m, m.start()
	case cancelMsg:
		m.outcome = Outcome{Reason: msg.reason}
		return m, tea.Quit
	case stopMsg:
		m.cancel()
		return m, nil
	case exitMsg:
		return m, tea.Quit
	case abortMsg:
		m.outcome.Aborted = true
		return m, tea.Quit
	case doneMsg:
		m.outcome.Result = msg.res
		// Stopped by the caller (a signal), nobody may be there to
		// close the summary: the caller reports it.
		if m.parent.Err() != nil && !msg.waiting {
			return m, tea.Sequence(m.progress.update(msg), tea.Quit)
		}
	case waitDoneMsg:
		m.outcome.Waited, m.outcome.WaitErr = true, msg.err
		// A wait stopped (ctrl+c or a signal) exits at once: the apply
		// is complete and the caller reports the stop.
		if m.runCtx.Err() != nil {
			return m, tea.Sequence(m.progress.update(msg), tea.Quit)
		}
	case contextDoneMsg:
		if m.screen != screenProgress {
			m.outcome = Outcome{Reason: "interrupted before approval"}
			return m, tea.Quit
		}
		// The summary of a finished apply waits for q; after a signal
		// (the terminal closed) nobody may be there to press it.
		if m.progress.result != nil && !m.progress.wait.running {
			return m, tea.Quit
		}
	case tickMsg:
		if m.screen == screenProgress && (m.progress.result == nil || m.progress.wait.running) {
			return m, tea.Batch(m.progress.update(msg), m.tick())
		}
		return m, nil
	}
	return m, m.current().update(msg)
}

// screenModel is what the root needs of a screen.
type screenModel interface {
	update(tea.Msg) tea.Cmd
	view() string
}

// current returns the screen shown.
func (m *model) current() screenModel {
	switch m.screen {
	case screenConfirm:
		return m.confirm
	case screenProgress:
		return m.progress
	}
	return m.review
}

// View draws the current screen in the alternate screen buffer.
func (m *model) View() tea.View {
	v := tea.NewView(m.current().view())
	v.AltScreen = true
	return v
}

// start switches to the progress screen and runs Apply in the command's
// goroutine; its events reach the program through send, and its result
// comes back as doneMsg after the last event.
func (m *model) start() tea.Cmd {
	m.screen = screenProgress
	m.outcome = Outcome{Approved: true}
	ctx, cancel := context.WithCancel(m.parent)
	r := &applyRun{done: make(chan struct{})}
	m.cancel, m.runCtx, m.run = cancel, ctx, r
	m.progress.started(time.Now())
	fn, wait, send := m.o.Apply, m.o.Wait, m.send
	cmd := func() tea.Msg {
		defer close(r.done)
		r.res = fn(ctx, func(ev apply.Event) { send(eventMsg{ev: ev}) })
		if wait == nil || !r.res.OK() || ctx.Err() != nil {
			return doneMsg{res: r.res}
		}
		send(doneMsg{res: r.res, waiting: true})
		return waitDoneMsg{err: wait(ctx, func(line string) { send(waitLineMsg{line: line}) })}
	}
	if !m.animate {
		return cmd
	}
	return tea.Batch(cmd, m.tick())
}

// tick schedules the next spinner frame.
func (m *model) tick() tea.Cmd {
	if !m.animate {
		return nil
	}
	return tea.Tick(spinnerInterval, func(t time.Time) tea.Msg { return tickMsg{now: t} })
}

// finish stops an apply still running when the UI exits early (a
// terminal error), waits for Apply to return (unless the operator chose
// to exit at once), and returns the outcome.
func (m *model) finish() Outcome {
	if m.run == nil || m.outcome.Aborted {
		return m.outcome
	}
	m.cancel()
	<-m.run.done
	m.outcome.Result = m.run.res
	return m.outcome
}
