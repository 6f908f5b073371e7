package render

import (
	"strings"
	"testing"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/plantest"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Real plantest.Secret values a careless planner might leave in a plan.
const (
	leakPassword = "hunter2-leak-password"
	leakToken    = "tok-leak-abc123"
	leakTag      = "leak-tag-value"
	leakRule     = "leak-rule-value"
)

// leakyPlan marks fields Sensitive in its diffs but carries their real
// values everywhere: in the diffs, in before and after, inside a map
// (tags.token) and behind a path form the renderers cannot map precisely
// (rules[0]).
func leakyPlan() *plan.Plan {
	props := func(pw string) resource.Props {
		return resource.Props{
			"identifier":      "kc-db",
			"master_password": pw,
			"tags":            map[string]string{"Name": "kc-db", "token": leakToken},
			"rules":           []any{leakRule},
		}
	}
	diffs := []resource.FieldDiff{
		{Path: "master_password", Before: leakPassword + "-old", After: leakPassword, Sensitive: true, ForcesReplace: true},
		{Path: "tags.token", Before: leakToken, After: leakTag, Sensitive: true},
		{Path: "rules[0]", Before: leakRule, After: leakRule + "-new", Sensitive: true},
	}
	return plantest.NewPlan(
		plan.Change{Address: "database.cluster", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db",
			Action: plan.ActionReplace, Before: props(leakPassword + "-old"), After: props(leakPassword), Diffs: diffs, DataLoss: true},
		plan.Change{Address: "database.cluster-new", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db-new",
			Action: plan.ActionCreate, After: props(leakPassword), Diffs: diffs},
		plan.Change{Address: "database.cluster-old", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db-old",
			Action: plan.ActionDelete, Before: props(leakPassword), Diffs: diffs},
		plan.Change{Address: "database.cluster-same", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db-same",
			Action: plan.ActionNoOp, Before: props(leakPassword), After: props(leakPassword), Diffs: diffs},
	)
}

func TestNoSecretLeaks(t *testing.T) {
	cases := map[string]struct {
		reason string
		render func(w *strings.Builder, p *plan.Plan) error
	}{
		"Text": {reason: "the text plan hides every sensitive field",
			render: func(w *strings.Builder, p *plan.Plan) error { return Text(w, p, TextOptions{}) }},
		"TextColor": {reason: "colour changes nothing about redaction",
			render: func(w *strings.Builder, p *plan.Plan) error { return Text(w, p, TextOptions{Color: true}) }},
		"JSON": {reason: "the JSON plan hides every sensitive field",
			render: func(w *strings.Builder, p *plan.Plan) error { return JSON(w, p) }},
		"Markdown": {reason: "the pull-request comment hides every sensitive field",
			render: func(w *strings.Builder, p *plan.Plan) error { return Markdown(w, p) }},
		"Lines": {reason: "the lines the TUI shows hide every sensitive field",
			render: func(w *strings.Builder, p *plan.Plan) error {
				for _, c := range p.Changes {
					for _, l := range Lines(p, c) {
						w.WriteString(l.String() + "\n")
					}
				}
				return nil
			}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			if err := tc.render(&b, leakyPlan()); err != nil {
				t.Fatalf("render: %v", err)
			}
			for _, s := range []string{leakPassword, leakToken, leakTag, leakRule} {
				if strings.Contains(b.String(), s) {
					t.Errorf("%s: output contains the plantest.Secret %q:\n%s", tc.reason, s, b.String())
				}
			}
			if !strings.Contains(b.String(), sensitiveMarker) {
				t.Errorf("%s: output never says %q", tc.reason, sensitiveMarker)
			}
		})
	}
}

func TestRedactLeavesPlanAlone(t *testing.T) {
	p := leakyPlan()
	_ = redact(p.Changes[0])
	if got := p.Changes[0].After["master_password"]; got != leakPassword {
		t.Errorf("redact changed the caller's plan: master_password = %v", got)
	}
	if got := p.Changes[0].Diffs[0].After; got != leakPassword {
		t.Errorf("redact changed the caller's diffs: after = %v", got)
	}
}
