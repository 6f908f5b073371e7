package ec2

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// fields maps a filter name to the values a resource has for it. A
// resource matches a filter when any of its values matches any of the
// filter's values.
type fields[T any] map[string]func(T) []string

// filterSet is how one kind of resource is filtered: its named fields and,
// for taggable kinds, its tags (tag:<key>, tag-key, tag-value).
type filterSet[T any] struct {
	fields fields[T]
	tags   func(T) map[string]string
}

// withOwner returns a copy of fs that also knows the owner-id filter,
// which every owned EC2 resource supports.
func (fs filterSet[T]) withOwner(account string) filterSet[T] {
	f := make(fields[T], len(fs.fields)+1)
	for k, v := range fs.fields {
		f[k] = v
	}
	f["owner-id"] = func(T) []string { return one(account) }
	return filterSet[T]{fields: f, tags: fs.tags}
}

// apply returns the items that match every filter, or InvalidParameterValue
// naming the first filter the kind does not know.
func (fs filterSet[T]) apply(items []T, filters []types.Filter) ([]T, error) {
	preds := make([]func(T) []string, len(filters))
	for i, f := range filters {
		get, err := fs.field(aws.ToString(f.Name))
		if err != nil {
			return nil, err
		}
		preds[i] = get
	}
	out := items[:0:0]
	for _, it := range items {
		if fs.matches(it, filters, preds) {
			out = append(out, it)
		}
	}
	return out, nil
}

// matches reports whether it matches every filter (filters AND, values OR).
func (fs filterSet[T]) matches(it T, filters []types.Filter, preds []func(T) []string) bool {
	for i, f := range filters {
		if !anyMatch(f.Values, preds[i](it)) {
			return false
		}
	}
	return true
}

// field returns the value extractor for a filter name.
func (fs filterSet[T]) field(n string) (func(T) []string, error) {
	if get, ok := fs.fields[n]; ok {
		return get, nil
	}
	if fs.tags != nil {
		switch {
		case strings.HasPrefix(n, "tag:") && len(n) > len("tag:"):
			key := n[len("tag:"):]
			return func(t T) []string {
				v, ok := fs.tags(t)[key]
				if !ok {
					return nil
				}
				return []string{v}
			}, nil
		case n == "tag-key":
			return func(t T) []string { return sortedKeys(fs.tags(t)) }, nil
		case n == "tag-value":
			return func(t T) []string { return tagValues(fs.tags(t)) }, nil
		}
	}
	return nil, api.Errorf("InvalidParameterValue", "The filter '%s' is invalid", n)
}

// anyMatch reports whether any value matches any pattern.
func anyMatch(patterns, values []string) bool {
	for _, p := range patterns {
		for _, v := range values {
			if wildcard(p, v) {
				return true
			}
		}
	}
	return false
}

// wildcard matches s against an EC2 filter pattern: * is any run of
// characters, ? any one character, and a backslash escapes the next one.
func wildcard(pattern, s string) bool {
	p, str := []rune(pattern), []rune(s)
	// Iterative matcher with single-star backtracking.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(str) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == '\\' && pi+1 < len(p) && p[pi+1] == str[si]:
			pi += 2
			si++
		case pi < len(p) && p[pi] != '\\' && (p[pi] == '?' || p[pi] == str[si]):
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// one wraps a single string value for a field extractor.
func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// boolValue is EC2's spelling of a boolean filter value.
func boolValue(b bool) []string {
	if b {
		return []string{"true"}
	}
	return []string{"false"}
}
