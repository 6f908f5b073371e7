package resource

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPropsRoundTrip(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     Props
	}{
		"scalars": {reason: "integers stay int64, strings and bools keep their types", in: Props{"port": int64(5432), "name": "kc", "encrypted": true}},
		"refs": {reason: "a Ref survives a plan file, alone and inside lists", in: Props{
			"vpc_id":  Ref{Address: "database.vpc", Attr: "id"},
			"subnets": []any{Ref{Address: "database.subnet[a]", Attr: "id"}, "subnet-1"},
		}},
		"maps": {reason: "maps of strings come back as maps", in: Props{"tags": map[string]any{"a": "b"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var got Props
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.in, got); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
