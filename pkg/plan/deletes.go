package plan

import (
	"fmt"
	"slices"
	"sort"

	"github.com/kcstack/kcstack/pkg/graph"
	"github.com/kcstack/kcstack/pkg/resource"
)

// deletions plans the removal of every owned resource not desired, and
// orders every delete, including the delete half of the replacements
// among changes. The order comes from the kind descriptors: a resource is
// deleted before the resources it refers to (a subnet before its VPC, a
// listener before its load balancer), after the updates that move other
// resources off it (a load balancer leaving a subnet), and after the kinds
// its descriptor's Deletion.After names in its component. Deletes that do
// not depend on each other (those of two targets) have no order between
// them, so apply runs them in parallel.
func deletions(in Input, desired map[string]bool, changes []Change) ([]Change, error) {
	going := goingAway(in.Snapshot.Observations, desired, changes)
	var obs []resource.Observation
	for _, a := range resource.SortedKeys(in.Snapshot.Observations) {
		ob := in.Snapshot.Observations[a]
		if ob.Exists && ob.Owned && !ob.Found && !desired[a] && !going[ob.Parent] {
			obs = append(obs, ob)
		}
	}
	for _, ob := range in.Snapshot.Extra {
		ob.Address = duplicateAddress(ob)
		obs = append(obs, ob)
	}
	deleted := len(obs)
	var updates []resource.Observation
	for _, c := range changes {
		switch {
		case c.Action == ActionReplace && c.Observed != nil:
			obs = append(obs, *c.Observed)
		case c.Action == ActionUpdate && c.Observed != nil:
			updates = append(updates, *c.Observed)
		}
	}
	deps, err := deleteDependencies(in.Registry, obs, updates)
	if err != nil {
		return nil, err
	}
	for i := range changes {
		if changes[i].Action == ActionReplace {
			changes[i].DestroyAfter = sorted(deps[changes[i].Address])
		}
	}
	order, err := deletesOnly(deps, obs[:deleted]).Sort()
	if err != nil {
		return nil, fmt.Errorf("order of deletes: %w", err)
	}
	byAddr := map[string]resource.Observation{}
	for _, ob := range obs[:deleted] {
		byAddr[ob.Address] = ob
	}
	known := byAddress(in.Desired)
	out := make([]Change, 0, len(order))
	for _, a := range order {
		out = append(out, deletion(in.Registry, byAddr[a], deps[a], known))
	}
	return out, nil
}

// goingAway returns the addresses whose resource the plan deletes (owned
// and not desired) or replaces. A resource owned through a parent
// (Observation.Parent) that goes away goes with it, without a delete of
// its own (the rules of a deleted security group).
func goingAway(obs map[string]resource.Observation, desired map[string]bool, changes []Change) map[string]bool {
	out := map[string]bool{}
	for a, ob := range obs {
		out[a] = ob.Exists && ob.Owned && !ob.Found && !desired[a]
	}
	for _, c := range changes {
		if c.Action == ActionReplace {
			out[c.Address] = true
		}
	}
	return out
}

// deletesOnly is g restricted to the deleted resources, for their order
// in the plan.
func deletesOnly(g graph.Graph, deleted []resource.Observation) graph.Graph {
	out := graph.Graph{}
	for _, ob := range deleted {
		out[ob.Address] = g[ob.Address]
	}
	return out
}

func sorted(l []string) []string {
	out := append([]string(nil), l...)
	sort.Strings(out)
	return out
}

func duplicateAddress(ob resource.Observation) string {
	return ob.Address + " (duplicate " + ob.ID + ")"
}

func deletion(r resource.Registry, ob resource.Observation, deps []string, known map[string]resource.Desired) Change {
	c := Change{Address: ob.Address, Kind: ob.Kind, Component: component(ob.Address), Name: ob.ID, Action: ActionDelete,
		Before: redact(ob.Props, nil), DataLoss: losesData(r, ob.Kind)}
	c.DependsOn = sorted(deps)
	o := ob
	c.Observed = &o
	if d, ok := known[ob.Address]; ok {
		c.Desired = &d // a destroy plan keeps the file's settings (final snapshot)
	}
	return c
}

func losesData(r resource.Registry, k resource.Kind) bool {
	d, _ := r.Descriptor(k)
	return d.DataLoss == resource.LosesData
}

// deleteDependencies returns, for each resource going away (obs), what
// must finish first: the deletes of the resources going away that refer to
// it, found by the observed values of their references; the updates of
// resources that refer to it and stay (updates: they move off it; a
// reference that follows in place never holds a delete back); and the
// deletes of the kinds its descriptor deletes it after, in its component.
func deleteDependencies(r resource.Registry, obs, updates []resource.Observation) (graph.Graph, error) {
	g := graph.Graph{}
	holders := map[resource.Kind]map[string]string{} // kind → attribute value → address
	for _, ob := range obs {
		g[ob.Address] = nil
		if holders[ob.Kind] == nil {
			holders[ob.Kind] = map[string]string{}
		}
		for _, v := range ob.Attrs {
			holders[ob.Kind][v] = ob.Address
		}
		if ob.ID != "" {
			holders[ob.Kind][ob.ID] = ob.Address
		}
	}
	if err := waitForReferrers(g, holders, r, obs, true); err != nil {
		return nil, err
	}
	if err := waitForReferrers(g, holders, r, updates, false); err != nil {
		return nil, err
	}
	waitForMovesOff(g, holders, r, obs, updates)
	for _, ob := range obs {
		d, _ := r.Descriptor(ob.Kind)
		for _, other := range obs {
			if other.Address != ob.Address && component(other.Address) == component(ob.Address) && slices.Contains(d.Deletion.After, other.Kind) {
				g[ob.Address] = appendOnce(g[ob.Address], other.Address)
			}
		}
	}
	return g, nil
}

