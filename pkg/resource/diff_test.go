package resource

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiffProps(t *testing.T) {
	fields := Fields{"cidr_block": {ForcesReplace: true, Reason: "a VPC's CIDR block cannot change"}}
	cases := map[string]struct {
		reason   string
		desired  Props
		observed Props
		want     []FieldDiff
	}{
		"equal after normalization": {
			reason:   "int32 from the SDK equals int64 from the file; set order does not matter; extra observed props are ignored",
			desired:  Props{"port": int64(5432), "ids": []any{"b", "a"}},
			observed: Props{"port": int32(5432), "ids": []string{"a", "b"}, "arn": "x"},
		},
		"in place": {
			reason:   "a prop without a rule changes in place",
			desired:  Props{"class": "db.r7g.xlarge"},
			observed: Props{"class": "db.r7g.large"},
			want:     []FieldDiff{{Path: "class", Before: "db.r7g.large", After: "db.r7g.xlarge"}},
		},
		"replacement": {
			reason:   "a rule with ForcesReplace names why",
			desired:  Props{"cidr_block": "10.1.0.0/16"},
			observed: Props{"cidr_block": "10.0.0.0/16"},
			want:     []FieldDiff{{Path: "cidr_block", Before: "10.0.0.0/16", After: "10.1.0.0/16", ForcesReplace: true, Reason: "a VPC's CIDR block cannot change"}},
		},
		"missing": {
			reason:   "a prop AWS does not report differs, even an empty list",
			desired:  Props{"policies": []any{}, "name": "x"},
			observed: Props{"name": "x"},
			want:     []FieldDiff{{Path: "policies", After: []any{}}},
		},
		"type": {
			reason:   "values of different types differ",
			desired:  Props{"port": "5432"},
			observed: Props{"port": int64(5432)},
			want:     []FieldDiff{{Path: "port", Before: int64(5432), After: "5432"}},
		},
		"nested": {
			reason:   "a change inside a map or a list is a change of the prop that holds it",
			desired:  Props{"env": map[string]any{"a": "1", "b": "2"}, "ids": []any{"a", "c"}},
			observed: Props{"env": map[string]any{"a": "1", "b": "3"}, "ids": []any{"a", "b", "c"}},
			want: []FieldDiff{
				{Path: "env", Before: map[string]any{"a": "1", "b": "3"}, After: map[string]any{"a": "1", "b": "2"}},
				{Path: "ids", Before: []any{"a", "b", "c"}, After: []any{"a", "c"}},
			},
		},
		"unknown": {
			reason:   "a Ref is known only after apply and always differs",
			desired:  Props{"vpc_id": Ref{Address: "database.vpc", Attr: "id"}},
			observed: Props{"vpc_id": "vpc-1"},
			want:     []FieldDiff{{Path: "vpc_id", Before: "vpc-1", After: Ref{Address: "database.vpc", Attr: "id"}, KnownAfterApply: true}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := DiffProps(tc.desired, tc.observed, fields, nil)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	attrs := map[Ref]string{{Address: "a", Attr: "id"}: "vpc-1"}
	got := Resolve(Props{"x": Ref{Address: "a", Attr: "id"}, "l": []any{Ref{Address: "b", Attr: "id"}, Ref{Address: "a", Attr: "id"}}}, func(r Ref) (string, bool) {
		s, ok := attrs[r]
		return s, ok
	})
	want := Props{"x": "vpc-1", "l": []any{Ref{Address: "b", Attr: "id"}, "vpc-1"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resolved props -want +got:\n%s", diff)
	}
}
