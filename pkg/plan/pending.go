package plan

import (
	"fmt"

	"github.com/kcstack/kcstack/pkg/resource"
)

// pending is what the changes planned so far leave known only after apply:
// every attribute of what is created or replaced, and the attributes an
// update gives new values (resource.Descriptor.UpdatedAttrs).
type pending struct {
	replaced map[string]bool
	created  map[string]bool
	updated  map[string]map[string]bool
}

func newPending() *pending {
	return &pending{replaced: map[string]bool{}, created: map[string]bool{}, updated: map[string]map[string]bool{}}
}

// record notes what c leaves unknown. An update of tags alone leaves
// every attribute as it is.
func (p *pending) record(c Change, r resource.Registry) {
	switch c.Action {
	case ActionCreate:
		p.created[c.Address] = true
	case ActionReplace:
		p.replaced[c.Address] = true
	case ActionUpdate:
		if fields, _, _ := resource.SplitTagDiffs(c.Diffs); len(fields) == 0 {
			return // tags change nothing else
		}
		d, _ := r.Descriptor(c.Kind)
		for _, a := range d.UpdatedAttrs {
			if p.updated[c.Address] == nil {
				p.updated[c.Address] = map[string]bool{}
			}
			p.updated[c.Address][a] = true
		}
	}
}

// unknown reports whether the value ref names is known only after apply.
func (p *pending) unknown(ref resource.Ref) bool {
	return p.created[ref.Address] || p.replaced[ref.Address] || p.updated[ref.Address][ref.Attr]
}

// followReplacements makes a reference to a replaced resource force the
// replacement of the resource that makes it, unless the kind's descriptor
// says the reference follows in place: the old resource cannot be
// deleted while it is referred to, and the reference cannot move to its
// replacement in place. Applied in dependency order, replacements follow
// references transitively.
func followReplacements(desc resource.Descriptor, d resource.Desired, ob resource.Observation, diffs []resource.FieldDiff, pend *pending) []resource.FieldDiff {
	for _, ref := range desc.References {
		if ref.InPlace {
			continue
		}
		for _, prop := range ref.In(d.Props) {
			target := replacedTarget(d.Props[prop], pend)
			if target == "" {
				continue
			}
			i := diffAt(diffs, prop)
			if i < 0 {
				diffs = append(diffs, resource.FieldDiff{Path: prop, Before: resource.Normalize(ob.Props[prop]), After: d.Props[prop], KnownAfterApply: true})
				i = len(diffs) - 1
			}
			diffs[i].ForcesReplace = true
			diffs[i].Reason = fmt.Sprintf("it refers to %s, which is replaced", target)
		}
	}
	return diffs
}

// replacedTarget returns the replaced address a reference value (a Ref,
// or a list holding Refs) names, or "".
func replacedTarget(v any, pend *pending) string {
	switch x := v.(type) {
	case resource.Ref:
		if pend.replaced[x.Address] {
			return x.Address
		}
	case []any:
		for _, e := range x {
			if t := replacedTarget(e, pend); t != "" {
				return t
			}
		}
	}
	return ""
}

func diffAt(diffs []resource.FieldDiff, path string) int {
	for i, d := range diffs {
		if d.Path == path {
			return i
		}
	}
	return -1
}
