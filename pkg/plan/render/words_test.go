package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/plantest"
	"github.com/kcstack/kcstack/pkg/resource"
)

func TestWords(t *testing.T) {
	cases := map[string]struct {
		reason string
		action plan.Action
		want   []string // symbol, verb, outcome
	}{
		"Create":  {reason: "creates are +", action: plan.ActionCreate, want: []string{"+", "create", "will be created"}},
		"Update":  {reason: "updates are ~", action: plan.ActionUpdate, want: []string{"~", "update in-place", "will be updated in-place"}},
		"Replace": {reason: "replacements are -/+", action: plan.ActionReplace, want: []string{"-/+", "destroy and then create replacement", "must be replaced"}},
		"Delete":  {reason: "deletes are -", action: plan.ActionDelete, want: []string{"-", "destroy", "will be destroyed"}},
		"NoOp":    {reason: "no-ops have no symbol", action: plan.ActionNoOp, want: []string{"", "no change", "has no changes"}},
		"Unknown": {reason: "an plantest.Unknown action is shown as no change rather than guessed", action: "read", want: []string{"", "no change", "has no changes"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := []string{Symbol(tc.action), Verb(tc.action), Outcome(tc.action)}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestSummaryLine(t *testing.T) {
	cases := map[string]struct {
		reason string
		plan   *plan.Plan
		want   string
	}{
		"Changes":   {reason: "counts in Terraform's words", plan: plantest.Replace(), want: "Plan: 2 to add, 0 to change, 3 to destroy."},
		"NoChanges": {reason: "no-ops only is No changes", plan: plantest.NoChanges(), want: "No changes. Your infrastructure matches the configuration."},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, SummaryLine(tc.plan)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestReasons(t *testing.T) {
	destroy := destroyPlan()
	cases := map[string]struct {
		reason string
		plan   *plan.Plan
		change plan.Change
		want   []string
	}{
		"ReplaceWithReasons": {reason: "forcing diffs give the field and the reason; ReplaceReasons naming them add nothing",
			plan: plantest.Replace(), change: plantest.Replace().Changes[0],
			want: []string{"identifier: RDS cannot rename a cluster kcstack tracks by identifier",
				"engine_version: Aurora cannot change the engine major version in place"}},
		"ReplaceWithoutReasons": {reason: "a forcing diff without a reason still names its field",
			plan: plantest.Replace(), change: plantest.Replace().Changes[1],
			want: []string{"cluster_identifier forces replacement", "identifier forces replacement"}},
		"ReplaceReasonOnly": {reason: "a reason not tied to a diff is kept",
			plan: plantest.NewPlan(), change: plan.Change{Action: plan.ActionReplace, ReplaceReasons: []string{"the subnet group moved"}},
			want: []string{"the subnet group moved"}},
		"DeleteNotInFile": {reason: "a delete outside a destroy plan is a resource gone from the file",
			plan: plantest.Replace(), change: plantest.Replace().Changes[2],
			want: []string{`it is tagged for stack "prod" but is no longer in the stack file`}},
		"DeleteOnOwnedParent": {reason: "a delete of a rule the file does not name, on a group the stack owns, says so",
			plan: plantest.Replace(), change: plan.Change{Action: plan.ActionDelete, Observed: &resource.Observation{Parent: "targets.a.task-security-group"}},
			want: []string{`it is on targets.a.task-security-group, which stack "prod" owns, and the stack file does not name it`}},
		"DeleteDestroy": {reason: "a destroy plan deletes everything",
			plan: destroy, change: destroy.Changes[0],
			want: []string{"the plan destroys everything the stack owns"}},
		"Update": {reason: "updates need no reason", plan: plantest.Update(), change: plantest.Update().Changes[0]},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Reasons(tc.plan, tc.change)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestLinesForTUI(t *testing.T) {
	c := plantest.Update().Changes[1]
	got := []string{}
	kinds := []LineKind{}
	for _, l := range Lines(plantest.Update(), c) {
		got = append(got, l.String())
		kinds = append(kinds, l.Kind)
	}
	want := []string{
		"  # database.instance[0] will be updated in-place",
		`  ~ resource "rds:db" "kc-db-1" {`,
		`      ~ instance_class = "db.r6g.large" -> "db.r6g.xlarge"`,
		"        # (3 unchanged attributes hidden)",
		"    }",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lines of an update (-want +got):\n%s", diff)
	}
	wantKinds := []LineKind{LineHeading, LineResource, LineAttribute, LineAttribute, LineResource}
	if diff := cmp.Diff(wantKinds, kinds); diff != "" {
		t.Errorf("kinds of the lines, for styling (-want +got):\n%s", diff)
	}
}

func TestReasonsNotRepeated(t *testing.T) {
	c := plan.Change{Action: plan.ActionReplace,
		Diffs:          []resource.FieldDiff{{Path: "cidr_ipv4", ForcesReplace: true, Reason: "kcstack replaces a rule instead of editing it"}},
		ReplaceReasons: []string{"cidr_ipv4: kcstack replaces a rule instead of editing it"}}
	want := []string{"cidr_ipv4: kcstack replaces a rule instead of editing it"}
	if diff := cmp.Diff(want, Reasons(plantest.NewPlan(), c)); diff != "" {
		t.Errorf("a reason the planner also lists must show once: -want +got:\n%s", diff)
	}
}
