package tui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/render"
)

// review is the first screen: the plan's summary and its changes grouped
// by component, each expandable into its field diff.
type review struct {
	p       *plan.Plan
	st      styles
	destroy bool
	width   int
	height  int

	// cursor is the address of the selected change.
	cursor   string
	expanded map[string]bool
	// offset is the first body line shown.
	offset    int
	filter    string
	filtering bool
	help      bool
}

// newReview returns the review of p with the first change selected.
func newReview(p *plan.Plan, st styles, destroy bool) *review {
	r := &review{p: p, st: st, destroy: destroy, width: defaultWidth, height: defaultHeight, expanded: map[string]bool{}}
	if cs := r.changes(); len(cs) > 0 {
		r.cursor = cs[0].Address
	}
	return r
}

// setSize records the terminal's size.
func (r *review) setSize(w, h int) {
	r.width, r.height = w, h
	r.scrollToCursor()
}

// groups returns the changes shown: those that do something and match
// the filter.
func (r *review) groups() []plan.Group {
	shown := r.p.Effective()
	if q := strings.ToLower(r.filter); q != "" {
		shown = slices.DeleteFunc(shown, func(c plan.Change) bool {
			text := strings.ToLower(strings.Join([]string{c.Address, string(c.Kind), c.Component, c.Name, string(c.Action), render.Symbol(c.Action)}, " "))
			return !strings.Contains(text, q)
		})
	}
	return plan.ByComponent(shown)
}

// changes returns the changes shown, in display order.
func (r *review) changes() []plan.Change {
	var out []plan.Change
	for _, g := range r.groups() {
		out = append(out, g.Changes...)
	}
	return out
}

// bodyHeight is the number of lines between the header and the footer.
func (r *review) bodyHeight() int { return max(r.height-5, 1) }

// update handles a key. It returns approveMsg or cancelMsg through its
// command when the review ends.
func (r *review) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if r.filtering {
			r.updateFilter(msg)
			return nil
		}
		return r.updateKey(msg)
	case tea.PasteMsg:
		if r.filtering {
			r.filter += oneLine(msg.Content)
			r.selectVisible()
		}
	}
	return nil
}

// updateKey handles a key outside the filter prompt.
func (r *review) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case r.help && (keys.help.matches(msg) || msg.String() == "esc" || msg.String() == "q"):
		r.help = false
	case keys.help.matches(msg):
		r.help = true
	case msg.String() == "esc" && r.filter != "":
		r.filter = ""
		r.selectVisible()
	case keys.quit.matches(msg):
		return emit(cancelMsg{reason: "cancelled in the review"})
	case keys.approve.matches(msg) && r.p.HasChanges():
		return emit(approveMsg{})
	case keys.filter.matches(msg):
		r.filtering, r.help = true, false
	case keys.up.matches(msg):
		r.move(-1)
	case keys.down.matches(msg):
		r.move(1)
	case keys.top.matches(msg):
		r.move(-len(r.p.Changes))
	case keys.bottom.matches(msg):
		r.move(len(r.p.Changes))
	case keys.pageUp.matches(msg):
		r.offset = max(r.offset-r.bodyHeight(), 0)
	case keys.pageDown.matches(msg):
		lines, _, _ := r.body()
		r.offset = min(r.offset+r.bodyHeight(), max(len(lines)-r.bodyHeight(), 0))
	case keys.expand.matches(msg) && r.cursor != "":
		r.expanded[r.cursor] = !r.expanded[r.cursor]
		r.scrollToCursor()
	case keys.open.matches(msg) && r.cursor != "":
		r.expanded[r.cursor] = true
		r.scrollToCursor()
	case keys.close.matches(msg) && r.cursor != "":
		r.expanded[r.cursor] = false
		r.scrollToCursor()
	}
	return nil
}

// updateFilter edits the filter: typing narrows, backspace widens, enter
// keeps it, esc clears it; ↑/↓ still move.
func (r *review) updateFilter(msg tea.KeyPressMsg) {
	switch msg.String() {
	case "enter":
		r.filtering = false
	case "esc", "ctrl+c":
		r.filtering, r.filter = false, ""
	case "backspace":
		rs := []rune(r.filter)
		r.filter = string(rs[:max(len(rs)-1, 0)])
	case "ctrl+u":
		r.filter = ""
	case "up", "down":
		r.move(map[string]int{"up": -1, "down": 1}[msg.String()])
		return
	default:
		r.filter += oneLine(msg.Text)
	}
	r.selectVisible()
}

// selectVisible keeps the cursor on a shown change after the filter
// changed: the same one if it is still shown, else the first.
func (r *review) selectVisible() {
	cs := r.changes()
	r.offset = 0
	for _, c := range cs {
		if c.Address == r.cursor {
			r.scrollToCursor()
			return
		}
	}
	r.cursor = ""
	if len(cs) > 0 {
		r.cursor = cs[0].Address
	}
	r.scrollToCursor()
}

// move moves the cursor by n changes, staying within the list.
func (r *review) move(n int) {
	cs := r.changes()
	if len(cs) == 0 {
		return
	}
	i := 0
	for j, c := range cs {
		if c.Address == r.cursor {
			i = j
		}
	}
	r.cursor = cs[min(max(i+n, 0), len(cs)-1)].Address
	r.scrollToCursor()
}

// scrollToCursor scrolls so that the selected change is shown, with as
// much of its field diff as fits.
func (r *review) scrollToCursor() {
	lines, first, last := r.body()
	h := r.bodyHeight()
	if last-first+1 > h {
		last = first + h - 1
	}
	if last >= r.offset+h {
		r.offset = last - h + 1
	}
	if first < r.offset {
		r.offset = first
	}
	// Show the group heading above the first change.
	if first == 1 {
		r.offset = 0
	}
	r.offset = min(r.offset, max(len(lines)-h, 0))
}

