package tagset

import (
	"maps"
	"slices"
)

// Merge returns a copy of tags with each tag of add applied in turn: a key
// already in the list takes the new tag in its place, a new key goes at
// the end. tags itself is not changed.
func Merge[T any](tags, add []T, key func(T) string) []T {
	merged := slices.Clone(tags)
	for _, t := range add {
		i := slices.IndexFunc(merged, func(x T) bool { return key(x) == key(t) })
		if i >= 0 {
			merged[i] = t
			continue
		}
		merged = append(merged, t)
	}
	return merged
}

// Without returns a copy of tags without the tags whose key is one of
// keys. tags itself is not changed.
func Without[T any](tags []T, keys []string, key func(T) string) []T {
	return slices.DeleteFunc(slices.Clone(tags), func(t T) bool { return slices.Contains(keys, key(t)) })
}

// List returns a copy of tags that is never nil, for the answers that list
// a resource's tags (AWS sends an empty list, not none).
func List[T any](tags []T) []T {
	out := make([]T, len(tags))
	copy(out, tags)
	return out
}

// Map returns tags as a map from key to value; kv gives a tag's key and
// value, each of which may be nil (read as "").
func Map[T any](tags []T, kv func(T) (key, value *string)) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		k, v := kv(t)
		m[deref(k)] = deref(v)
	}
	return m
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Sorted returns the entries of m ordered by key, each made by entry: the
// form of the tag and attribute lists AWS answers with. It is never nil.
func Sorted[T any](m map[string]string, entry func(key, value string) T) []T {
	out := make([]T, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, entry(k, m[k]))
	}
	return out
}

// Copy returns a copy of tags, nil when there are none (so that an answer
// leaves the list out).
func Copy[T any](tags []T) []T {
	if len(tags) == 0 {
		return nil
	}
	return slices.Clone(tags)
}
