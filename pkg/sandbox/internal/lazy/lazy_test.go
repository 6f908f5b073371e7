package lazy

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type region struct{ N int }

func TestEntry(t *testing.T) {
	cases := map[string]struct {
		reason string
		m      map[string]*region
		want   map[string]*region
	}{
		"NilMap": {
			reason: "a state loaded without regions gets the map and the region",
			want:   map[string]*region{"eu-west-1": {N: 1}},
		},
		"Absent": {
			reason: "a region not seen before is created",
			m:      map[string]*region{"us-east-1": {N: 7}},
			want:   map[string]*region{"us-east-1": {N: 7}, "eu-west-1": {N: 1}},
		},
		"Present": {
			reason: "a known region is returned as it is",
			m:      map[string]*region{"eu-west-1": {N: 7}},
			want:   map[string]*region{"eu-west-1": {N: 7}},
		},
		"Null": {
			reason: "a region stored as JSON null is created afresh",
			m:      map[string]*region{"eu-west-1": nil},
			want:   map[string]*region{"eu-west-1": {N: 1}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := tc.m
			got := Entry(&m, "eu-west-1", func() *region { return &region{N: 1} })
			if diff := cmp.Diff(tc.want, m); diff != "" {
				t.Errorf("%s\nEntry(...): map -want +got:\n%s", tc.reason, diff)
			}
			if got != m["eu-west-1"] {
				t.Errorf("%s\nEntry(...) = %p, want the stored entry %p", tc.reason, got, m["eu-west-1"])
			}
		})
	}
}

func TestMap(t *testing.T) {
	var m map[string]int
	Map(&m)
	if m == nil {
		t.Fatal("Map(&nil): still nil")
	}
	m["a"] = 1
	Map(&m)
	if diff := cmp.Diff(map[string]int{"a": 1}, m); diff != "" {
		t.Errorf("Map(&m) on a filled map: -want +got:\n%s", diff)
	}
}

type maps struct {
	A      map[string]int
	B      map[string]map[string]int
	N      int
	hidden map[string]int
}

func TestMaps(t *testing.T) {
	v := maps{B: map[string]map[string]int{"k": nil}}
	Maps(&v)
	want := maps{A: map[string]int{}, B: map[string]map[string]int{"k": nil}}
	if diff := cmp.Diff(want, v, cmp.AllowUnexported(maps{})); diff != "" {
		t.Errorf("Maps(&v): -want +got:\n%s", diff)
	}
}

func TestRegion(t *testing.T) {
	var m map[string]*maps
	r := Region(&m, "eu-west-1")
	if r != m["eu-west-1"] || r.A == nil || r.B == nil {
		t.Errorf("Region(&nil, eu-west-1) = %+v, want a stored region with its maps made", r)
	}
	if again := Region(&m, "eu-west-1"); again != r {
		t.Errorf("Region twice: %p then %p, want the same region", r, again)
	}
}

func TestRegionalJSON(t *testing.T) {
	type state struct{ Regional[maps] }
	s := state{NewRegional[maps]()}
	s.Region("eu-west-1").N = 3
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	want := `{"regions":{"eu-west-1":{"A":{},"B":{},"N":3}}}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("a state embedding Regional keeps its regions under \"regions\": -want +got:\n%s", diff)
	}
}
