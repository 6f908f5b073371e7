package cluster

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Former reads the in-cluster objects of ROSA targets no longer in the
// file (removed or renamed). Such a target is known by its peering, which
// the stack still owns and whose tags name its kubeconfig context and
// namespace (kube.TagContext, kube.TagNamespace). Former connects to that
// context (the kubeconfig is loaded only when such a peering exists) and
// returns what the stack owns there for the target, with the addresses of
// its labels: its owned Namespaces and its objects in them and in the
// tagged namespace (which may have been adopted, and is then never
// deleted). The plan deletes them, each before the peering it refers to.
// A Namespace that a ROSA target of the file wants in the same cluster is
// left out: that target takes it over (Observer.adopt).
//
// A target Former cannot reach (no such context, an API server that does
// not answer) or that Access leaves out is in Unread, with nothing read.
// Former makes no AWS call.
type Former struct {
	access   Access
	clusters Clusters
	handlers map[resource.Kind]*Handler

	mu     sync.Mutex
	unread []Unread
}

var _ resource.Observer = (*Former)(nil)

// NewFormer returns the observer of the objects of former targets, reached
// through access. New wires it to the handlers (WithFormer).
func NewFormer(access Access) *Former { return &Former{access: access} }

// Round is 2: it needs round 1's peerings.
func (f *Former) Round() int { return 2 }

// Unread returns the former targets the last Observe could not read.
func (f *Former) Unread() []Unread {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Unread(nil), f.unread...)
}

// former is a target no longer in the file, as its peering's tags tell.
type former struct{ target, context, namespace string }

// Observe reads the objects of every former target it reaches. The client
// of each goes into the handlers' Clusters, so that they can delete them;
// no other observer reads Clusters in this round.
func (f *Former) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	var out []resource.Observation
	var unread []Unread
	var k *kubeconfig
	for _, g := range formerTargets(q) {
		if u, ok := f.access.without(g.target); ok {
			unread = append(unread, removed(u))
			continue
		}
		if k == nil {
			loaded := f.access.load()
			k = &loaded
		}
		dc, u := k.reach(g.target, g.context)
		if u != nil {
			unread = append(unread, removed(*u))
			continue
		}
		f.clusters[g.target] = dc
		obs, err := f.read(ctx, q, *k, g)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			delete(f.clusters, g.target)
			unread = append(unread, Unread{Target: g.target, Removed: true, Blocking: true, Reason: fmt.Sprintf("context %s: %v", g.context, err)})
			continue
		}
		out = append(out, obs...)
	}
	f.mu.Lock()
	f.unread = unread
	f.mu.Unlock()
	return out, nil
}

func removed(u Unread) Unread {
	u.Removed = true
	return u
}

// read lists the objects the stack owns for g in its cluster.
func (f *Former) read(ctx context.Context, q resource.Query, k kubeconfig, g former) ([]resource.Observation, error) {
	o := NewObserver(g.target, f.handlers)
	l := lister{selector: ownedBy(q.Stack), stack: q.Stack}
	seen := map[string]resource.Observation{}
	if err := o.list(ctx, kube.KindNamespace, "", l, seen); err != nil {
		return nil, err
	}
	names := map[string]bool{g.namespace: true}
	for a, ob := range seen {
		names[ob.Attrs["name"]] = true
		if claimed(q, k, g.context, ob.Attrs["name"]) {
			delete(seen, a)
		}
	}
	if err := o.objects(ctx, resource.SortedKeys(names), l, seen); err != nil {
		return nil, err
	}
	return sortedValues(seen), nil
}

// formerTargets are the targets of the stack's tagged peerings (in q.Known)
// that are not ROSA targets of the file.
func formerTargets(q resource.Query) []former {
	present := rosaTargets(q.Desired)
	var out []former
	for _, a := range resource.SortedKeys(q.Known) {
		ob := q.Known[a]
		target, ok := peeringTarget(a)
		kctx := ob.Tags[kube.TagContext]
		if !ok || !ob.Exists || !ob.Owned || ob.Kind != resource.KindPeering || kctx == "" {
			continue
		}
		if _, ok := present[target]; !ok {
			out = append(out, former{target: target, context: kctx, namespace: ob.Tags[kube.TagNamespace]})
		}
	}
	return out
}

// peeringTarget returns the target of address targets.<target>.peering.
func peeringTarget(address string) (string, bool) {
	rest, ok := strings.CutPrefix(address, "targets.")
	if !ok {
		return "", false
	}
	target, ok := strings.CutSuffix(rest, ".peering")
	return target, ok && target != "" && !strings.Contains(target, ".")
}

// rosaTargets are the ROSA targets of the file, by their desired peerings'
// context tag: target → kubeconfig context.
func rosaTargets(desired []resource.Desired) map[string]string {
	out := map[string]string{}
	for _, d := range desired {
		target, ok := peeringTarget(d.Address)
		if c := d.Tags[kube.TagContext]; ok && d.Kind == resource.KindPeering && c != "" {
			out[target] = c
		}
	}
	return out
}

// formerOwner returns the former target (not a ROSA target of the file)
// that labels, an object's, name as its owner in the stack of q; "" for
// anything else.
func formerOwner(q resource.Query, labels map[string]string) string {
	if labels[kube.LabelManagedBy] != kube.ManagedBy || labels[kube.LabelStack] != q.Stack {
		return ""
	}
	target, err := targetOf(labels[kube.LabelAddress])
	if err != nil {
		return ""
	}
	if _, ok := rosaTargets(q.Desired)[target]; ok {
		return ""
	}
	return target
}

// claimed reports whether a ROSA target of the file wants Namespace name in
// the cluster of context (the same context, or one of the same API
// server).
func claimed(q resource.Query, k kubeconfig, kctx, name string) bool {
	present := rosaTargets(q.Desired)
	for _, d := range q.Desired {
		if d.Kind != kube.KindNamespace || d.Props[kube.PropName] != name {
			continue
		}
		target, err := targetOf(d.Address)
		if err != nil {
			continue
		}
		other, ok := present[target]
		if ok && (other == kctx || (k.server(other) != "" && k.server(other) == k.server(kctx))) {
			return true
		}
	}
	return false
}
