package render

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/resource"
)

// Markers the planner puts in place of values a plan cannot show. They are
// printed bare, never quoted.
const (
	sensitiveMarker = "(sensitive value)"
	unknownMarker   = "(known after apply)"
)

// isMarker reports whether v is one of the placeholder markers.
func isMarker(v any) bool {
	s, ok := v.(string)
	return ok && (s == sensitiveMarker || s == unknownMarker)
}

// asList returns v as a list when it is a slice or array of any type.
func asList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, true
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || (rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array) || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// asMap returns v as a map when it is a map with string keys.
func asMap(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case map[string]any:
		return x, true
	case resource.Props:
		return x, true
	case map[string]string:
		out := make(map[string]any, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out, true
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	for _, k := range rv.MapKeys() {
		out[k.String()] = rv.MapIndex(k).Interface()
	}
	return out, true
}

// isBlock reports whether v renders over several lines (a non-empty list
// or map).
func isBlock(v any) bool {
	if l, ok := asList(v); ok {
		return len(l) > 0
	}
	if m, ok := asMap(v); ok {
		return len(m) > 0
	}
	return false
}

// scalar formats a value that is not a list or map: strings quoted,
// markers bare, numbers without exponent, nil as null.
func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if isMarker(x) {
			return x
		}
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case json.Number:
		return x.String()
	case resource.Ref:
		// A plan resolves references; one left over is still unknown.
		return unknownMarker
	}
	return fmt.Sprint(v)
}

// inline formats any value on one line: lists as ["a", "b"] and maps as
// { "k" = "v" } with sorted keys.
func inline(v any) string {
	if l, ok := asList(v); ok {
		parts := make([]string, len(l))
		for i, e := range l {
			parts[i] = inline(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if m, ok := asMap(v); ok {
		if len(m) == 0 {
			return "{}"
		}
		parts := make([]string, 0, len(m))
		for _, k := range sortedKeys(m) {
			parts = append(parts, strconv.Quote(k)+" = "+inline(m[k]))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return scalar(v)
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// pad right-pads s with spaces to width runes.
func pad(s string, width int) string {
	n := len([]rune(s))
	if n >= width {
		return s
	}
	return s + strings.Repeat(" ", width-n)
}

// widest returns the rune length of the longest of names.
func widest(names []string) int {
	w := 0
	for _, n := range names {
		w = max(w, len([]rune(n)))
	}
	return w
}
