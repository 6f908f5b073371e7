package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/plan"
)

// spinnerFrames are the frames of a running change's spinner.
var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// progress is the screen of a running apply: every change with its state,
// an overall bar, and the final summary, built only from the engine's
// events and result.
type progress struct {
	p       *plan.Plan
	st      styles
	destroy bool
	width   int
	height  int

	states map[string]*changeState
	// begun is when the apply started; now is the latest tick or event.
	begun, now time.Time
	frame      int
	result     *apply.Result
	// asking is set while "stop the apply?" is shown; stopping once the
	// operator said yes (or the caller's context ended).
	asking, stopping bool
	// offset is the first body line shown; follow keeps the changes in
	// flight in view until the operator scrolls.
	offset int
	follow bool
	// wait is the wait after a complete apply (apply --wait).
	wait waitState
}

// waitState is what the wait after the apply has said: its lines, whether
// it runs, and its outcome once it ended.
type waitState struct {
	running, ended bool
	begun          time.Time
	lines          []string
	err            error
}

// changeState is what the events say about one change.
type changeState struct {
	phase apply.Phase
	// step is "destroy" or "create" during a replacement.
	step    string
	started time.Time
	elapsed time.Duration
	err     error
	attempt int
	// blockedBy is the failed dependency of a skipped change.
	blockedBy string
}

// newProgress returns the progress screen of plan p, nothing started.
func newProgress(p *plan.Plan, st styles, destroy bool) *progress {
	return &progress{p: p, st: st, destroy: destroy, width: defaultWidth, height: defaultHeight, states: map[string]*changeState{}, follow: true}
}

// setSize records the terminal's size.
func (g *progress) setSize(w, h int) { g.width, g.height = w, h }

// started records when the apply began.
func (g *progress) started(t time.Time) { g.begun, g.now = t, t }

// update handles the engine's events, ticks and keys.
func (g *progress) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case eventMsg:
		g.event(msg.ev)
	case doneMsg:
		g.result, g.asking = msg.res, false
		g.wait.running, g.wait.begun = msg.waiting, g.now
	case waitLineMsg:
		g.wait.lines = append(g.wait.lines, msg.line)
	case waitDoneMsg:
		g.wait.running, g.wait.ended, g.wait.err = false, true, msg.err
	case tickMsg:
		g.frame = (g.frame + 1) % len(spinnerFrames)
		g.now = msg.now
	case contextDoneMsg:
		g.stopping = true
	case tea.KeyPressMsg:
		return g.updateKey(msg)
	}
	return nil
}

// updateKey handles a key: scrolling, stopping, and closing the summary.
func (g *progress) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case g.wait.running && !g.stopping && keys.stopWait.matches(msg):
		g.stopping = true
		return emit(stopMsg{})
	case g.wait.running:
	case g.result != nil && keys.exit.matches(msg):
		return emit(exitMsg{})
	case g.result == nil && g.stopping && keys.abort.matches(msg):
		return emit(abortMsg{})
	case g.asking && keys.yes.matches(msg):
		g.asking, g.stopping = false, true
		return emit(stopMsg{})
	case g.asking && keys.no.matches(msg):
		g.asking = false
	case g.result == nil && !g.stopping && !g.asking && keys.interrupt.matches(msg):
		g.asking = true
	case keys.up.matches(msg):
		g.follow, g.offset = false, max(g.offset-1, 0)
	case keys.down.matches(msg):
		g.follow, g.offset = false, g.offset+1
	case keys.pageUp.matches(msg):
		g.follow, g.offset = false, max(g.offset-g.bodyHeight(), 0)
	case keys.pageDown.matches(msg):
		g.follow, g.offset = false, g.offset+g.bodyHeight()
	}
	return nil
}

