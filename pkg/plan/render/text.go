package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/kcstack/kcstack/pkg/plan"
)

// TextOptions control the text plan.
type TextOptions struct {
	// Color turns on ANSI colour: green +, yellow ~, red -, red and green
	// -/+. The caller decides (NO_COLOR, --no-color, no terminal).
	Color bool
}

// Text writes plan p for people in Terraform's vocabulary: a legend of the
// symbols the plan uses, the changes grouped by component (in the order the
// components first appear), a warning when data is destroyed, and the
// closing summary line. No-op changes are not shown.
func Text(w io.Writer, p *plan.Plan, opts TextOptions) error {
	lines := textLines(p, newPalette(opts.Color))
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	if err != nil {
		return fmt.Errorf("write text plan: %w", err)
	}
	return nil
}

// textLines returns the whole text plan, line by line.
func textLines(p *plan.Plan, pal *palette) []string {
	shown := p.Effective()
	if len(shown) == 0 {
		return noChanges(p, pal)
	}
	out := legend(p, shown, pal)
	out = append(out, "", "kcstack will perform the following actions:")
	for _, g := range plan.ByComponent(shown) {
		out = append(out, "", pal.bold(rule(g.Component)))
		for _, c := range g.Changes {
			out = append(out, "")
			for _, l := range Lines(p, c) {
				out = append(out, l.render(pal))
			}
		}
	}
	out = append(out, dataLossSummary(shown, pal)...)
	return append(out, "", pal.bold(SummaryLine(p)))
}

// noChanges is the whole text plan when nothing changes.
func noChanges(p *plan.Plan, pal *palette) []string {
	out := []string{pal.bold(SummaryLine(p)), ""}
	text := fmt.Sprintf("kcstack found no differences between %s and %s, so there is nothing to apply.", stackName(p), awsName(p))
	return append(out, wrap(printable(text), lineWidth)...)
}

// stackName names the plan's stack: `stack "prod"`.
func stackName(p *plan.Plan) string {
	if p.Stack == "" {
		return "the stack"
	}
	return fmt.Sprintf("stack %q", p.Stack)
}

// awsName names what the stack was compared with: "what AWS holds in
// eu-west-1".
func awsName(p *plan.Plan) string {
	if p.Region == "" {
		return "what AWS holds"
	}
	return "what AWS holds in " + p.Region
}

// legend introduces the plan and explains the symbols it uses, and only
// those.
func legend(p *plan.Plan, shown []plan.Change, pal *palette) []string {
	intro := fmt.Sprintf("kcstack compared %s with %s and generated the following plan. Resource actions are indicated with the following symbols:", stackName(p), awsName(p))
	out := wrap(printable(intro), lineWidth)
	present := map[plan.Action]bool{}
	for _, c := range shown {
		present[c.Action] = true
	}
	for _, a := range actionOrder {
		if present[a] {
			sym := Symbol(a)
			out = append(out, strings.Repeat(" ", 3-len(sym))+pal.symbol(sym)+" "+Verb(a))
		}
	}
	return out
}

// rule is a component's heading: its name in a horizontal rule.
func rule(name string) string {
	head := "── " + printable(name) + " "
	n := lineWidth - 2 - len([]rune(head))
	return head + strings.Repeat("─", max(n, 3))
}

// dataLossSummary repeats, just above the summary line, every change that
// destroys stored data.
func dataLossSummary(shown []plan.Change, pal *palette) []string {
	var lost []plan.Change
	for _, c := range shown {
		if c.DataLoss && (c.Action == plan.ActionDelete || c.Action == plan.ActionReplace) {
			lost = append(lost, c)
		}
	}
	if len(lost) == 0 {
		return nil
	}
	out := []string{"", pal.warn(fmt.Sprintf("WARNING: DATA LOSS: this plan destroys the data stored in %s:", plural(len(lost), "resource")))}
	for _, c := range lost {
		out = append(out, printable(fmt.Sprintf("    %s (%s) %s", c.Address, c.Kind, Outcome(c.Action))))
	}
	return out
}

// plural returns "1 resource" or "N resources".
func plural(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%d %s", n, noun)
}