// body returns every body line and the first and last lines of the
// selected change (its row and its expanded diff).
func (r *review) body() (lines []string, first, last int) {
	groups := r.groups()
	w := widestAddress(groups, 48)
	for gi, g := range groups {
		if gi > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, r.st.bold.render(rule(g.Component, min(r.width, 80))))
		for _, c := range g.Changes {
			selected := c.Address == r.cursor
			if selected {
				first = len(lines)
			}
			lines = append(lines, r.row(c, w, selected))
			if r.expanded[c.Address] {
				for _, l := range render.Lines(r.p, c) {
					lines = append(lines, "    "+lineString(r.st, l))
				}
				lines = append(lines, "")
			}
			if selected {
				last = len(lines) - 1
			}
		}
	}
	return append(lines, r.noteLines()...), first, last
}

// noteLines are the plan's notes under their own heading, after the
// changes, those that block apply in the warning style; none when the plan
// has no notes.
func (r *review) noteLines() []string {
	if len(r.p.Notes) == 0 {
		return nil
	}
	w := min(r.width, 80)
	lines := []string{"", r.st.bold.render(rule("notes", w))}
	for _, n := range r.p.Notes {
		st := style("")
		if n.Blocking {
			st = r.st.warn
		}
		for i, l := range render.NoteLines(n, w-4) {
			lead := "    "
			if i == 0 {
				lead = "  • "
			}
			lines = append(lines, lead+st.render(l))
		}
	}
	return lines
}

// row is one change's line: marker, symbol, address, what happens.
func (r *review) row(c plan.Change, w int, selected bool) string {
	marker, addr := "  ", pad(c.Address, w)
	if selected {
		marker, addr = r.st.key.render("▸ "), r.st.selected.render(addr)
	}
	line := marker + symbolCell(r.st, c.Action) + " " + addr + "  " + r.st.action(c.Action).render(render.Outcome(c.Action))
	if destroysData(c) {
		line += "  " + r.st.warn.render("DATA LOSS")
	}
	return line
}

// view renders the review at its size.
func (r *review) view() string {
	lines := []string{r.st.title.render(title(r.p, r.destroy)), r.summary(), r.filterLine()}
	body, _, _ := r.body()
	h := r.bodyHeight()
	switch {
	case r.help:
		body = r.helpLines()
	case !r.p.HasChanges():
		body = append(r.noChanges(), r.noteLines()...)
	case len(r.groups()) == 0:
		body = append([]string{"", "  No change matches " + fmt.Sprintf("%q", r.filter) + ". Press esc to clear the filter."}, r.noteLines()...)
	default:
		body = body[min(r.offset, max(len(body)-h, 0)):]
	}
	for i := range h {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		lines = append(lines, line)
	}
	lines = append(lines, r.status(), r.footer())
	return fit(lines, r.width, r.height)
}

// summary is the plan's summary line, with the number of destructive
// changes when there are any.
func (r *review) summary() string {
	line := r.st.bold.render(render.SummaryLine(r.p))
	if n := len(r.p.Destructive()); n > 0 {
		line += "  " + r.st.warn.render(fmt.Sprintf("%d deleted or replaced", n))
	}
	return line
}

// filterLine shows the filter while it is typed or applied.
func (r *review) filterLine() string {
	if !r.filtering && r.filter == "" {
		return ""
	}
	cursor := ""
	if r.filtering {
		cursor = "█"
	}
	return fmt.Sprintf("%s %s%s  %s", r.st.key.render("/"), r.st.input.render(r.filter), cursor,
		r.st.faint.render(fmt.Sprintf("(%d of %d changes)", len(r.changes()), len(r.p.Effective()))))
}

// status is the rule above the footer: which lines are shown.
func (r *review) status() string {
	body, _, _ := r.body()
	h := r.bodyHeight()
	if r.help || len(body) <= h {
		return r.st.faint.render(rule("", r.width))
	}
	from := min(r.offset, max(len(body)-h, 0))
	to := min(from+h, len(body))
	label := fmt.Sprintf("lines %d–%d of %d", from+1, to, len(body))
	if to < len(body) {
		label += " ↓"
	}
	return r.st.faint.render(rule(label, r.width))
}

// footer names the keys that work now.
func (r *review) footer() string {
	switch {
	case r.filtering:
		return hint(r.st, binding{label: "enter", short: "keep filter"}, binding{label: "esc", short: "clear"}, binding{label: "↑/↓", short: "move"})
	case r.help:
		return hint(r.st, binding{label: "?", short: "close help"})
	case !r.p.HasChanges():
		return hint(r.st, keys.help, keys.quit)
	}
	return hint(r.st, binding{label: "↑/↓", short: "move"}, keys.expand, keys.filter, keys.approve, keys.help, keys.quit)
}

// noChanges is the body of a plan that does nothing.
func (r *review) noChanges() []string {
	return []string{"", "  There is nothing to apply: AWS already matches the stack file.", "  Press q to exit."}
}

// helpLines lists every key of the review.
func (r *review) helpLines() []string {
	lines := []string{"", r.st.bold.render("  Keys")}
	for _, b := range []binding{keys.up, keys.down, keys.pageUp, keys.pageDown, keys.top, keys.bottom, keys.expand, keys.open, keys.close, keys.filter, keys.approve, keys.help, keys.quit} {
		lines = append(lines, "  "+r.st.key.render(pad(b.label, 8))+b.desc)
	}
	lines = append(lines, "",
		"  Approving a plan that deletes or replaces anything asks you to type the",
		"  stack name first. Nothing is applied until you approve.")
	return lines
}

// oneLine drops line breaks and other control characters from typed or
// pasted text.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}
