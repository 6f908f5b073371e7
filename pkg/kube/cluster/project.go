package cluster

import (
	"context"
	"encoding/json"
	"maps"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// project returns the parts of live at the paths want sets: maps keep the
// keys want has, lists of want's length are projected element by element,
// anything else is live's value. Fields another manager (or the API
// server's defaults) added are left out, so a diff sees only what kcstack
// manages.
func project(live, want any) any {
	switch w := want.(type) {
	case map[string]any:
		l, ok := live.(map[string]any)
		if !ok {
			return live
		}
		out := map[string]any{}
		for k, wv := range w {
			if lv, ok := l[k]; ok {
				out[k] = project(lv, wv)
			}
		}
		return out
	case []any:
		l, ok := live.([]any)
		if !ok || len(l) != len(w) {
			return live
		}
		out := make([]any, len(l))
		for i := range l {
			out[i] = project(l[i], w[i])
		}
		return out
	}
	return live
}

// observation is live object u of kind as kcstack reads it: its identity,
// owned, and its props projected onto desired's (every label, annotation
// and body field when desired is nil: an object to delete, whose Secret
// values are not compared with Secrets Manager).
func (h *Handler) observation(ctx context.Context, address string, u *unstructured.Unstructured, desired *resource.Desired) (resource.Observation, error) {
	id := u.GetName()
	if u.GetNamespace() != "" {
		id = u.GetNamespace() + "/" + u.GetName()
	}
	ob := resource.Observation{
		Address: address, Kind: h.Descriptor.Kind, Exists: true, ID: id, Owned: true,
		Attrs: map[string]string{"id": id, "name": u.GetName(), "namespace": u.GetNamespace()},
		Props: liveProps(u),
	}
	if desired != nil {
		want := canonical(desired.Props).(map[string]any)
		for _, k := range []string{kube.PropLabels, kube.PropAnnotations, kube.PropBody} {
			ob.Props[k] = project(ob.Props[k], want[k])
		}
		if h.Descriptor.Kind == kube.KindSecret {
			secretBody(ob.Props, u, want)
		}
	}
	if h.Descriptor.Kind == kube.KindSecret && h.secrets != nil && desired != nil {
		current, err := sourcesCurrent(ctx, h.secrets, u)
		if err != nil {
			return ob, err
		}
		ob.Props[propSourcesCurrent] = current
	}
	return ob, nil
}

// secretBody replaces the projected body of a Secret: desired stringData
// (plain values) is compared with the decoded data; data itself never
// enters props.
func secretBody(props resource.Props, u *unstructured.Unstructured, want map[string]any) {
	wantBody, _ := want[kube.PropBody].(map[string]any)
	body := map[string]any{}
	if t, ok := u.Object["type"]; ok && wantBody["type"] != nil {
		body["type"] = t
	}
	if sd, ok := wantBody["stringData"].(map[string]any); ok {
		body["stringData"] = plainData(u, sd)
	}
	props[kube.PropBody] = body
}

// liveProps are the props of live object u in the desired props' names:
// identity, labels, annotations, the facts it was applied with and the
// body (without data for a Secret, without status).
func liveProps(u *unstructured.Unstructured) resource.Props {
	p := resource.Props{
		kube.PropAPIVersion: u.GetAPIVersion(), kube.PropObjectKind: u.GetKind(), kube.PropName: u.GetName(),
		kube.PropLabels: canonical(u.GetLabels()), kube.PropAnnotations: canonical(u.GetAnnotations()),
	}
	if u.GetNamespace() != "" {
		p[kube.PropNamespace] = u.GetNamespace()
	}
	var applied map[string]string
	if err := json.Unmarshal([]byte(u.GetAnnotations()[AnnotationFacts]), &applied); err == nil {
		for k, v := range applied {
			p[k] = v
		}
	}
	body := maps.Clone(u.Object)
	for _, k := range []string{"apiVersion", "kind", "metadata", "status", "data", "stringData"} {
		delete(body, k)
	}
	if u.GetKind() != "Secret" {
		if data, ok := u.Object["data"]; ok {
			body["data"] = data
		}
	}
	p[kube.PropBody] = canonical(body)
	return p
}
