package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEffectiveByComponent(t *testing.T) {
	change := func(addr, component string, a Action) Change {
		return Change{Address: addr, Component: component, Action: a}
	}
	cases := map[string]struct {
		reason  string
		changes []Change
		want    []Group
	}{
		"NoOpsLeftOut": {
			reason:  "only the changes that do something are grouped",
			changes: []Change{change("a.x", "a", ActionNoOp), change("a.y", "a", ActionUpdate)},
			want:    []Group{{Component: "a", Changes: []Change{change("a.y", "a", ActionUpdate)}}},
		},
		"FirstAppearanceOrder": {
			reason: "components come in the order they first appear, each change in plan order",
			changes: []Change{
				change("b.x", "b", ActionCreate), change("a.x", "a", ActionDelete), change("b.y", "b", ActionReplace),
			},
			want: []Group{
				{Component: "b", Changes: []Change{change("b.x", "b", ActionCreate), change("b.y", "b", ActionReplace)}},
				{Component: "a", Changes: []Change{change("a.x", "a", ActionDelete)}},
			},
		},
		"Other": {
			reason:  "a change without a component goes under other",
			changes: []Change{change("x", "", ActionCreate)},
			want:    []Group{{Component: "other", Changes: []Change{change("x", "", ActionCreate)}}},
		},
		"Nothing": {
			reason:  "a plan of no-ops has no groups",
			changes: []Change{change("a.x", "a", ActionNoOp)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := &Plan{Changes: tc.changes}
			if diff := cmp.Diff(tc.want, ByComponent(p.Effective())); diff != "" {
				t.Errorf("%s\nByComponent(Effective()): -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