// event records one engine event.
func (g *progress) event(ev apply.Event) {
	if ev.At.After(g.now) {
		g.now = ev.At
	}
	s := g.states[ev.Address]
	if s == nil {
		s = &changeState{started: ev.At}
		g.states[ev.Address] = s
	}
	s.step, s.attempt = ev.Step, max(s.attempt, ev.Attempt)
	switch ev.Phase {
	case apply.PhaseStarted:
		s.phase, s.err = apply.PhaseStarted, nil
	case apply.PhaseRetry:
		s.phase, s.err = apply.PhaseRetry, ev.Err
	case apply.PhaseDone:
		// The destroy half of a replacement is not the end of it.
		if ev.Step == "destroy" && ev.Action == plan.ActionReplace {
			s.phase = apply.PhaseStarted
			return
		}
		s.phase, s.elapsed = apply.PhaseDone, total(s, ev)
	case apply.PhaseFailed:
		s.phase, s.elapsed, s.err = apply.PhaseFailed, total(s, ev), ev.Err
	case apply.PhaseSkipped:
		s.phase, s.blockedBy = apply.PhaseSkipped, ev.BlockedBy
	}
}

// total is a change's time from its first start to event ev.
func total(s *changeState, ev apply.Event) time.Duration {
	if !s.started.IsZero() && !ev.At.IsZero() && ev.At.After(s.started) {
		return ev.At.Sub(s.started)
	}
	return ev.Elapsed
}

// finished reports whether a change has reached its last phase.
func finished(s *changeState) bool {
	return s != nil && (s.phase == apply.PhaseDone || s.phase == apply.PhaseFailed || s.phase == apply.PhaseSkipped)
}

// counts returns how many changes finished, failed and were not run, of
// all the changes that do something.
func (g *progress) counts() (done, failed, skipped, all int) {
	for _, c := range g.p.Effective() {
		all++
		s := g.states[c.Address]
		switch {
		case s == nil:
		case s.phase == apply.PhaseFailed:
			failed++
		case s.phase == apply.PhaseSkipped:
			skipped++
		case s.phase == apply.PhaseDone:
			done++
		}
	}
	return done, failed, skipped, all
}

// bodyHeight is the number of lines between the bar and the footer.
func (g *progress) bodyHeight() int { return max(g.height-4-len(g.footer()), 1) }

// view renders the progress at its size.
func (g *progress) view() string {
	lines := []string{g.st.title.render(title(g.p, g.destroy)), g.bar(), ""}
	body, active := g.body()
	footer := g.footer()
	h := max(g.height-4-len(footer), 1)
	offset := g.offset
	if g.follow {
		offset = max(active-1, 0)
	}
	offset = min(offset, max(len(body)-h, 0))
	for i := range h {
		line := ""
		if offset+i < len(body) {
			line = body[offset+i]
		}
		lines = append(lines, line)
	}
	lines = append(lines, g.st.faint.render(rule("", g.width)))
	lines = append(lines, footer...)
	return fit(lines, g.width, g.height)
}

// bar is the overall progress: a bar, the count, failures, elapsed time.
func (g *progress) bar() string {
	done, failed, skipped, all := g.counts()
	finished := done + failed + skipped
	width := min(max(g.width-50, 10), 40)
	filled := width
	if all > 0 {
		filled = width * finished / all
	}
	bar := g.st.ok.render(strings.Repeat("█", filled)) + g.st.faint.render(strings.Repeat("░", width-filled))
	text := fmt.Sprintf(" %d/%d", finished, all)
	if failed > 0 {
		text += g.st.fail.render(fmt.Sprintf(" · %d failed", failed))
	}
	if skipped > 0 {
		text += fmt.Sprintf(" · %d not applied", skipped)
	}
	if !g.begun.IsZero() {
		text += " · " + duration(g.now.Sub(g.begun))
	}
	return bar + text
}

// body returns every body line and the line of the first change still in
// flight (or the first failure, or 0), for following.
func (g *progress) body() (lines []string, active int) {
	groups := plan.ByComponent(g.p.Effective())
	if len(groups) == 0 {
		return []string{"  No changes: there is nothing to apply."}, 0
	}
	w := widestAddress(groups, 44)
	active = -1
	for gi, grp := range groups {
		if gi > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, g.st.bold.render(rule(grp.Component, min(g.width, 80))))
		for _, c := range grp.Changes {
			s := g.states[c.Address]
			if active < 0 && (s == nil || !finished(s) || s.phase == apply.PhaseFailed) {
				active = len(lines)
			}
			lines = append(lines, g.row(c, s, w)...)
			lines = append(lines, g.errorLines(s)...)
		}
	}
	if g.wait.running || g.wait.ended {
		lines = append(lines, "", g.st.bold.render(rule("after apply", min(g.width, 80))))
		for _, l := range g.wait.lines {
			lines = append(lines, g.wrapped("", strings.TrimSpace(l))...)
		}
		// The wait's last line stays in view, as the change in flight
		// does during the apply.
		active = len(lines) - 1
	}
	return lines, max(active, 0)
}

