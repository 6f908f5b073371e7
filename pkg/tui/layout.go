package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/render"
)

// Default size before the terminal reports its own.
const (
	defaultWidth  = 80
	defaultHeight = 24
	minWidth      = 20
	minHeight     = 8
)

// fit makes lines exactly height lines of at most width cells: long lines
// are cut with "…", missing lines are blank, extra lines are dropped.
func fit(lines []string, width, height int) string {
	out := make([]string, height)
	for i := range out {
		if i < len(lines) {
			out[i] = ansi.Truncate(lines[i], width, "…")
		}
	}
	return strings.Join(out, "\n")
}

// title is the first line of every screen: "kcstack apply · stack "prod" ·
// eu-west-1".
func title(p *plan.Plan, destroy bool) string {
	cmd := "kcstack apply"
	if destroy || p.Destroy {
		cmd = "kcstack destroy"
	}
	parts := []string{cmd}
	if p.Stack != "" {
		parts = append(parts, fmt.Sprintf("stack %q", p.Stack))
	}
	if p.Region != "" {
		parts = append(parts, p.Region)
	}
	return strings.Join(parts, " · ")
}

// rule is a horizontal line of width cells with label near its start.
func rule(label string, width int) string {
	head := ""
	if label != "" {
		head = "── " + label + " "
	}
	return head + strings.Repeat("─", max(width-ansi.StringWidth(head), 0))
}

// widestAddress returns the width of the longest address, at most limit.
func widestAddress(groups []plan.Group, limit int) int {
	w := 0
	for _, g := range groups {
		for _, c := range g.Changes {
			w = max(w, ansi.StringWidth(c.Address))
		}
	}
	return min(w, limit)
}

// pad pads s with spaces to width cells.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(width-ansi.StringWidth(s), 0))
}

// symbolCell is an action's symbol right-aligned in three cells.
func symbolCell(s styles, a plan.Action) string {
	sym := render.Symbol(a)
	return strings.Repeat(" ", 3-len(sym)) + s.symbol(sym)
}

// destroysData reports whether c deletes or replaces a resource that
// stores data.
func destroysData(c plan.Change) bool {
	return c.DataLoss && (c.Action == plan.ActionDelete || c.Action == plan.ActionReplace)
}

// lineString renders one line of a change's field diff in the UI's
// styles; without colour it is exactly the text plan's line.
func lineString(s styles, l render.Line) string {
	if s == (styles{}) {
		return l.String()
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", l.Indent))
	if l.Symbol != "" {
		b.WriteString(s.symbol(l.Symbol) + " ")
	}
	text := strings.TrimRight(l.Text, " ")
	switch l.Kind {
	case render.LineHeading:
		text = s.bold.render(text)
	case render.LineWarning:
		text = s.warn.render(text)
	}
	b.WriteString(text)
	if l.Note != "" {
		b.WriteString(" " + s.delete.render(l.Note))
	}
	return b.String()
}
