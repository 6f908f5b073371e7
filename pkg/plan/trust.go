package plan

import (
	"encoding/json"
	"sort"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// Underived compares a saved plan with the plan recomputed from its own
// desired resources against a fresh snapshot, and returns, sorted, the
// addresses of changes that differ in any field (action, observed id,
// diffs, what is shown to reviewers), that the saved plan has and the
// recomputed one has not, or the reverse. A plan file edited to add a
// change, point one at another resource or alter a desired value shows
// up here even when its fingerprints still match.
func Underived(saved, fresh *Plan) []string {
	want := changesByAddress(fresh)
	got := changesByAddress(saved)
	var out []string
	for a, g := range got {
		if w, ok := want[a]; !ok || w != g {
			out = append(out, a)
		}
	}
	for a := range want {
		if _, ok := got[a]; !ok {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// changesByAddress is each change's JSON form by address; a second change
// with an address already seen counts as a difference of its own.
func changesByAddress(p *Plan) map[string]string {
	out := map[string]string{}
	for _, c := range p.Changes {
		b, err := json.Marshal(c)
		if err != nil {
			b = []byte("unencodable: " + err.Error())
		}
		if _, dup := out[c.Address]; dup {
			out[c.Address] = "duplicated"
			continue
		}
		out[c.Address] = string(b)
	}
	return out
}

// Unowned returns, sorted, the addresses of the changes of p that update,
// replace or delete a resource which s does not show as the stack's own at
// that address: it must exist with the id the change names, carry the
// stack's ownership and, for kinds that are tagged, a kcstack:address tag
// equal to its address, or belong to a parent (Observation.Parent) that
// is the stack's own by the same rule. Resources the stack only
// references are never its own.
func Unowned(p *Plan, s *state.Snapshot, r resource.Registry) []string {
	fresh := observationsByChangeAddress(s)
	var out []string
	for _, c := range p.Changes {
		if c.Action != ActionUpdate && c.Action != ActionReplace && c.Action != ActionDelete {
			continue
		}
		ob, ok := fresh[c.Address]
		if !ok || !owns(ob, c, r, fresh) {
			out = append(out, c.Address)
		}
	}
	sort.Strings(out)
	return out
}

// owns reports whether ob is the stack's own resource that c acts on.
func owns(ob resource.Observation, c Change, r resource.Registry, fresh map[string]resource.Observation) bool {
	if !ob.Exists || !ob.Owned || ob.Found || ob.Kind != c.Kind || c.Observed == nil || ob.ID != c.Observed.ID {
		return false
	}
	if ob.Parent != "" {
		return ob.Parent != ob.Address && ownedAt(fresh[ob.Parent], r)
	}
	return ownedAt(ob, r)
}

// ownedAt reports whether ob exists, is the stack's and, for a tagged
// kind, carries its own address as its kcstack:address tag.
func ownedAt(ob resource.Observation, r resource.Registry) bool {
	if !ob.Exists || !ob.Owned || ob.Found || ob.Parent != "" {
		return false
	}
	if _, tagged := r[ob.Kind].(resource.Tagger); tagged {
		return ob.Tags[resource.TagAddress] == ob.Address
	}
	return true
}

// observationsByChangeAddress keys a snapshot's observations by the
// address a change of them has (duplicates have one of their own).
func observationsByChangeAddress(s *state.Snapshot) map[string]resource.Observation {
	out := map[string]resource.Observation{}
	for a, ob := range s.Observations {
		out[a] = ob
	}
	for _, ob := range s.Extra {
		out[duplicateAddress(ob)] = ob
	}
	return out
}
