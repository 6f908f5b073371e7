package aurora

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/resource"
)

// comparison says how Diff compares one prop when plain equality of the
// normalized values is not right. Whether a difference forces a
// replacement is the kind's descriptor's Fields.
type comparison struct {
	// foldCase compares identifiers case-insensitively.
	foldCase bool
	// compare, when set, replaces the generic comparison and the Field; it
	// returns whether the values differ, whether that forces a
	// replacement and why.
	compare func(want, have any) (differs, replace bool, reason string)
}

// comparisons maps the props of a kind to how they compare; a prop
// absent compares as plain data.
type comparisons map[string]comparison

// diffProps compares the props d lists with o's, by the replace rules of
// fields and the comparisons of the kind (noun names the resource in
// replacement reasons: "DB cluster").
func diffProps(d resource.Desired, o resource.Observation, fields resource.Fields, cmps comparisons, noun string) []resource.FieldDiff {
	var out []resource.FieldDiff
	for _, k := range resource.SortedKeys(d.Props) {
		want, have := d.Props[k], o.Props[k]
		if want == nil {
			continue
		}
		fd, differs := diffField(k, want, have, fields[k], cmps[k], noun)
		if !differs {
			continue
		}
		fd.Sensitive = slices.Contains(d.Sensitive, k)
		out = append(out, fd)
	}
	return out
}

// diffField compares one prop; a Ref is "(known after apply)".
func diffField(k string, want, have any, f resource.Field, c comparison, noun string) (resource.FieldDiff, bool) {
	fd := resource.FieldDiff{Path: k, Before: have, After: normalized(want)}
	if hasRef(want) {
		fd.KnownAfterApply = true
		if f.ForcesReplace {
			fd.ForcesReplace = true
			fd.Reason = "known after apply; " + replaceReason(f, noun)
		}
		return fd, true
	}
	if c.compare != nil {
		differs, replace, reason := c.compare(want, have)
		fd.ForcesReplace, fd.Reason = replace, reason
		return fd, differs
	}
	if equalValues(want, have, c.foldCase) {
		return fd, false
	}
	if f.ForcesReplace {
		fd.ForcesReplace = true
		fd.Reason = replaceReason(f, noun)
	}
	return fd, true
}

// replaceReason is the field's reason, or a generic one naming the kind.
func replaceReason(f resource.Field, noun string) string {
	if f.Reason != "" {
		return f.Reason
	}
	return fmt.Sprintf("a %s cannot change it in place", noun)
}

// normalized returns a desired value in the observed form: int64 numbers
// and sorted lists; Refs and other values as they are.
func normalized(v any) any {
	if n, ok := toInt64(v); ok {
		return n
	}
	if hasRef(v) {
		return v
	}
	if s, ok := stringSet(v); ok && v != nil {
		return anyList(s)
	}
	return v
}

// compareEngineVersion allows a minor upgrade in place; a major change
// replaces the cluster. A desired minor older than the live one is no
// difference: RDS upgrades minor versions on its own
// (AutoMinorVersionUpgrade), so the file's version is a minimum, and
// kcstack never replaces a database to go back. An empty desired version
// or one with only a major matches any version of that major.
func compareEngineVersion(want, have any) (differs, replace bool, reason string) {
	w, _ := want.(string)
	h, _ := have.(string)
	if w == "" || w == h {
		return false, false, ""
	}
	wMajor, wMinor, wHasMinor := strings.Cut(w, ".")
	hMajor, hMinor, _ := strings.Cut(h, ".")
	switch {
	case wMajor != hMajor && versionLess(w, h):
		return true, true, fmt.Sprintf("major version downgrade %s → %s is not possible in place", hMajor, wMajor)
	case wMajor != hMajor:
		return true, true, fmt.Sprintf("major version upgrade %s → %s is not done in place by kcstack", hMajor, wMajor)
	case !wHasMinor || wMinor == hMinor || versionLess(w, h):
		return false, false, ""
	}
	return true, false, ""
}

// versionLess compares dotted versions numerically.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}
