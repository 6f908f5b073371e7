package aurora

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// hasRef reports whether v is a resource.Ref or a list holding one.
func hasRef(v any) bool {
	switch x := v.(type) {
	case resource.Ref:
		return true
	case []any:
		return slices.ContainsFunc(x, hasRef)
	}
	return false
}

// toInt64 normalizes the numbers props may hold (int64 from the stack and
// from JSON, int or int32 from hand-written values).
func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case float64:
		return int64(n), n == float64(int64(n))
	}
	return 0, false
}

// stringSet normalizes a set-like list ([]any of strings, []string) to a
// sorted list without duplicates.
func stringSet(v any) ([]string, bool) {
	var out []string
	switch x := v.(type) {
	case []string:
		out = slices.Clone(x)
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
	case nil:
	default:
		return nil, false
	}
	slices.Sort(out)
	return slices.Compact(out), true
}

// anyList returns a sorted set as the []any form props use.
func anyList(s []string) []any {
	s = slices.Clone(s)
	slices.Sort(s)
	s = slices.Compact(s)
	out := make([]any, 0, len(s))
	for _, e := range s {
		out = append(out, e)
	}
	return out
}

// sameString compares strings; identifiers compare case-insensitively, as
// RDS stores them in lower case.
func sameString(want, have any, foldCase bool) bool {
	w, ok1 := want.(string)
	h, ok2 := have.(string)
	if !ok1 || !ok2 {
		return false
	}
	if foldCase {
		return strings.EqualFold(strings.TrimSpace(w), strings.TrimSpace(h))
	}
	return strings.TrimSpace(w) == strings.TrimSpace(h)
}

// equalValues compares a desired value with an observed one after
// normalization: numbers as int64, lists as sets, strings as strings.
func equalValues(want, have any, foldCase bool) bool {
	if w, ok := toInt64(want); ok {
		h, ok := toInt64(have)
		return ok && w == h
	}
	switch w := want.(type) {
	case string:
		return sameString(w, have, foldCase)
	case bool:
		h, ok := have.(bool)
		return ok && w == h
	case []any, []string:
		ws, ok1 := stringSet(w)
		hs, ok2 := stringSet(have)
		return ok1 && ok2 && slices.Equal(ws, hs)
	}
	return fmt.Sprint(want) == fmt.Sprint(have)
}

// rdsTags converts desired tags to RDS tags, in key order.
func rdsTags(tags map[string]string) []types.Tag {
	out := make([]types.Tag, 0, len(tags))
	for _, k := range resource.SortedKeys(tags) {
		out = append(out, types.Tag{Key: ptr(k), Value: ptr(tags[k])})
	}
	return out
}

// tagMap converts RDS tags to a map.
func tagMap(tags []types.Tag) map[string]string {
	return tagged.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
