package render

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kcstack/kcstack/pkg/plan"
)

// Markdown writes plan p as a pull-request comment: the summary line
// first, a warning block listing every delete and replacement with its
// reasons (when there is any), the plan's notes under "Notes" (those that
// block apply marked so), a table of the changes, and the full text
// plan folded in <details> inside a diff fence, symbols moved to the first
// column so GitHub colours added and removed lines. No-op changes are not
// shown. Table cells escape pipes and backticks.
func Markdown(w io.Writer, p *plan.Plan) error {
	_, err := io.WriteString(w, strings.Join(markdownBlocks(p), "\n\n")+"\n")
	if err != nil {
		return fmt.Errorf("write markdown plan: %w", err)
	}
	return nil
}

// markdownBlocks returns the comment's blocks, separated by blank lines.
func markdownBlocks(p *plan.Plan) []string {
	shown := p.Effective()
	if len(shown) == 0 {
		return append([]string{"**No changes.** Your infrastructure matches the configuration.",
			escapeInline(fmt.Sprintf("kcstack found no differences between %s and %s, so there is nothing to apply.", stackName(p), awsName(p)))},
			noteBlocks(p.Notes)...)
	}
	blocks := []string{"**Plan:** " + counts(p.Summary) + ".", planFor(p)}
	if warning := destructiveWarning(p, shown); warning != "" {
		blocks = append(blocks, warning)
	}
	blocks = append(blocks, noteBlocks(p.Notes)...)
	blocks = append(blocks, changeTable(shown))
	used := len(strings.Join(blocks, "\n\n"))
	return append(blocks, details(p, commentLimit-commentSlack-used))
}

// planFor says which stack and region the plan is for.
func planFor(p *plan.Plan) string {
	s := "kcstack plan"
	if p.Stack != "" {
		s += " for stack " + code(p.Stack)
	}
	if p.Region != "" {
		s += " in " + code(p.Region)
	}
	return s + "."
}

// destructiveWarning is a GitHub alert listing every delete and
// replacement with its reasons and data loss, or "" when there is none. It
// is a red CAUTION alert when data is lost, a WARNING otherwise.
func destructiveWarning(p *plan.Plan, shown []plan.Change) string {
	var items []string
	lost := 0
	for _, c := range shown {
		if c.Action != plan.ActionDelete && c.Action != plan.ActionReplace {
			continue
		}
		if c.DataLoss {
			lost++
		}
		items = append(items, "> - "+destructiveItem(p, c))
	}
	if len(items) == 0 {
		return ""
	}
	head := "This plan deletes or replaces " + plural(len(items), "resource")
	if lost == 1 {
		head += ", including 1 that holds stored data"
	}
	if lost > 1 {
		head += fmt.Sprintf(", including %d that hold stored data", lost)
	}
	alert := "> [!WARNING]"
	if lost > 0 {
		alert = "> [!CAUTION]"
	}
	lines := []string{alert, "> **" + head + ":**", ">"}
	items = fit(items, warningShare, func(n int) string {
		return fmt.Sprintf("> - and %d more: see the table and the full plan", n)
	})
	return strings.Join(append(lines, items...), "\n")
}

// destructiveItem is one delete or replacement in the warning list.
func destructiveItem(p *plan.Plan, c plan.Change) string {
	s := fmt.Sprintf("%s %s (%s) %s", code(Symbol(c.Action)), code(c.Address), code(string(c.Kind)), Outcome(c.Action))
	if reasons := Reasons(p, c); len(reasons) > 0 {
		sep := ": "
		if c.Action == plan.ActionDelete {
			sep = " because "
		}
		s += sep + escapeInline(strings.Join(reasons, "; "))
	}
	if c.DataLoss {
		s += ". **Destroys stored data.**"
	}
	return s
}

// noteBlocks are the "Notes" heading and a list of the notes, those that
// block apply first in bold; none when there are no notes.
func noteBlocks(notes []plan.Note) []string {
	if len(notes) == 0 {
		return nil
	}
	var items []string
	for _, n := range notes {
		item := "- " + escapeInline(sentence(n.Text))
		if n.Blocking {
			item = "- **Blocks apply:** " + escapeInline(n.Text)
		}
		items = append(items, item)
	}
	items = fit(items, notesShare, func(n int) string {
		return fmt.Sprintf("- and %d more notes: kcstack plan prints all of them", n)
	})
	return []string{"**Notes:**", strings.Join(items, "\n")}
}

