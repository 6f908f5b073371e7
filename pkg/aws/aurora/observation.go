package aurora

import (
	"fmt"
	"slices"

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

// optInt32 reads the integer prop k of p with r as the int32 the RDS API
// takes, nil when p lacks it (RDS then applies its default).
func optInt32(r *resource.Reader, p resource.Props, k string) *int32 {
	if _, ok := p[k]; !ok {
		return nil
	}
	return ptr(int32(r.Int(k)))
}

// optBool reads the boolean prop k of p with r, nil when p lacks it.
func optBool(r *resource.Reader, p resource.Props, k string) *bool {
	if _, ok := p[k]; !ok {
		return nil
	}
	return ptr(r.Bool(k))
}

// set returns s sorted and without duplicates, nil for nil.
func set(s []string) []string {
	if s == nil {
		return nil
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// optional is nil for "", else a pointer to s.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
