package cluster

import (
	"context"
	"fmt"
	"maps"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"

	"github.com/kcstack/kcstack/pkg/kube"
)

// owner is who an object must belong to for kcstack to change it: the
// stack, and the addresses it may carry (the one acted on, and the one it
// was observed at when it moves from a renamed target).
type owner struct {
	stack     string
	addresses []string
}

// ownerOf is the owner at address whose stack is the one the first of
// labelSets names (a desired object's labels, then the observed ones),
// which may also carry the object at the address the sets name.
func ownerOf(address string, labelSets ...any) owner {
	o := owner{addresses: []string{address}}
	for _, set := range labelSets {
		m := stringMap(set)
		if o.stack == "" {
			o.stack = m[kube.LabelStack]
		}
		if a := m[kube.LabelAddress]; a != "" && a != address {
			o.addresses = append(o.addresses, a)
		}
	}
	return o
}

// stringMap is labels as a map of strings, whichever map type holds them.
func stringMap(labels any) map[string]string {
	out := map[string]string{}
	switch m := labels.(type) {
	case map[string]string:
		maps.Copy(out, m)
	case map[string]any:
		for k, v := range m {
			if s, ok := v.(string); ok {
				out[k] = s
			}
		}
	}
	return out
}

// owns reports whether the object with labels is the owner's.
func (o owner) owns(labels map[string]string) bool {
	if o.stack == "" || labels[kube.LabelManagedBy] != kube.ManagedBy || labels[kube.LabelStack] != o.stack {
		return false
	}
	for _, a := range o.addresses {
		if labels[kube.LabelAddress] == a {
			return true
		}
	}
	return false
}

// guard re-reads object name of kind at the moment of acting and refuses
// unless it is absent (absentOK: a create or a delete) or carries the
// owner's labels: kcstack never changes an object of another stack or one
// made by hand, whatever the plan saw. It reports whether the object
// exists.
func (h *Handler) guard(ctx context.Context, ri dynamic.ResourceInterface, address, ns, name string, o owner) (bool, error) {
	live, err := ri.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s: read %s %s before changing it: %w", address, h.Descriptor.Kind, qualified(ns, name), err)
	}
	labels := live.GetLabels()
	if o.owns(labels) {
		return true, nil
	}
	return true, refusal(address, live.GetKind(), ns, name, labels, o.stack)
}

// refusal is the error of an object of kind (Kubernetes') the stack wants at address that
// exists and is not the stack's: it names the object, who owns it (from
// its labels) and what to do.
func refusal(address, kind, ns, name string, labels map[string]string, stack string) error {
	who := "it has no kcstack labels: made by someone else"
	switch {
	case labels[kube.LabelManagedBy] == kube.ManagedBy && labels[kube.LabelStack] != stack:
		who = fmt.Sprintf("it is owned by kcstack stack %q (label %s)", labels[kube.LabelStack], kube.LabelStack)
	case labels[kube.LabelManagedBy] == kube.ManagedBy:
		who = fmt.Sprintf("it belongs to %s of this stack (label %s)", labels[kube.LabelAddress], kube.LabelAddress)
	}
	return fmt.Errorf("%s: %s %s exists and is not this stack's: %s; kcstack never changes it: set rosa.namespace to a namespace of this stack's own, or remove the object", address, kind, qualified(ns, name), who)
}

// qualified is ns/name, or name for a cluster-scoped object.
func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