// sentence returns s with its first letter in upper case.
func sentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// changeTable is one row per shown change: action, address, kind, and
// what changes.
func changeTable(shown []plan.Change) string {
	var rows []string
	for _, c := range shown {
		cells := []string{code(Symbol(c.Action)) + " " + string(c.Action), code(c.Address), code(string(c.Kind)), whatChanges(c)}
		for i := range cells {
			cells[i] = tableCell(cells[i])
		}
		rows = append(rows, "| "+strings.Join(cells, " | ")+" |")
	}
	rows = fit(rows, tableShare, func(n int) string {
		return fmt.Sprintf("| | %d more changes | | not listed: the plan is too long for a comment |", n)
	})
	head := []string{"| Action | Address | Kind | Changes |", "|---|---|---|---|"}
	return strings.Join(append(head, rows...), "\n")
}

// whatChanges summarizes a change for the table: the differing fields of
// an update or replacement (marking those that force it), and data loss.
func whatChanges(c plan.Change) string {
	var parts []string
	switch c.Action {
	case plan.ActionCreate:
		parts = append(parts, "new resource")
	case plan.ActionDelete:
		parts = append(parts, "removed")
	default:
		for _, d := range c.Diffs {
			f := code(d.Path)
			if d.ForcesReplace {
				f += " (forces replacement)"
			}
			parts = append(parts, f)
		}
	}
	if c.DataLoss {
		parts = append(parts, "**destroys stored data**")
	}
	return strings.Join(parts, ", ")
}

// details folds the full text plan, without colour, in a diff fence,
// cut short (saying so) past budget bytes.
func details(p *plan.Plan, budget int) string {
	lines := textLines(p, nil)
	for i, l := range lines {
		lines[i] = diffLine(l)
	}
	lines = fit(lines, budget, func(n int) string {
		return fmt.Sprintf("... (%d more lines not shown: the plan is too long for a comment; kcstack plan shows all of it)", n)
	})
	body := strings.Join(lines, "\n") + "\n"
	fence := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	return "<details><summary>Full plan</summary>\n\n" + fence + "diff\n" + body + fence + "\n\n</details>"
}

// symbolLead matches a line's indentation followed by an action symbol.
var symbolLead = regexp.MustCompile(`^( +)([-+~]) `)

// diffLine moves a leading action symbol to the first column, "~" as "!",
// so that a diff fence colours it; other lines are unchanged.
func diffLine(l string) string {
	m := symbolLead.FindStringSubmatch(l)
	if m == nil {
		return l
	}
	sym := m[2]
	if sym == "~" {
		sym = "!"
	}
	return sym + m[1] + l[len(m[1])+1:]
}

// code returns s as a Markdown code span, with a delimiter longer than any
// backtick run in s.
func code(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	delim := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return delim + s + delim
}

// tableCell makes s safe inside a table cell: pipes escaped (GitHub honours
// the escape inside code spans too) and no line breaks.
func tableCell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// inlineSpecial are the characters escapeInline escapes.
var inlineSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "~", `\~`, "\n", " ",
)

// escapeInline makes text from the plan literal in Markdown prose.
func escapeInline(s string) string { return inlineSpecial.Replace(s) }

// longestRun returns the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != c {
			n = 0
			continue
		}
		n++
		best = max(best, n)
	}
	return best
}

// GitHub's limit on a comment is 65,536 characters; sizes here are bytes,
// never fewer. For a very large plan, the warning list and the table each
// get a share and the folded text plan what is left, less some slack for
// the fence and the details wrapper.
const (
	commentLimit = 65536
	commentSlack = 512
	warningShare = commentLimit / 4
	tableShare   = commentLimit / 3
	notesShare   = commentLimit / 8
)

// fit returns lines whole when they fit in budget bytes (counting a newline
// each); otherwise as many as fit followed by more(n), n being how many
// were left out.
func fit(lines []string, budget int, more func(n int) string) []string {
	used := 0
	for _, l := range lines {
		used += len(l) + 1
	}
	if used <= budget {
		return lines
	}
	used = len(more(len(lines))) + 1
	for i, l := range lines {
		if used+len(l)+1 > budget {
			return append(lines[:i:i], more(len(lines)-i))
		}
		used += len(l) + 1
	}
	return lines
}
