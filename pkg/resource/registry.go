package resource

import (
	"errors"
	"fmt"
	"sort"
)

// Registry maps kinds to handlers. Build it explicitly with NewRegistry,
// which checks every handler's descriptor.
type Registry map[Kind]Handler

// NewRegistry builds the registry of handlers. It fails for a descriptor
// that is incomplete, a kind registered twice, a reference to a kind no
// handler manages, or a kind whose create is not idempotent and whose
// handler cannot find what a lost create made.
func NewRegistry(handlers ...Handler) (Registry, error) {
	r := Registry{}
	var errs []error
	for _, h := range handlers {
		d := h.Describe()
		if err := d.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, canFind := h.(Finder); !d.Create.Idempotent && !canFind {
			errs = append(errs, fmt.Errorf("%s: its create is not idempotent, so its handler must find a resource by its address tag (resource.Finder)", d.Kind))
			continue
		}
		if _, dup := r[d.Kind]; dup {
			errs = append(errs, fmt.Errorf("%s: registered twice", d.Kind))
			continue
		}
		r[d.Kind] = h
	}
	for _, k := range r.Kinds() {
		d := r[k].Describe()
		for _, ref := range d.References {
			if _, ok := r[ref.Kind]; !ok {
				errs = append(errs, fmt.Errorf("%s: %s refers to %s, which no handler manages", k, ref.Prop, ref.Kind))
			}
		}
		for _, after := range d.Deletion.After {
			if _, ok := r[after]; !ok {
				errs = append(errs, fmt.Errorf("%s: deleted after %s, which no handler manages", k, after))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("resource kinds: %w", err)
	}
	return r, nil
}

// Handler returns the handler of kind k.
func (r Registry) Handler(k Kind) (Handler, error) {
	h, ok := r[k]
	if !ok {
		return nil, fmt.Errorf("no handler for resource kind %s", k)
	}
	return h, nil
}

// Descriptor returns the descriptor of kind k.
func (r Registry) Descriptor(k Kind) (Descriptor, bool) {
	h, ok := r[k]
	if !ok {
		return Descriptor{}, false
	}
	return h.Describe(), true
}

// Descriptors returns every kind's descriptor, by kind.
func (r Registry) Descriptors() map[Kind]Descriptor {
	out := make(map[Kind]Descriptor, len(r))
	for k, h := range r {
		out[k] = h.Describe()
	}
	return out
}

// Kinds returns the registered kinds in order.
func (r Registry) Kinds() []Kind {
	out := make([]Kind, 0, len(r))
	for k := range r {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// TaggingTypes returns the tagging API resource types of kinds, in order
// and without repeats.
func (r Registry) TaggingTypes(kinds ...Kind) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range kinds {
		d, ok := r.Descriptor(k)
		if !ok {
			continue
		}
		for _, t := range d.TaggingTypes {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// UnsafeCreates returns the create operations of every kind whose create
// is not idempotent: a retry of those after a lost answer could make a
// second resource.
func (r Registry) UnsafeCreates() []string {
	var out []string
	for _, k := range r.Kinds() {
		if d := r[k].Describe(); !d.Create.Idempotent {
			out = append(out, d.Create.Operations...)
		}
	}
	return out
}
