package cluster

import (
	"context"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads the in-cluster objects of one target: the Namespaces the
// stack owns or wants (one list call, and a get of a wanted Namespace the
// stack does not own, which is adopted), then for each namespaced kind one
// list call per namespace, of every kcstack stack's objects (label
// app.kubernetes.io/managed-by=kcstack). The stack's objects are mapped
// back to their addresses by their kcstack.io/address label; objects of
// other targets are left to their own observer; an object of another
// stack with the name of one the stack wants fails the read (the plan),
// naming it and its stack.
type Observer struct {
	target   string
	handlers map[resource.Kind]*Handler
}

var _ resource.Observer = (*Observer)(nil)

// NewObserver returns the observer of target's objects, read through
// handlers (one per in-cluster kind).
func NewObserver(target string, handlers map[resource.Kind]*Handler) *Observer {
	return &Observer{target: target, handlers: handlers}
}

// Round is 1: nothing in the cluster needs an AWS observation to be read.
func (o *Observer) Round() int { return 1 }

// Observe reads every object of the target the stack owns or wants.
func (o *Observer) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	prefix := kube.Address(o.target, "")
	wanted := map[string]*resource.Desired{}
	for i, d := range q.Desired {
		if strings.HasPrefix(d.Address, prefix) {
			wanted[d.Address] = &q.Desired[i]
		}
	}
	l := lister{selector: anyStack, stack: q.Stack, wanted: wanted, conflicts: &[]error{}}
	seen := map[string]resource.Observation{}
	namespaces, err := o.namespaces(ctx, q, l, seen)
	if err != nil {
		return nil, err
	}
	if err := o.objects(ctx, namespaces, l, seen); err != nil {
		return nil, err
	}
	if err := errors.Join(*l.conflicts...); err != nil {
		return nil, err
	}
	out := make([]resource.Observation, 0, len(seen)+len(wanted))
	for _, a := range resource.SortedKeys(wanted) {
		if _, ok := seen[a]; !ok {
			out = append(out, resource.Observation{Address: a, Kind: wanted[a].Kind})
		}
	}
	return append(out, sortedValues(seen)...), nil
}

// anyStack is the label selector of every kcstack stack's objects.
var anyStack = labels.Set{kube.LabelManagedBy: kube.ManagedBy}.String()

// ownedBy is the label selector of the objects stack owns.
func ownedBy(stack string) string {
	return labels.Set{kube.LabelManagedBy: kube.ManagedBy, kube.LabelStack: stack}.String()
}

// lister is how list reads objects: by selector, keeping the objects of
// stack; objects of other stacks named as wanted ones are are refusals it
// adds to conflicts (all of them, for one error naming every object).
type lister struct {
	selector  string
	stack     string
	wanted    map[string]*resource.Desired
	conflicts *[]error
}

