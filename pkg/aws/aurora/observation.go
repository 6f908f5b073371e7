package aurora

import (
	"fmt"

	"github.com/kcstack/kcstack/pkg/resource"
)

// missing is the observation of a desired resource that does not exist.
func missing(d resource.Desired) resource.Observation {
	return resource.Observation{Address: d.Address, Kind: d.Kind}
}

// owned fills in ownership: the tags, whether they name stack, and the
// address (the desired one, or the kcstack:address tag when "").
func owned(o resource.Observation, tags map[string]string, stack, address string) resource.Observation {
	o.Tags = tags
	o.Owned = stack != "" && tags[resource.TagStack] == stack
	o.Address = address
	if address == "" {
		o.Address = tags[resource.TagAddress]
	}
	return o
}

// stackOf is the stack a desired resource belongs to, from its tags.
func stackOf(d resource.Desired) string { return d.Tags[resource.TagStack] }

// checkAdoptable accepts an existing resource found by a create only when
// it carries the desired resource's own ownership tags: then it is the
// result of an earlier, ambiguous create and is adopted, never created
// twice. Anything else is someone else's and is left alone.
func checkAdoptable(noun, id string, tags map[string]string, d resource.Desired) error {
	stack := stackOf(d)
	if stack != "" && tags[resource.TagStack] == stack && tags[resource.TagAddress] == d.Address {
		return nil
	}
	return fmt.Errorf("%s %s already exists and is not %s of stack %q (its tags: %s=%q, %s=%q): "+
		"choose another identifier in the stack file, or delete or rename the existing one",
		noun, id, d.Address, stack, resource.TagStack, tags[resource.TagStack], resource.TagAddress, tags[resource.TagAddress])
}

// stringProp reads the string prop k of d, "" when absent, failing on
// anything else (an unresolved Ref: Create and Update need resolved props).
func stringProp(d resource.Desired, k string) (string, error) {
	v, ok := d.Props[k]
	if !ok {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s: prop %s is %v, not a resolved string", d.Address, k, v)
	}
	return s, nil
}

// listProp reads a set-like prop of resolved strings.
func listProp(d resource.Desired, k string) ([]string, error) {
	v := d.Props[k]
	if hasRef(v) {
		return nil, fmt.Errorf("%s: prop %s still holds a reference (%v)", d.Address, k, v)
	}
	s, ok := stringSet(v)
	if !ok {
		return nil, fmt.Errorf("%s: prop %s is %v, not a list of strings", d.Address, k, v)
	}
	return s, nil
}

// intProp reads a number prop as int32, as the RDS API takes them.
func intProp(d resource.Desired, k string) (*int32, error) {
	v, ok := d.Props[k]
	if !ok {
		return nil, nil
	}
	n, ok := toInt64(v)
	if !ok {
		return nil, fmt.Errorf("%s: prop %s is %v, not a number", d.Address, k, v)
	}
	return ptr(int32(n)), nil
}

// boolProp reads a bool prop, nil when absent.
func boolProp(d resource.Desired, k string) (*bool, error) {
	v, ok := d.Props[k]
	if !ok {
		return nil, nil
	}
	b, ok := v.(bool)
	if !ok {
		return nil, fmt.Errorf("%s: prop %s is %v, not a bool", d.Address, k, v)
	}
	return &b, nil
}

// optional is nil for "", else a pointer to s.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
