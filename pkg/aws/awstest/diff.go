package awstest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/resource"
)

// DiffCase is one comparison of a kind's Diff: the desired and the live
// (observed) props, and the paths of the differences it must find, as
// Paths writes them.
type DiffCase struct {
	Reason        string
	Kind          resource.Kind
	Desired, Live resource.Props
	Want          []string
}

// CheckDiffs runs each case through the Diff of the handler register adds
// for its kind (over no clients: Diff does no I/O) and reports the cases
// whose paths differ from Want.
func CheckDiffs(t *testing.T, register func(*clients.Set, *clients.Clients, clients.Options), cases map[string]DiffCase) {
	t.Helper()
	s := &clients.Set{}
	register(s, &clients.Clients{}, clients.Options{Stack: "s"})
	handlers := map[resource.Kind]resource.Handler{}
	for _, h := range s.Handlers {
		handlers[h.Describe().Kind] = h
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h, ok := handlers[tc.Kind]
			if !ok {
				t.Fatalf("no handler of %s registered", tc.Kind)
			}
			got := Paths(h.Diff(resource.Desired{Props: tc.Desired}, resource.Observation{Exists: true, Props: tc.Live}))
			if diff := cmp.Diff(tc.Want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.Reason, diff)
			}
		})
	}
}

// Paths writes each diff as its path, followed by " (replace: <reason>)"
// when it forces a replacement and " (known after apply)" when its value
// is not known yet.
func Paths(diffs []resource.FieldDiff) []string {
	var out []string
	for _, d := range diffs {
		p := d.Path
		if d.ForcesReplace {
			p += " (replace: " + d.Reason + ")"
		}
		if d.KnownAfterApply {
			p += " (known after apply)"
		}
		out = append(out, p)
	}
	return out
}

// With returns a copy of p with k set to v.
func With(p resource.Props, k string, v any) resource.Props {
	out := make(resource.Props, len(p)+1)
	for key, val := range p {
		out[key] = val
	}
	out[k] = v
	return out
}

// Without returns a copy of p without k.
func Without(p resource.Props, k string) resource.Props {
	out := With(p, k, nil)
	delete(out, k)
	return out
}