// objects reads the owned objects of every namespaced kind in each of
// namespaces into seen: one list call per kind per namespace.
func (o *Observer) objects(ctx context.Context, namespaces []string, l lister, seen map[string]resource.Observation) error {
	for _, k := range kube.Kinds() {
		if !namespaced(k) {
			continue
		}
		for _, ns := range namespaces {
			if err := o.list(ctx, k, ns, l, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// sortedValues returns the observations of m in the order of their
// addresses.
func sortedValues(m map[string]resource.Observation) []resource.Observation {
	out := make([]resource.Observation, 0, len(m))
	for _, a := range resource.SortedKeys(m) {
		out = append(out, m[a])
	}
	return out
}

// namespaces lists the target's owned Namespaces into seen, adopts wanted
// ones that exist unowned, and returns every namespace to read: owned or
// wanted.
func (o *Observer) namespaces(ctx context.Context, q resource.Query, l lister, seen map[string]resource.Observation) ([]string, error) {
	wanted := l.wanted
	if err := o.list(ctx, kube.KindNamespace, "", l, seen); err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, ob := range seen {
		names[ob.Attrs["name"]] = true
	}
	for _, a := range resource.SortedKeys(wanted) {
		d := wanted[a]
		if d.Kind != kube.KindNamespace {
			continue
		}
		name, _ := d.Props[kube.PropName].(string)
		names[name] = true
		if _, ok := seen[a]; ok {
			continue
		}
		ob, err := o.adopt(ctx, q, *d, name)
		if err != nil {
			return nil, err
		}
		if ob.Exists {
			seen[a] = ob
		}
	}
	return resource.SortedKeys(names), nil
}

// AttrOwnerStack is the attribute of an adopted Namespace that names the
// other kcstack stack that owns it; absent when it has no kcstack labels.
const AttrOwnerStack = "owner_stack"

// adopt reads Namespace name, which the stack wants and does not own at
// d's address: when it exists it is used as it is, Found (never changed,
// never deleted; its owning stack, if another kcstack stack labeled it, in
// AttrOwnerStack), unless the stack owns it for a ROSA target no longer in
// the file (a renamed target): then it moves to d's address, an update of
// its labels, and the observer of that former target leaves it alone
// (Former).
func (o *Observer) adopt(ctx context.Context, q resource.Query, d resource.Desired, name string) (resource.Observation, error) {
	rc, err := o.handlers[kube.KindNamespace].clusters.client(kube.KindNamespace, d.Address)
	if err != nil {
		return resource.Observation{}, err
	}
	u, err := rc.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return resource.Observation{Address: d.Address, Kind: d.Kind}, nil
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("read namespace %s: %w", name, err)
	}
	if formerOwner(q, u.GetLabels()) != "" {
		return o.handlers[kube.KindNamespace].observation(ctx, d.Address, u, &d)
	}
	attrs := map[string]string{"id": name, "name": name}
	if ls := u.GetLabels(); ls[kube.LabelManagedBy] == kube.ManagedBy && ls[kube.LabelStack] != "" {
		attrs[AttrOwnerStack] = ls[kube.LabelStack]
	}
	return resource.Observation{
		Address: d.Address, Kind: d.Kind, Exists: true, ID: name, Owned: true, Found: true,
		Attrs: attrs, Props: canonical(d.Props).(map[string]any),
	}, nil
}

// list reads the objects of l.stack of kind k in namespace ns ("" for
// cluster-scoped kinds) into seen. An object of another stack named as one
// l wants is a conflict (a Namespace is left to adopt). A kind the server
// does not serve (the Keycloak CRD not installed) has no objects.
func (o *Observer) list(ctx context.Context, k resource.Kind, ns string, l lister, seen map[string]resource.Observation) error {
	h := o.handlers[k]
	rc, err := h.clusters.client(k, kube.Address(o.target, ""))
	if err != nil {
		return err
	}
	var items *unstructured.UnstructuredList
	opts := metav1.ListOptions{LabelSelector: l.selector}
	if namespaced(k) {
		items, err = rc.Namespace(ns).List(ctx, opts)
	} else {
		items, err = rc.List(ctx, opts)
	}
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list %s in %q: %w", k, ns, err)
	}
	prefix := kube.Address(o.target, "")
	for i := range items.Items {
		u := &items.Items[i]
		if u.GetLabels()[kube.LabelStack] != l.stack {
			if w := l.claimant(k, u); w != "" {
				*l.conflicts = append(*l.conflicts, refusal(w, u.GetKind(), u.GetNamespace(), u.GetName(), u.GetLabels(), l.stack))
			}
			continue
		}
		a := u.GetLabels()[kube.LabelAddress]
		if !strings.HasPrefix(a, prefix) {
			continue
		}
		ob, err := h.observation(ctx, a, u, l.wanted[a])
		if err != nil {
			return fmt.Errorf("%s: %w", a, err)
		}
		seen[a] = ob
	}
	return nil
}

// claimant is the address of the object of kind k other than a Namespace
// that l wants with u's namespace and name, or "".
func (l lister) claimant(k resource.Kind, u *unstructured.Unstructured) string {
	if k == kube.KindNamespace {
		return ""
	}
	for _, a := range resource.SortedKeys(l.wanted) {
		d := l.wanted[a]
		if d.Kind != k || d.Props[kube.PropName] != u.GetName() {
			continue
		}
		if ns, _ := d.Props[kube.PropNamespace].(string); ns == u.GetNamespace() {
			return a
		}
	}
	return ""
}
