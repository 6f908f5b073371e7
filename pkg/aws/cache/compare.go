package cache

import (
	"strings"

	"github.com/kcstack/kcstack/pkg/resource"
)

// rule says how Diff compares one prop when plain equality of the
// normalized values is not right; whether a difference forces a
// replacement stays the descriptor's Fields.
type rule int

const (
	// optional: an empty desired string matches any value (AWS chooses).
	optional rule = 1 << iota
	// foldCase: strings compare case-insensitively (ElastiCache keeps ids
	// and windows in lower case).
	foldCase
	// version: a desired "7.1" matches an observed "7.1.0".
	version
	// spaces: strings compare with runs of blanks as one.
	spaces
)

// diff compares the props d lists with o's under rules, with the kind's
// Fields (resource.DiffProps).
func diff(k resource.Described, rules map[string]rule, d resource.Desired, o resource.Observation) []resource.FieldDiff {
	want := make(resource.Props, len(d.Props))
	for p, v := range d.Props {
		want[p] = v
		w, ok1 := v.(string)
		h, ok2 := o.Props[p].(string)
		if !ok1 || !ok2 || rules[p] == 0 {
			continue
		}
		if same(rules[p], w, h) {
			want[p] = h
		}
	}
	return resource.DiffProps(want, o.Props, k.Descriptor.Fields, d.Sensitive)
}

// same reports whether the desired w and the observed h are equal under r.
func same(r rule, w, h string) bool {
	switch {
	case r&optional != 0 && w == "":
		return true
	case r&foldCase != 0 && strings.EqualFold(w, h):
		return true
	case r&version != 0 && (w == h || strings.HasPrefix(h, w+".")):
		return true
	case r&spaces != 0 && strings.Join(strings.Fields(w), " ") == strings.Join(strings.Fields(h), " "):
		return true
	}
	return false
}
