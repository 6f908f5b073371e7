package render

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/plan"
)

func TestText(t *testing.T) {
	cases := map[string]struct {
		reason  string
		fixture string
		color   bool
	}{
		"NoChanges":      {reason: "a plan of no-ops says No changes and why", fixture: "no-changes"},
		"Creates":        {reason: "creates show every attribute with +, refs known after apply, secrets hidden", fixture: "creates"},
		"Update":         {reason: "updates show only changed fields, element-wise for lists and maps", fixture: "update"},
		"Replace":        {reason: "replacements name the forcing fields; data loss is loud", fixture: "replace"},
		"Mixed":          {reason: "changes are grouped by component in order of first appearance", fixture: "mixed"},
		"Destroy":        {reason: "a destroy plan gives its own reason for deletes", fixture: "destroy"},
		"NoChangesColor": {reason: "colour on a plan without changes", fixture: "no-changes", color: true},
		"MixedColor":     {reason: "colour marks symbols, headings, warnings and forced replacements", fixture: "mixed", color: true},
		"ReplaceColor":   {reason: "-/+ is red and green", fixture: "replace", color: true},
		"Redis":          {reason: "a rotated password is an update of its user; a replaced replication group is data loss", fixture: "redis"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			if err := Text(&b, fixtures[tc.fixture](), TextOptions{Color: tc.color}); err != nil {
				t.Fatalf("%s: Text: %v", tc.reason, err)
			}
			file := tc.fixture + ".txt.golden"
			if tc.color {
				file = tc.fixture + ".color.golden"
			}
			golden(t, file, b.String())
		})
	}
}

func TestTextLayout(t *testing.T) {
	cases := map[string]struct {
		reason string
		check  func(line string) bool
		want   string
	}{
		"NoTrailingSpace": {reason: "lines never end in spaces", want: "no trailing space",
			check: func(l string) bool { return strings.TrimRight(l, " \t") == l }},
		"FitsEightyColumns": {reason: "fixture plans, whose values are short, fit 80 columns", want: "at most 80 columns",
			check: func(l string) bool { return len([]rune(l)) <= 80 }},
		"NoTabs": {reason: "alignment uses spaces only", want: "no tab",
			check: func(l string) bool { return !strings.Contains(l, "\t") }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for fixture, build := range fixtures {
				var b strings.Builder
				if err := Text(&b, build(), TextOptions{}); err != nil {
					t.Fatalf("%s: Text: %v", fixture, err)
				}
				for i, l := range strings.Split(b.String(), "\n") {
					if !tc.check(l) {
						t.Errorf("%s: %s line %d: want %s, got %q", tc.reason, fixture, i+1, tc.want, l)
					}
				}
			}
		})
	}
}

// planLine matches the text plan's closing summary.
var planLine = regexp.MustCompile(`(?m)^Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\.$`)

func TestTextSummaryMatchesChanges(t *testing.T) {
	cases := map[string]struct {
		reason string
		want   func(p *plan.Plan) string
	}{
		"PlanLine": {reason: "the closing line states the plan's summary",
			want: func(p *plan.Plan) string {
				return fmt.Sprintf("%d %d %d", p.Summary.Add, p.Summary.Change, p.Summary.Destroy)
			}},
		"ShownChanges": {reason: "the closing line counts the changes the text shows, a replacement once each way",
			want: func(p *plan.Plan) string {
				var b strings.Builder
				_ = Text(&b, p, TextOptions{})
				text := b.String()
				add, change := headings(text, "will be created"), headings(text, "will be updated in-place")
				replace, destroy := headings(text, "must be replaced"), headings(text, "will be destroyed")
				return fmt.Sprintf("%d %d %d", add+replace, change, destroy+replace)
			}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for fixture, build := range fixtures {
				p := build()
				var b strings.Builder
				if err := Text(&b, p, TextOptions{}); err != nil {
					t.Fatalf("%s: Text: %v", fixture, err)
				}
				got := "0 0 0"
				if m := planLine.FindStringSubmatch(b.String()); m != nil {
					got = strings.Join(m[1:], " ")
				} else if !strings.Contains(b.String(), "No changes.") {
					t.Fatalf("%s: %s: no Plan: line and no No changes.", tc.reason, fixture)
				}
				if diff := cmp.Diff(tc.want(p), got); diff != "" {
					t.Errorf("%s: %s (-want +got):\n%s", tc.reason, fixture, diff)
				}
			}
		})
	}
}

// headings counts the change headings of a text plan that end in outcome.
func headings(text, outcome string) int {
	return len(regexp.MustCompile(`(?m)^  # \S+ `+outcome+`$`).FindAllString(text, -1))
}

func TestRenderAfterPlanFileRoundTrip(t *testing.T) {
	cases := map[string]struct {
		reason string
		render func(w *strings.Builder, p *plan.Plan) error
	}{
		"Text": {reason: "a saved plan (numbers as float64, lists as []any) renders as the plan it was",
			render: func(w *strings.Builder, p *plan.Plan) error { return Text(w, p, TextOptions{}) }},
		"JSON": {reason: "a saved plan gives the same JSON",
			render: func(w *strings.Builder, p *plan.Plan) error { return JSON(w, p) }},
		"Markdown": {reason: "a saved plan gives the same comment",
			render: func(w *strings.Builder, p *plan.Plan) error { return Markdown(w, p) }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for fixture, build := range fixtures {
				data, err := json.Marshal(build())
				if err != nil {
					t.Fatalf("%s: marshal: %v", fixture, err)
				}
				var loaded plan.Plan
				if err := json.Unmarshal(data, &loaded); err != nil {
					t.Fatalf("%s: unmarshal: %v", fixture, err)
				}
				var want, got strings.Builder
				if err := tc.render(&want, build()); err != nil {
					t.Fatalf("%s: render: %v", fixture, err)
				}
				if err := tc.render(&got, &loaded); err != nil {
					t.Fatalf("%s: render loaded: %v", fixture, err)
				}
				if diff := cmp.Diff(want.String(), got.String()); diff != "" {
					t.Errorf("%s: %s (-want +got):\n%s", tc.reason, fixture, diff)
				}
			}
		})
	}
}
