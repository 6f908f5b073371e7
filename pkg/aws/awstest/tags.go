package awstest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Tagged returns ds tagged for stack: every resource with the stack and
// its address, and those ours selects also with team=identity, env=dev
// (the tags Retag changes). ds itself is changed.
func Tagged(ds []resource.Desired, stack string, ours func(resource.Desired) bool) []resource.Desired {
	for i := range ds {
		ds[i].Tags = map[string]string{resource.TagStack: stack, resource.TagAddress: ds[i].Address}
		if ours(ds[i]) {
			ds[i].Tags["team"], ds[i].Tags["env"] = "identity", "dev"
		}
	}
	return ds
}

// OfKinds returns the function that reports whether a desired resource
// is of one of kinds: a package's own kinds among a stack's.
func OfKinds(kinds ...resource.Kind) func(resource.Desired) bool {
	return func(d resource.Desired) bool { return slices.Contains(kinds, d.Kind) }
}

// Retag returns ds with the tags of the resources ours selects changed
// from team=identity, env=dev: cost-center added, team changed, env
// removed. RetagDiffs are the diffs a plan then shows for each of them.
func Retag(ds []resource.Desired, ours func(resource.Desired) bool) []resource.Desired {
	out := make([]resource.Desired, len(ds))
	for i, d := range ds {
		out[i] = d
		if ours(d) {
			out[i].Tags = resource.WithTags(d.Tags, map[string]string{"cost-center": "42", "team": "platform"}, []string{"env"})
		}
	}
	return out
}

// RetagDiffs are the diffs Retag plans for each resource it changes.
var RetagDiffs = []resource.FieldDiff{
	{Path: "tags.cost-center", After: "42"},
	{Path: "tags.env", Before: "dev"},
	{Path: "tags.team", Before: "identity", After: "platform"},
}

// CheckUpdates fails the test unless p changes exactly the resources of
// want, each with an update of exactly its diffs (in any order).
func CheckUpdates(t *testing.T, p *plan.Plan, want map[string][]resource.FieldDiff) {
	t.Helper()
	type update struct {
		Action plan.Action
		Diffs  []resource.FieldDiff
	}
	got, wantUpdates := map[string]update{}, map[string]update{}
	for _, c := range p.Changes {
		if c.Action != plan.ActionNoOp {
			got[c.Address] = update{Action: c.Action, Diffs: c.Diffs}
		}
	}
	for addr, diffs := range want {
		wantUpdates[addr] = update{Action: plan.ActionUpdate, Diffs: diffs}
	}
	byPath := cmpopts.SortSlices(func(a, b resource.FieldDiff) bool { return a.Path < b.Path })
	if diff := cmp.Diff(wantUpdates, got, byPath); diff != "" {
		t.Fatalf("plan (-want +got):\n%s", diff)
	}
}

// ApplyRetag plans retag (made by Retag with ours), checks that it updates
// exactly ours' resources with RetagDiffs, applies it, and returns the
// next plan, checked empty.
func ApplyRetag(t *testing.T, c *Cycle, retag []resource.Desired, ours func(resource.Desired) bool) *plan.Plan {
	t.Helper()
	want := map[string][]resource.FieldDiff{}
	for _, d := range retag {
		if ours(d) {
			want[d.Address] = RetagDiffs
		}
	}
	p := c.Plan(retag, false)
	CheckUpdates(t, p, want)
	c.Apply(p)
	p = c.Plan(retag, false)
	CheckUpdates(t, p, nil)
	return p
}
