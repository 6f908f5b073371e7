package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/render"
)

// confirm is the screen between approval and a plan that deletes or
// replaces resources: it lists exactly those, marks the ones whose data is
// lost, and applies only when the stack name is typed exactly. Enter with
// anything else, esc or ctrl+c cancels; nothing is pre-filled.
type confirm struct {
	p       *plan.Plan
	st      styles
	name    string
	destroy bool
	width   int
	height  int

	// destructive are the changes that delete or replace, those that
	// destroy stored data first.
	destructive []plan.Change
	input       string
	// offset is the first destructive change shown when they do not fit.
	offset int
}

// newConfirm returns the confirmation for plan p and stack name.
func newConfirm(p *plan.Plan, st styles, name string, destroy bool) *confirm {
	destructive := p.Destructive()
	sort.SliceStable(destructive, func(i, j int) bool { return destroysData(destructive[i]) && !destroysData(destructive[j]) })
	return &confirm{p: p, st: st, name: name, destroy: destroy, width: defaultWidth, height: defaultHeight, destructive: destructive}
}

// setSize records the terminal's size.
func (c *confirm) setSize(w, h int) {
	c.width, c.height = w, h
	c.offset = min(c.offset, c.maxOffset())
}

// update edits the typed name; enter decides.
func (c *confirm) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		c.input += oneLine(msg.Content)
	case tea.KeyPressMsg:
		return c.updateKey(msg)
	}
	return nil
}

// updateKey handles one key of the confirmation.
func (c *confirm) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "enter":
		if c.name != "" && c.input == c.name {
			return emit(confirmedMsg{})
		}
		return emit(cancelMsg{reason: fmt.Sprintf("the typed name %q is not the stack name %q", c.input, c.name)})
	case "esc", "ctrl+c":
		return emit(cancelMsg{reason: "cancelled at the confirmation"})
	case "backspace":
		rs := []rune(c.input)
		c.input = string(rs[:max(len(rs)-1, 0)])
	case "ctrl+u":
		c.input = ""
	case "up":
		c.offset = max(c.offset-1, 0)
	case "down":
		c.offset = min(c.offset+1, c.maxOffset())
	default:
		c.input += oneLine(msg.Text)
	}
	return nil
}

// confirmFixedLines is the number of lines around the list of changes
// and the data-loss warning: title, summary, heading and blanks, prompt,
// input and footer.
const confirmFixedLines = 11

// listHeight is the number of destructive changes shown at once; when
// they do not all fit, one line says how many more there are.
func (c *confirm) listHeight() int {
	h := c.height - confirmFixedLines - len(c.dataLoss())
	if len(c.destructive) > h {
		h--
	}
	return max(h, 1)
}

// maxOffset is the largest scroll offset of the list.
func (c *confirm) maxOffset() int { return max(len(c.destructive)-c.listHeight(), 0) }

// view renders the confirmation at its size.
func (c *confirm) view() string {
	verb := "This plan DELETES or REPLACES"
	if c.destroy || c.p.Destroy {
		verb = "This destroy DELETES"
	}
	lines := []string{
		c.st.title.render(title(c.p, c.destroy)),
		c.st.bold.render(render.SummaryLine(c.p)),
		"",
		c.st.warn.render(fmt.Sprintf("%s %s:", verb, count(len(c.destructive), "resource"))),
		"",
	}
	lines = append(lines, c.list()...)
	lines = append(lines, "")
	lines = append(lines, c.dataLoss()...)
	lines = append(lines,
		fmt.Sprintf("Type the stack name %s to confirm. Anything else cancels.", c.st.bold.render(fmt.Sprintf("%q", c.name))),
		"",
		c.st.key.render("> ")+c.st.input.render(c.input)+"█",
		"",
		c.footer(),
	)
	return fit(lines, c.width, c.height)
}

// footer names the keys; scrolling only when the list does not fit.
func (c *confirm) footer() string {
	bs := []binding{{label: "enter", short: "confirm"}, keys.cancel}
	if c.maxOffset() > 0 {
		bs = append(bs, binding{label: "↑/↓", short: "scroll"})
	}
	return hint(c.st, bs...)
}

// list is the destructive changes that fit, with a line saying how many
// more there are above and below.
func (c *confirm) list() []string {
	h := c.listHeight()
	w := 0
	for _, d := range c.destructive {
		w = max(w, len(d.Address))
	}
	w = min(w, 48)
	from := min(c.offset, c.maxOffset())
	to := min(from+h, len(c.destructive))
	var lines []string
	for _, d := range c.destructive[from:to] {
		line := " " + symbolCell(c.st, d.Action) + " " + pad(d.Address, w) + "  " + c.st.action(d.Action).render(render.Outcome(d.Action))
		if destroysData(d) {
			line += "  " + c.st.warn.render("DATA LOSS")
		}
		lines = append(lines, line)
	}
	if more := len(c.destructive) - to; more > 0 || from > 0 {
		lines = append(lines, c.st.faint.render(fmt.Sprintf("    (%d above, %d below: ↑/↓ to scroll)", from, more)))
	}
	return lines
}

// dataLoss is the loud warning, wrapped to the screen and followed by a
// blank line, naming every listed change that destroys stored data; empty
// when none does.
func (c *confirm) dataLoss() []string {
	var lost []string
	for _, d := range c.destructive {
		if destroysData(d) {
			lost = append(lost, d.Address)
		}
	}
	if len(lost) == 0 {
		return nil
	}
	text := fmt.Sprintf("WARNING: DATA LOSS: the data stored in %s is destroyed with %s. It cannot be undone.",
		strings.Join(lost, ", "), map[bool]string{true: "it", false: "them"}[len(lost) == 1])
	var lines []string
	for _, l := range strings.Split(ansi.Wordwrap(text, c.width, " ,"), "\n") {
		lines = append(lines, c.st.warn.render(l))
	}
	return append(lines, "")
}

// count returns "1 resource" or "N resources".
func count(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%d %s", n, noun)
}
