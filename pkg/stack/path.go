package stack

import (
	"strconv"
	"strings"
)

// plainKey reports whether key is written .key in a field path
// (letters, digits, _ and -, not starting with a digit or -); others are
// written ["key"].
func plainKey(key string) bool {
	for i := 0; i < len(key); i++ {
		c := key[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if !letter && (i == 0 || !(c >= '0' && c <= '9' || c == '-')) {
			return false
		}
	}
	return key != ""
}

// field appends an object key to a field path.
func field(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// index appends an array index to a field path.
func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// parent returns the field path one step up, "" at the top.
func parent(path string) string {
	if strings.HasSuffix(path, `"]`) {
		if i := strings.LastIndex(path, `["`); i >= 0 {
			return path[:i]
		}
	}
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndex(path, "["); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndex(path, "."); i >= 0 {
		return path[:i]
	}
	return ""
}

// within reports whether path is base or lies under it.
func within(path, base string) bool {
	if base == "" || path == base {
		return true
	}
	if !strings.HasPrefix(path, base) {
		return false
	}
	next := path[len(base)]
	return next == '.' || next == '['
}