// waitForReferrers makes each resource that referrers refer to (found in
// holders by the observed values of the references) wait for them;
// references that follow in place count only when inPlace is set (the
// referrer goes away too).
func waitForReferrers(g graph.Graph, holders map[resource.Kind]map[string]string, r resource.Registry, referrers []resource.Observation, inPlace bool) error {
	for _, ob := range referrers {
		d, ok := r.Descriptor(ob.Kind)
		if !ok {
			return fmt.Errorf("%s: no handler for kind %s", ob.Address, ob.Kind)
		}
		for _, ref := range d.References {
			if ref.InPlace && !inPlace {
				continue
			}
			for _, prop := range ref.In(ob.Props) {
				for _, v := range referenced(ob.Props[prop]) {
					if target, ok := holders[ref.Kind][v]; ok && target != ob.Address {
						g[target] = appendOnce(g[target], ob.Address)
					}
				}
			}
		}
	}
	return nil
}

// waitForMovesOff makes each resource going away whose kind serves what
// its Deletion.InUseThrough props name (a route, its route table) wait for
// the updates that move off that (the subnets leaving the table): the
// route stays while anything still uses the table.
func waitForMovesOff(g graph.Graph, holders map[resource.Kind]map[string]string, r resource.Registry, obs, updates []resource.Observation) {
	for _, ob := range obs {
		d, _ := r.Descriptor(ob.Kind)
		for _, prop := range d.Deletion.InUseThrough {
			for _, served := range referencedAddresses(d, prop, ob.Props[prop], holders) {
				for _, u := range updates {
					if u.Address != ob.Address && refersTo(r, u, served, holders) {
						g[ob.Address] = appendOnce(g[ob.Address], u.Address)
					}
				}
			}
		}
	}
}

// referencedAddresses returns the addresses, among holders, that the
// value v of the reference prop of d names.
func referencedAddresses(d resource.Descriptor, prop string, v any, holders map[resource.Kind]map[string]string) []string {
	var out []string
	for _, ref := range d.References {
		if !ref.Matches(prop) {
			continue
		}
		for _, id := range referenced(v) {
			if a, ok := holders[ref.Kind][id]; ok {
				out = append(out, a)
			}
		}
	}
	return out
}

// refersTo reports whether the observed references of u name target.
func refersTo(r resource.Registry, u resource.Observation, target string, holders map[resource.Kind]map[string]string) bool {
	d, _ := r.Descriptor(u.Kind)
	for _, ref := range d.References {
		for _, prop := range ref.In(u.Props) {
			if slices.Contains(referencedAddresses(d, prop, u.Props[prop], holders), target) {
				return true
			}
		}
	}
	return false
}

// referenced returns the values a reference property holds: one id, or a
// list of them.
func referenced(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func appendOnce(l []string, s string) []string {
	if slices.Contains(l, s) {
		return l
	}
	return append(l, s)
}

// waitForClashes makes a create wait for the delete of a resource of its
// kind with the same unique values (resource.Descriptor.UniqueBy), deleted
// or replaced: AWS refuses the second while the first exists (a renamed
// target's peering of the same two VPCs, a subnet taking the CIDR block of
// one replaced).
func waitForClashes(r resource.Registry, changes, deletes []Change) {
	going := append(append([]Change(nil), deletes...), changes...)
	for i := range changes {
		c := &changes[i]
		d, _ := r.Descriptor(c.Kind)
		if (c.Action != ActionCreate && c.Action != ActionReplace) || len(d.UniqueBy) == 0 || c.Desired == nil {
			continue
		}
		for _, x := range going {
			gone := x.Action == ActionDelete || x.Action == ActionReplace
			if gone && x.Address != c.Address && x.Kind == c.Kind && x.Observed != nil && sameValues(d.UniqueBy, c.Desired.Props, x.Observed.Props) {
				c.DestroyFirst = appendOnce(c.DestroyFirst, x.Address)
			}
		}
	}
}

// sameValues reports whether a and b hold equal values of props (absent
// in both counts as equal), all of them known.
func sameValues(props []string, a, b resource.Props) bool {
	for _, p := range props {
		av, bv := resource.Normalize(a[p]), resource.Normalize(b[p])
		if resource.HasRef(av) || fmt.Sprint(av) != fmt.Sprint(bv) {
			return false
		}
	}
	return true
}