// detailIndent is where a row's detail and error lines start.
const detailIndent = "        "

// row is one change's line: state, symbol, address, what is happening.
// A detail that does not fit goes on the lines below, wrapped.
func (g *progress) row(c plan.Change, s *changeState, w int) []string {
	mark, st, text, detail := g.state(c, s)
	line := " " + mark + " " + symbolCell(g.st, c.Action) + " " + pad(c.Address, w) + "  " + st.render(text)
	if detail == "" {
		return []string{line}
	}
	if joined := line + st.render(" "+detail); ansi.StringWidth(joined) <= g.width {
		return []string{joined}
	}
	return append([]string{line}, g.wrapped(st, detail)...)
}

// wrapped returns text wrapped under a row, in style st.
func (g *progress) wrapped(st style, text string) []string {
	var lines []string
	for _, l := range strings.Split(ansi.Wordwrap(text, max(g.width-len(detailIndent)-1, 20), " "), "\n") {
		lines = append(lines, detailIndent+st.render(l))
	}
	return lines
}

// state returns a change's mark, the style and text of its state, and a
// detail that follows the text on the row when it fits, below it when not
// (what it waits for, why it did not run, the error being retried).
func (g *progress) state(c plan.Change, s *changeState) (mark string, st style, text, detail string) {
	dot := g.st.faint.render("·")
	switch {
	case s == nil && g.result != nil:
		return dot, g.st.faint, "not applied", ""
	case s == nil && g.stopping:
		return dot, g.st.faint, "will not start:", "stopping"
	case s == nil:
		// Cut at the screen's edge rather than wrapped: a waiting
		// change takes one line.
		text, detail := g.waiting(c)
		return dot, g.st.faint, strings.TrimSpace(text + " " + detail), ""
	}
	words := verbs(c.Action, s.step)
	spin := g.st.update.render(spinnerFrames[g.frame])
	switch s.phase {
	case apply.PhaseDone:
		return g.st.ok.render("✓"), "", fmt.Sprintf("%s in %s", words[1], duration(s.elapsed)), ""
	case apply.PhaseFailed:
		return g.st.fail.render("✗"), g.st.fail, fmt.Sprintf("%s failed after %s", words[2], duration(s.elapsed)), ""
	case apply.PhaseSkipped:
		if s.blockedBy != "" {
			return g.st.faint.render("⊘"), g.st.faint, "not applied:", "depends on " + s.blockedBy + ", which failed"
		}
		return g.st.faint.render("⊘"), g.st.faint, "not applied:", "stopped before it started"
	case apply.PhaseRetry:
		return spin, g.st.update, fmt.Sprintf("%s… %s, attempt %d", words[0], duration(g.now.Sub(s.started)), s.attempt), "after " + errorText(s.err)
	}
	return spin, "", fmt.Sprintf("%s… %s", words[0], duration(g.now.Sub(s.started))), ""
}

// waiting says what a change that has not started waits for: the first
// of its dependencies the engine orders it after that has not finished.
func (g *progress) waiting(c plan.Change) (text, detail string) {
	var blockers []string
	for _, d := range c.DependsOn {
		dep := g.change(d)
		if dep == nil || dep.Action == plan.ActionNoOp || finished(g.states[d]) {
			continue
		}
		// Deletes wait for deletes; creates and updates for creates,
		// updates and replacements (as the engine orders them).
		if (c.Action == plan.ActionDelete) != (dep.Action == plan.ActionDelete) {
			continue
		}
		blockers = append(blockers, d)
	}
	switch len(blockers) {
	case 0:
		return "queued", ""
	case 1:
		return "waiting for", blockers[0]
	}
	return "waiting for", fmt.Sprintf("%s (+%d more)", blockers[0], len(blockers)-1)
}

