package cluster

import (
	"context"
	"encoding/json"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// FieldManager is the field manager of every server-side apply kcstack
// makes.
const FieldManager = "kcstack"

// Clusters are the dynamic clients of the clusters of a stack's ROSA
// targets, by target name.
type Clusters map[string]dynamic.Interface

// client returns the resource client of kind for the cluster of address's
// target.
func (c Clusters) client(kind resource.Kind, address string) (dynamic.NamespaceableResourceInterface, error) {
	target, err := targetOf(address)
	if err != nil {
		return nil, err
	}
	dc, ok := c[target]
	if !ok {
		return nil, fmt.Errorf("%s: no Kubernetes cluster for target %s (no kubeconfig context)", address, target)
	}
	return dc.Resource(resources[kind]), nil
}

// Handler applies, reads and deletes the in-cluster objects of one kind,
// whatever their content: the desired props are the object.
type Handler struct {
	resource.Described
	clusters Clusters
	secrets  SecretsAPI
}

var _ resource.Handler = (*Handler)(nil)

// Diff compares the desired object with the live one at the paths the
// desired one sets (Observe projected it so); for a Secret, values that no
// longer match Secrets Manager are a sensitive change of its data. An
// adopted object (Found) has no differences: kcstack never changes it.
func (h *Handler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	if o.Found {
		return nil
	}
	want := resource.Props{}
	for k, v := range d.Props {
		want[k] = v
		if !resource.HasRef(v) {
			want[k] = canonical(v)
		}
	}
	for _, k := range []string{kube.PropLabels, kube.PropAnnotations, kube.PropBody} {
		if _, ok := want[k]; !ok {
			continue
		}
		if filled, err := fill(want[k], d.Props); err == nil {
			want[k] = filled
		}
	}
	diffs := resource.DiffProps(want, o.Props, h.Descriptor.Fields, d.Sensitive)
	if h.Descriptor.Kind == kube.KindSecret && o.Props[propSourcesCurrent] == false {
		diffs = append(diffs, resource.FieldDiff{Path: "data", Before: "", After: "", Sensitive: true})
	}
	return diffs
}

// fill returns v with its placeholders filled from props, or an error
// when one is still unknown (the plan then shows it as it is).
func fill(v any, props resource.Props) (any, error) {
	if v == nil {
		return nil, nil
	}
	text, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	filled, err := resource.FillJSON(string(text), props)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal([]byte(filled), &out)
}

// Create applies the object.
func (h *Handler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	return h.apply(ctx, d, ownerOf(d.Address, d.Props[kube.PropLabels]))
}

// Update applies the object again: the fields kcstack manages take their
// desired values back; fields of other managers stay. An adopted object
// (Found) is never changed.
func (h *Handler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	if o.Found {
		return o, nil
	}
	return h.apply(ctx, d, ownerOf(d.Address, d.Props[kube.PropLabels], o.Props[kube.PropLabels]))
}

// apply is one server-side apply of d under FieldManager, forced: kcstack
// sends only the fields it manages, so force takes back only those. Just
// before, the object is re-read: apply refuses unless it is absent or
// carries o's labels (the force would take over anyone's object).
func (h *Handler) apply(ctx context.Context, d resource.Desired, o owner) (resource.Observation, error) {
	u, err := manifest(d)
	if err != nil {
		return resource.Observation{}, err
	}
	if h.Descriptor.Kind == kube.KindSecret {
		if err := fillSecret(ctx, h.secrets, u); err != nil {
			return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
		}
	}
	rc, err := h.clusters.client(h.Descriptor.Kind, d.Address)
	if err != nil {
		return resource.Observation{}, err
	}
	var ri dynamic.ResourceInterface = rc
	if namespaced(h.Descriptor.Kind) {
		ri = rc.Namespace(u.GetNamespace())
	}
	if _, err := h.guard(ctx, ri, d.Address, u.GetNamespace(), u.GetName(), o); err != nil {
		return resource.Observation{}, err
	}
	got, err := ri.Apply(ctx, u.GetName(), u, metav1.ApplyOptions{FieldManager: FieldManager, Force: true})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("apply %s %s: %w", u.GetKind(), u.GetName(), err)
	}
	return h.observation(ctx, d.Address, got, &d)
}

// Delete deletes the object; a missing one is success. Only owned objects
// reach Delete: a Namespace kcstack adopted is Found, never deleted; and
// the object is re-read first: Delete refuses unless it still carries the
// labels it was observed with.
func (h *Handler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	rc, err := h.clusters.client(h.Descriptor.Kind, o.Address)
	if err != nil {
		return err
	}
	var ri dynamic.ResourceInterface = rc
	if namespaced(h.Descriptor.Kind) {
		ri = rc.Namespace(o.Attrs["namespace"])
	}
	if o.Found {
		return nil
	}
	exists, err := h.guard(ctx, ri, o.Address, o.Attrs["namespace"], o.Attrs["name"], ownerOf(o.Address, o.Props[kube.PropLabels]))
	if err != nil || !exists {
		return err
	}
	err = ri.Delete(ctx, o.Attrs["name"], metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete %s %s: %w", h.Descriptor.Kind, o.ID, err)
	}
	return nil
}
