package resource

import (
	"fmt"
	"sort"
)

// Reader reads typed values out of props and keeps the first problem: a
// property that is missing or of the wrong type. Read the values, then
// check Err once, the way bufio.Scanner is used:
//
//	r := resource.Read(d.Props)
//	cidr, vpc := r.String(PropCIDRBlock), r.String(PropVPCID)
//	if err := r.Err(); err != nil { ... }
type Reader struct {
	props Props
	err   error
}

// Read returns a Reader of p.
func Read(p Props) *Reader { return &Reader{props: p} }

// Err returns the first missing or mistyped property read, or nil.
func (r *Reader) Err() error { return r.err }

func (r *Reader) fail(name, want string, v any, present bool) {
	if r.err != nil {
		return
	}
	if !present {
		r.err = fmt.Errorf("property %s is missing", name)
		return
	}
	r.err = fmt.Errorf("property %s is %T, not %s", name, v, want)
}

func (r *Reader) get(name string, optional bool) (any, bool) {
	v, ok := r.props[name]
	if !ok && !optional {
		r.fail(name, "", nil, false)
	}
	return Normalize(v), ok
}

// String returns the string property name.
func (r *Reader) String(name string) string { return r.str(name, false) }

// OptString returns the string property name, "" when it is absent.
func (r *Reader) OptString(name string) string { return r.str(name, true) }

func (r *Reader) str(name string, optional bool) string {
	v, ok := r.get(name, optional)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		r.fail(name, "a string", v, true)
	}
	return s
}

// Int returns the integer property name.
func (r *Reader) Int(name string) int64 { return r.integer(name, false) }

// OptInt returns the integer property name, 0 when it is absent.
func (r *Reader) OptInt(name string) int64 { return r.integer(name, true) }

func (r *Reader) integer(name string, optional bool) int64 {
	v, ok := r.get(name, optional)
	if !ok {
		return 0
	}
	n, isInt := v.(int64)
	if !isInt {
		r.fail(name, "an integer", v, true)
	}
	return n
}

// Bool returns the boolean property name.
func (r *Reader) Bool(name string) bool { return r.boolean(name, false) }

// OptBool returns the boolean property name, false when it is absent.
func (r *Reader) OptBool(name string) bool { return r.boolean(name, true) }

func (r *Reader) boolean(name string, optional bool) bool {
	v, ok := r.get(name, optional)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		r.fail(name, "a boolean", v, true)
	}
	return b
}

// Strings returns the list property name as strings, in its order.
func (r *Reader) Strings(name string) []string { return r.list(name, false) }

// OptStrings returns the list property name as strings, nil when absent.
func (r *Reader) OptStrings(name string) []string { return r.list(name, true) }

func (r *Reader) list(name string, optional bool) []string {
	v, ok := r.props[name]
	if !ok {
		if !optional {
			r.fail(name, "", nil, false)
		}
		return nil
	}
	switch x := v.(type) {
	case []string:
		return append([]string(nil), x...)
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, isStr := e.(string)
			if !isStr {
				r.fail(name, "a list of strings", v, true)
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	r.fail(name, "a list of strings", v, true)
	return nil
}

// StringMap returns the map property name with string values.
func (r *Reader) StringMap(name string) map[string]string {
	v, ok := r.props[name]
	if !ok {
		r.fail(name, "", nil, false)
		return nil
	}
	switch x := v.(type) {
	case map[string]string:
		return x
	case map[string]any:
		out := make(map[string]string, len(x))
		for k, e := range x {
			s, isStr := e.(string)
			if !isStr {
				r.fail(name, "a map of strings", v, true)
				return nil
			}
			out[k] = s
		}
		return out
	}
	r.fail(name, "a map of strings", v, true)
	return nil
}

// List returns s as a sorted list property.
func List(s []string) []any {
	c := append([]string(nil), s...)
	sort.Strings(c)
	out := make([]any, len(c))
	for i, v := range c {
		out[i] = v
	}
	return out
}
