package render

import (
	"fmt"
	"sort"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// lineWidth is the width the text plan keeps to wherever it controls line
// breaks (comments, legends, warnings); values are never broken.
const lineWidth = 80

// Lines returns change c of plan p as the text plan shows it: the heading
// comments ("# <address> will be created", the reasons for a delete or
// replacement, a data-loss warning), then the resource block with its
// attributes. Sensitive fields are redacted again (see the package
// comment). The terminal UI uses it to show one change's field diff.
func Lines(p *plan.Plan, c plan.Change) []Line {
	c = redact(c)
	lines := heading(p, c)
	sym := Symbol(c.Action)
	open := fmt.Sprintf("resource %q %q {", string(c.Kind), c.Name)
	lines = append(lines, Line{Indent: resourceIndent(sym), Symbol: sym, Text: open, Kind: LineResource})
	lines = append(lines, body(c)...)
	return append(lines, Line{Indent: 4, Text: "}", Kind: LineResource})
}

// resourceIndent right-aligns a resource line's symbol in three columns so
// that "resource" always starts at column 4.
func resourceIndent(sym string) int {
	if sym == "" {
		return 4
	}
	return max(0, 3-len(sym))
}

// heading returns the comment lines above a resource block.
func heading(p *plan.Plan, c plan.Change) []Line {
	lines := comment(LineHeading, c.Address+" "+Outcome(c.Action))
	for _, r := range Reasons(p, c) {
		if c.Action == plan.ActionDelete {
			r = "because " + r
		}
		lines = append(lines, comment(LineHeading, "("+r+")")...)
	}
	if c.DataLoss && (c.Action == plan.ActionDelete || c.Action == plan.ActionReplace) {
		lines = append(lines, comment(LineWarning, dataLossWarning(c.Action))...)
	}
	return lines
}

// dataLossWarning is the loud line above a delete or replacement that
// destroys stored data.
func dataLossWarning(a plan.Action) string {
	verb := "deleting"
	if a == plan.ActionReplace {
		verb = "replacing"
	}
	return "WARNING: DATA LOSS: " + verb + " this resource destroys the data it stores."
}

// comment returns text as "# " comment lines at column 2, wrapped between
// words to the line width.
func comment(kind LineKind, text string) []Line {
	var lines []Line
	for _, s := range wrap(printable(text), lineWidth-4) {
		lines = append(lines, Line{Indent: 2, Text: "# " + s, Kind: kind})
	}
	return lines
}

// body returns the attribute lines of a change's block.
func body(c plan.Change) []Line {
	switch c.Action {
	case plan.ActionCreate:
		return wholeProps("+", c.After, "")
	case plan.ActionDelete:
		return wholeProps("-", c.Before, " -> null")
	case plan.ActionUpdate, plan.ActionReplace:
		return diffProps(c)
	}
	n := len(union(c.Before, c.After))
	return appendHidden(nil, attrIndent+2, n, "attribute")
}

// wholeProps renders every prop under one symbol, keys sorted, "=" aligned.
func wholeProps(sym string, props resource.Props, tail string) []Line {
	keys := resource.SortedKeys(props)
	w := widest(keys)
	var lines []Line
	for _, k := range keys {
		lines = append(lines, whole(sym, attrIndent, pad(printable(k), w)+" = ", props[k], tail)...)
	}
	return lines
}

// diffProps renders the diffs of an update or replacement, sorted by path,
// then counts the props no diff touches.
func diffProps(c plan.Change) []Line {
	diffs := append([]resource.FieldDiff(nil), c.Diffs...)
	sort.SliceStable(diffs, func(i, j int) bool { return diffs[i].Path < diffs[j].Path })
	paths := make([]string, len(diffs))
	for i, d := range diffs {
		paths[i] = d.Path
	}
	w := widest(paths)
	var lines []Line
	for _, d := range diffs {
		note := ""
		if d.ForcesReplace {
			note = "# forces replacement"
		}
		lines = append(lines, change(attrIndent, pad(printable(d.Path), w)+" = ", d.Before, d.After, note)...)
	}
	return appendHidden(lines, attrIndent+2, unchanged(c), "attribute")
}

// unchanged counts the top-level props that no diff touches.
func unchanged(c plan.Change) int {
	touched := map[string]bool{}
	for _, d := range c.Diffs {
		touched[d.Path] = true
		key, _ := splitPath(d.Path)
		touched[key] = true
	}
	n := 0
	for k := range union(c.Before, c.After) {
		if !touched[k] {
			n++
		}
	}
	return n
}
