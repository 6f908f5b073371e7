package plan

import (
	"fmt"
	"sort"

	"github.com/kcstack/kcstack/pkg/graph"
	"github.com/kcstack/kcstack/pkg/resource"
)

// deletions plans the removal of every owned resource not desired. The
// order comes from the kind descriptors: a resource is deleted before the
// resources it refers to (a subnet before its VPC, a listener before its
// load balancer) and after the kinds its descriptor's Deletion.After names
// in its component. Deletes that do not depend on each other (those of two
// targets) have no order between them, so apply runs them in parallel.
func deletions(in Input, desired map[string]bool) ([]Change, error) {
	var obs []resource.Observation
	for _, a := range resource.SortedKeys(in.Snapshot.Observations) {
		ob := in.Snapshot.Observations[a]
		if ob.Exists && ob.Owned && !ob.Found && !desired[a] {
			obs = append(obs, ob)
		}
	}
	for _, ob := range in.Snapshot.Extra {
		ob.Address = duplicateAddress(ob)
		obs = append(obs, ob)
	}
	deps, err := deleteDependencies(in.Registry, obs)
	if err != nil {
		return nil, err
	}
	order, err := deps.Sort()
	if err != nil {
		return nil, fmt.Errorf("order of deletes: %w", err)
	}
	byAddr := map[string]resource.Observation{}
	for _, ob := range obs {
		byAddr[ob.Address] = ob
	}
	known := byAddress(in.Desired)
	out := make([]Change, 0, len(order))
	for _, a := range order {
		out = append(out, deletion(in.Registry, byAddr[a], deps[a], known))
	}
	return out, nil
}

func duplicateAddress(ob resource.Observation) string {
	return ob.Address + " (duplicate " + ob.ID + ")"
}

func deletion(r resource.Registry, ob resource.Observation, deps []string, known map[string]resource.Desired) Change {
	c := Change{Address: ob.Address, Kind: ob.Kind, Component: component(ob.Address), Name: ob.ID, Action: ActionDelete,
		Before: redact(ob.Props, nil), DataLoss: losesData(r, ob.Kind)}
	c.DependsOn = append([]string(nil), deps...)
	sort.Strings(c.DependsOn)
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

// deleteDependencies returns, for each resource to delete, the deletes
// that must finish first: those of the resources that refer to it, found
// by the observed values of their references, and those of the kinds its
// descriptor deletes it after, in its component.
func deleteDependencies(r resource.Registry, obs []resource.Observation) (graph.Graph, error) {
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
	for _, ob := range obs {
		d, ok := r.Descriptor(ob.Kind)
		if !ok {
			return nil, fmt.Errorf("%s: no handler for kind %s", ob.Address, ob.Kind)
		}
		for _, ref := range d.References {
			for _, v := range referenced(ob.Props[ref.Prop]) {
				if target, ok := holders[ref.Kind][v]; ok && target != ob.Address {
					g[target] = appendOnce(g[target], ob.Address)
				}
			}
		}
		for _, other := range obs {
			if other.Address != ob.Address && component(other.Address) == component(ob.Address) && containsKind(d.Deletion.After, other.Kind) {
				g[ob.Address] = appendOnce(g[ob.Address], other.Address)
			}
		}
	}
	return g, nil
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

func containsKind(ks []resource.Kind, k resource.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func appendOnce(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}
