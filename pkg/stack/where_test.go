package stack

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWhere(t *testing.T) {
	const file = "../../examples/ecs-jdbc-ping.yaml"
	st := mustLoad(t, file)
	cases := map[string]struct {
		reason string
		path   string
		want   string
	}{
		"scalar":  {reason: "a scalar field is placed at its value", path: "spec.targets[0].ecs.loadBalancer.certificateArn", want: file + ":45:27"},
		"mapping": {reason: "a mapping field is placed at its key", path: "spec.targets[0].ecs.loadBalancer", want: file + ":44:9"},
		"default": {reason: "a field the file leaves out is placed at its nearest written ancestor", path: "spec.targets[0].ecs.loadBalancer.internal", want: file + ":44:9"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, st.Where(tc.path)); diff != "" {
				t.Errorf("%s: Where(%s) (-want +got):\n%s", tc.reason, tc.path, diff)
			}
		})
	}
	if got := (&Stack{}).Where("spec.region"); got != "" {
		t.Errorf("a stack built in code has no file: Where = %q, want \"\"", got)
	}
}
