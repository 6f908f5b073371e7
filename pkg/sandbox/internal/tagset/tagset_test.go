package tagset

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type tag struct{ K, V string }

func key(t tag) string { return t.K }

func TestEdits(t *testing.T) {
	merge := func(add ...tag) func([]tag) []tag {
		return func(tags []tag) []tag { return Merge(tags, add, key) }
	}
	without := func(keys ...string) func([]tag) []tag {
		return func(tags []tag) []tag { return Without(tags, keys, key) }
	}
	cases := map[string]struct {
		reason string
		tags   []tag
		edit   func([]tag) []tag
		want   []tag
	}{
		"MergeEmpty": {
			reason: "adding nothing to nothing gives nothing",
			edit:   merge(),
		},
		"MergeNewKeysAppend": {
			reason: "new keys go at the end in the order given",
			tags:   []tag{{"a", "1"}},
			edit:   merge(tag{"c", "3"}, tag{"b", "2"}),
			want:   []tag{{"a", "1"}, {"c", "3"}, {"b", "2"}},
		},
		"MergeKnownKeyInPlace": {
			reason: "a known key takes the new value where it stands",
			tags:   []tag{{"a", "1"}, {"b", "2"}},
			edit:   merge(tag{"a", "9"}),
			want:   []tag{{"a", "9"}, {"b", "2"}},
		},
		"MergeRepeatedKeyLastWins": {
			reason: "a key given twice ends with its last value, once",
			edit:   merge(tag{"a", "1"}, tag{"a", "2"}),
			want:   []tag{{"a", "2"}},
		},
		"WithoutSome": {
			reason: "the named keys go, the others keep their order",
			tags:   []tag{{"a", "1"}, {"b", "2"}, {"c", "3"}},
			edit:   without("a", "c", "z"),
			want:   []tag{{"b", "2"}},
		},
		"WithoutNone": {
			reason: "no keys leaves the list as it is",
			tags:   []tag{{"a", "1"}},
			edit:   without(),
			want:   []tag{{"a", "1"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := append([]tag(nil), tc.tags...)
			got := tc.edit(tc.tags)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nedit: -want +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(before, tc.tags); diff != "" {
				t.Errorf("%s\nedit changed its input: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestList(t *testing.T) {
	got := List[tag](nil)
	if got == nil || len(got) != 0 {
		t.Errorf("List(nil) = %#v, want an empty, non-nil list", got)
	}
	in := []tag{{"a", "1"}}
	got = List(in)
	got[0].V = "2"
	if diff := cmp.Diff([]tag{{"a", "1"}}, in); diff != "" {
		t.Errorf("List(...) shares its input: -want +got:\n%s", diff)
	}
}

func TestMap(t *testing.T) {
	type ptrTag struct{ K, V *string }
	k, v := "kcstack:stack", "dev"
	tags := []ptrTag{{K: &k, V: &v}, {K: &v}}
	got := Map(tags, func(t ptrTag) (*string, *string) { return t.K, t.V })
	if diff := cmp.Diff(map[string]string{"kcstack:stack": "dev", "dev": ""}, got); diff != "" {
		t.Errorf("Map(...): -want +got:\n%s", diff)
	}
}

func TestSorted(t *testing.T) {
	cases := map[string]struct {
		reason string
		m      map[string]string
		want   []tag
	}{
		"ByKey": {
			reason: "entries come ordered by key, whatever the map's order",
			m:      map[string]string{"b": "2", "a": "1", "c": "3"},
			want:   []tag{{"a", "1"}, {"b", "2"}, {"c", "3"}},
		},
		"Empty": {
			reason: "an empty map gives an empty list, not nil",
			want:   []tag{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Sorted(tc.m, func(k, v string) tag { return tag{k, v} })
			if got == nil {
				t.Fatalf("%s\nSorted(...) = nil", tc.reason)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nSorted(...): -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestCopy(t *testing.T) {
	cases := map[string]struct {
		reason string
		tags   []tag
		want   []tag
	}{
		"Some":  {reason: "the tags are copied in order", tags: []tag{{"b", "2"}, {"a", "1"}}, want: []tag{{"b", "2"}, {"a", "1"}}},
		"Empty": {reason: "an empty list becomes nil, left out of answers", tags: []tag{}},
		"Nil":   {reason: "nil stays nil"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Copy(tc.tags)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nCopy(...): -want +got:\n%s", tc.reason, diff)
			}
			if tc.want == nil && got != nil {
				t.Errorf("%s\nCopy(...) = %#v, want nil", tc.reason, got)
			}
			if len(got) > 0 && &got[0] == &tc.tags[0] {
				t.Errorf("%s\nCopy(...) shares the input's array", tc.reason)
			}
		})
	}
}