// change returns the plan's change at address, or nil.
func (g *progress) change(address string) *plan.Change {
	for i := range g.p.Changes {
		if g.p.Changes[i].Address == address {
			return &g.p.Changes[i]
		}
	}
	return nil
}

// errorLines shows a failed change's error under it: the AWS error code
// and message when there is one, wrapped to the screen.
func (g *progress) errorLines(s *changeState) []string {
	if s == nil || s.phase != apply.PhaseFailed || s.err == nil {
		return nil
	}
	return g.wrapped(g.st.fail, errorText(s.err))
}

// apiError is the shape of an AWS API error (smithy.APIError), matched
// without importing the SDK.
type apiError interface {
	ErrorCode() string
	ErrorMessage() string
}

// errorText is "Code: message" for an AWS API error, the error's text
// otherwise.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	var api apiError
	if errors.As(err, &api) && api.ErrorCode() != "" {
		return api.ErrorCode() + ": " + api.ErrorMessage()
	}
	return err.Error()
}

// footer is the stop question, the stopping notice, the final summary or
// the keys.
func (g *progress) footer() []string {
	switch {
	case g.result != nil && g.wait.running:
		lines := strings.Split(ansi.Wordwrap(g.summary(), g.width, " "), "\n")
		if g.stopping {
			return append(lines, g.st.update.render("Stopping the wait; the apply is complete and nothing is undone…"), "")
		}
		waiting := fmt.Sprintf("%s Waiting for the stack to verify… %s", g.st.update.render(spinnerFrames[g.frame]), duration(g.now.Sub(g.wait.begun)))
		return append(lines, waiting, hint(g.st, keys.stopWait))
	case g.result != nil:
		lines := strings.Split(ansi.Wordwrap(g.summary(), g.width, " "), "\n")
		if g.wait.ended && g.wait.err != nil {
			lines = append(lines, strings.Split(ansi.Wordwrap(g.st.fail.render(g.wait.err.Error()), g.width, " "), "\n")...)
		}
		return append(lines, hint(g.st, keys.exit))
	case g.asking:
		return []string{g.st.warn.render(fmt.Sprintf("Stop the %s? Nothing new starts; calls in flight finish, waits stop.", g.word())), hint(g.st, keys.yes, keys.no)}
	case g.stopping:
		return []string{g.st.update.render("Stopping: nothing new starts; waiting for the calls in flight to finish…"), hint(g.st, keys.abort)}
	}
	return []string{"", hint(g.st, binding{label: "↑/↓", short: "scroll"}, keys.interrupt)}
}

// summary is the final line: what the apply did.
func (g *progress) summary() string {
	r := g.result
	word := strings.ToUpper(g.word()[:1]) + g.word()[1:]
	counts := fmt.Sprintf("Resources: %d added, %d changed, %d destroyed.", r.Added, r.Changed, r.Destroyed)
	if g.destroy || g.p.Destroy {
		counts = fmt.Sprintf("Resources: %d destroyed.", r.Destroyed)
	}
	switch {
	case r.OK():
		return g.st.ok.render(word+" complete! ") + counts
	case r.Interrupted:
		return g.st.update.render(word+" interrupted. ") + "Done so far: " + counts + " Run it again to converge."
	}
	return g.st.fail.render(fmt.Sprintf("%s failed: %d failed, %d not applied. ", word, len(r.Failed), len(r.NotRun))) + counts
}

// verbs returns the -ing, past and noun forms for a change's action (and
// the step of a replacement).
func verbs(a plan.Action, step string) [3]string {
	switch {
	case a == plan.ActionDelete || step == "destroy":
		return [3]string{"destroying", "destroyed", "destroy"}
	case a == plan.ActionUpdate:
		return [3]string{"updating", "updated", "update"}
	case a == plan.ActionReplace:
		return [3]string{"creating replacement", "replaced", "replace"}
	}
	return [3]string{"creating", "created", "create"}
}

// duration formats an elapsed time: "850ms", "12.3s", "2m05s".
func duration(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// word is what runs: "apply" or "destroy".
func (g *progress) word() string {
	if g.destroy || g.p.Destroy {
		return "destroy"
	}
	return "apply"
}
