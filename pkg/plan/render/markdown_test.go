package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/plantest"
	"github.com/kcstack/kcstack/pkg/resource"
)

func TestMarkdown(t *testing.T) {
	for name := range fixtures {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			if err := Markdown(&b, fixtures[name]()); err != nil {
				t.Fatalf("Markdown: %v", err)
			}
			golden(t, name+".md.golden", b.String())
		})
	}
}

// bigPlan has n creates, too many for the text plan to fit in a comment.
func bigPlan(n int) *plan.Plan {
	var changes []plan.Change
	for i := range n {
		addr := fmt.Sprintf("database.subnet[%d]", i)
		changes = append(changes, plan.Change{Address: addr, Kind: resource.KindSubnet, Component: "database",
			Name: fmt.Sprint(i), Action: plan.ActionCreate, After: plantest.SubnetProps("eu-west-1a", fmt.Sprintf("10.20.%d.0/24", i%256))})
	}
	return plantest.NewPlan(changes...)
}

func TestMarkdownFitsAComment(t *testing.T) {
	cases := map[string]struct {
		reason    string
		plan      *plan.Plan
		truncated bool
	}{
		"Small": {reason: "a plan that fits is shown whole", plan: bigPlan(3)},
		"Huge":  {reason: "a plan too long for a comment is cut short, saying so, and the comment fits GitHub's limit", plan: bigPlan(600), truncated: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			if err := Markdown(&b, tc.plan); err != nil {
				t.Fatalf("Markdown: %v", err)
			}
			out := b.String()
			if n := len([]rune(out)); n > 65536 {
				t.Errorf("%s: comment is %d characters, over GitHub's 65,536", tc.reason, n)
			}
			if got := strings.Contains(out, "more lines not shown"); got != tc.truncated {
				t.Errorf("%s: truncated = %v, want %v", tc.reason, got, tc.truncated)
			}
			if !strings.HasSuffix(out, "```\n\n</details>\n") {
				t.Errorf("%s: the details block is not closed:\n%s", tc.reason, out[max(0, len(out)-200):])
			}
		})
	}
}

func TestMarkdownEscaping(t *testing.T) {
	cases := map[string]struct {
		reason string
		got    string
		want   string
	}{
		"CodeSpan":          {reason: "plain text becomes a code span", got: code("database.vpc"), want: "`database.vpc`"},
		"CodeSpanBacktick":  {reason: "a backtick inside needs a longer delimiter", got: code("a`b"), want: "``a`b``"},
		"CodeSpanEdge":      {reason: "a backtick at an edge is padded with spaces", got: code("`x"), want: "`` `x ``"},
		"CellPipe":          {reason: "pipes in a table cell are escaped, even in a code span", got: tableCell(code("a|b")), want: "`a\\|b`"},
		"CellNewline":       {reason: "a table cell stays on one line", got: tableCell("a\nb"), want: "a b"},
		"InlineMarkup":      {reason: "markup characters in prose are literal", got: escapeInline("a_b *c* `d` <e>"), want: "a\\_b \\*c\\* \\`d\\` \\<e\\>"},
		"DiffLinePlus":      {reason: "an indented + moves to column one", got: diffLine("      + a = 1"), want: "+       a = 1"},
		"DiffLineTilde":     {reason: "~ becomes ! so GitHub highlights it", got: diffLine("  ~ resource"), want: "!   resource"},
		"DiffLineReplace":   {reason: "-/+ already starts the line", got: diffLine("-/+ resource"), want: "-/+ resource"},
		"DiffLineComment":   {reason: "comments are left alone", got: diffLine("  # x will be created"), want: "  # x will be created"},
		"DiffLineHyphenate": {reason: "a hyphen inside text is not a symbol", got: diffLine("  -x"), want: "  -x"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestMarkdownTableEscapesCells(t *testing.T) {
	p := plantest.NewPlan(plan.Change{Address: "database.odd|name`x", Kind: resource.KindVPC, Component: "database", Name: "odd",
		Action: plan.ActionUpdate, Diffs: []resource.FieldDiff{{Path: "tags.a|b", Before: "x", After: "y"}}})
	var b strings.Builder
	if err := Markdown(&b, p); err != nil {
		t.Fatalf("Markdown: %v", err)
	}
	want := "| `~` update | ``database.odd\\|name`x`` | `ec2:vpc` | `tags.a\\|b` |"
	if !strings.Contains(b.String(), want) {
		t.Errorf("table row with escaped pipes and backticks missing; want %q in:\n%s", want, b.String())
	}
}
