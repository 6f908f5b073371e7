package ownership

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

func TestAddress(t *testing.T) {
	q := resource.Query{Stack: "s", Desired: []resource.Desired{
		{Address: "targets.a.cluster", Kind: resource.KindECSCluster, Props: resource.Props{"name": "s-a"}},
	}}
	type result struct {
		Address string
		OK      bool
	}
	cases := map[string]struct {
		reason string
		name   string
		tags   map[string]string
		want   result
	}{
		"owned": {"the address tag places an owned resource, desired or not", "s-old",
			map[string]string{resource.TagStack: "s", resource.TagAddress: "targets.old.cluster"}, result{"targets.old.cluster", true}},
		"look-alike": {"an untagged resource at a desired name is reported there (the plan refuses to take it over)", "s-a",
			nil, result{"targets.a.cluster", true}},
		"other stack": {"another stack's resource at a desired name is a look-alike too, never placed by its own address tag", "s-a",
			map[string]string{resource.TagStack: "t", resource.TagAddress: "targets.a.cluster"}, result{"targets.a.cluster", true}},
		"unrelated": {"anything else is not the stack's business", "x",
			map[string]string{resource.TagStack: "t", resource.TagAddress: "targets.x.cluster"}, result{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			addr, ok := Address(q, resource.KindECSCluster, "name", tc.name, tc.tags)
			if diff := cmp.Diff(tc.want, result{addr, ok}); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
