package resource

import (
	"fmt"
	"reflect"
	"slices"
	"sort"

	r3diff "github.com/r3labs/diff/v3"
)

// Field says how a prop is compared and what a change to it means.
type Field struct {
	// ForcesReplace is set when AWS cannot change the prop in place.
	ForcesReplace bool
	// Reason explains a replacement ("a VPC's CIDR block cannot change").
	Reason string
}

// Fields maps prop names to their comparison rules; a prop absent from
// Fields is compared and updated in place.
type Fields map[string]Field

// DiffProps compares the props a desired resource lists with an
// observation's, after normalizing both (numbers to int64, lists as sorted
// sets when set-like), and returns the differences in prop-name order. A
// Ref still in desired means the value is known only after apply.
// Props the observation lacks are differences; props only observed are
// not (AWS fills in defaults kcstack does not manage). The comparison is
// github.com/r3labs/diff's; a prop differs when its changelog names it.
func DiffProps(desired, observed Props, fields Fields, sensitive []string) []FieldDiff {
	want, have := map[string]any{}, map[string]any{}
	for k, v := range desired {
		want[k] = Normalize(v)
		if o, ok := observed[k]; ok {
			have[k] = Normalize(o)
		}
	}
	changed := changedProps(have, want)
	var diffs []FieldDiff
	for _, k := range SortedKeys(want) {
		unknown := HasRef(want[k])
		if !unknown && !changed[k] {
			continue
		}
		diffs = append(diffs, fieldDiff(k, have[k], want[k], unknown, fields[k], sensitive))
	}
	return diffs
}

// changedProps returns the top-level props the library's changelog from
// have to want names. Values of different types differ; lists compare in
// order (Normalize sorted them).
func changedProps(have, want map[string]any) map[string]bool {
	changes, err := r3diff.Diff(have, want, r3diff.AllowTypeMismatch(true), r3diff.SliceOrdering(true))
	out := map[string]bool{}
	if err != nil {
		// A value the library cannot compare (a Ref): fall back to equality.
		for k := range want {
			out[k] = !reflect.DeepEqual(have[k], want[k])
		}
		return out
	}
	for _, c := range changes {
		if len(c.Path) > 0 {
			out[c.Path[0]] = true
		}
	}
	for k, v := range want {
		if _, ok := have[k]; !ok && v != nil {
			out[k] = true
		}
	}
	return out
}

func fieldDiff(k string, have, want any, unknown bool, f Field, sensitive []string) FieldDiff {
	d := FieldDiff{Path: k, Before: have, After: want, ForcesReplace: f.ForcesReplace, KnownAfterApply: unknown}
	if f.ForcesReplace {
		d.Reason = f.Reason
		if d.Reason == "" {
			d.Reason = k + " cannot be changed in place"
		}
	}
	d.Sensitive = slices.Contains(sensitive, k)
	return d
}

// Normalize returns v in the canonical form props are compared in:
// integers as int64, lists as []any sorted by their printed form,
// map[string]string as map[string]any.
func Normalize(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int32:
		return int64(x)
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return sortList(out)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Normalize(e)
		}
		return sortList(out)
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out
	}
	return v
}

func sortList(l []any) []any {
	sort.SliceStable(l, func(i, j int) bool { return fmt.Sprint(l[i]) < fmt.Sprint(l[j]) })
	return l
}

// HasRef reports whether v is or contains an unresolved Ref.
func HasRef(v any) bool {
	switch x := v.(type) {
	case Ref:
		return true
	case []any:
		for _, e := range x {
			if HasRef(e) {
				return true
			}
		}
	}
	return false
}

// Resolve replaces every Ref in props whose target is observed with the
// target's attribute. Refs to resources not yet existing stay in place.
func Resolve(p Props, attr func(Ref) (string, bool)) Props {
	out := make(Props, len(p))
	for k, v := range p {
		out[k] = resolveValue(v, attr)
	}
	return out
}

func resolveValue(v any, attr func(Ref) (string, bool)) any {
	switch x := v.(type) {
	case Ref:
		if s, ok := attr(x); ok {
			return s
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolveValue(e, attr)
		}
		return out
	}
	return v
}
