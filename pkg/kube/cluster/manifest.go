package cluster

import (
	"encoding/json"
	"fmt"
	"maps"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Annotations kcstack sets at apply time, beside the desired ones.
const (
	// AnnotationFacts holds, as a JSON object, the values of the props
	// known only after apply (kube.PropWriterEndpoint,
	// kube.PropDBSecretARN) the object was applied with, so Observe reports
	// them and references order deletes.
	AnnotationFacts = "kcstack.io/facts"
	// AnnotationSourceDigest holds, on a Secret, the SHA-256 of the values
	// copied from Secrets Manager (sourceDigest), never the values.
	AnnotationSourceDigest = "kcstack.io/source-digest"
)

// facts are the props whose values are known only after apply.
var facts = []string{kube.PropWriterEndpoint, kube.PropDBSecretARN, kube.PropPeering}

// manifest returns the object d describes with its placeholders filled
// from its resolved props and the facts annotation set.
func manifest(d resource.Desired) (*unstructured.Unstructured, error) {
	m := map[string]any{"apiVersion": d.Props[kube.PropAPIVersion], "kind": d.Props[kube.PropObjectKind]}
	meta := map[string]any{"name": d.Props[kube.PropName], "labels": d.Props[kube.PropLabels]}
	if ns, ok := d.Props[kube.PropNamespace]; ok {
		meta["namespace"] = ns
	}
	annotations, err := annotationsOf(d)
	if err != nil {
		return nil, err
	}
	if len(annotations) > 0 {
		meta["annotations"] = annotations
	}
	m["metadata"] = meta
	if body, ok := d.Props[kube.PropBody].(map[string]any); ok {
		maps.Copy(m, body)
	}
	text, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", d.Address, err)
	}
	filled, err := resource.FillJSON(string(text), d.Props)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Address, err)
	}
	u := &unstructured.Unstructured{}
	if err := json.Unmarshal([]byte(filled), &u.Object); err != nil {
		return nil, fmt.Errorf("decode %s: %w", d.Address, err)
	}
	return u, nil
}

// annotationsOf returns d's desired annotations with the facts annotation
// added when d has facts.
func annotationsOf(d resource.Desired) (map[string]any, error) {
	out := map[string]any{}
	if desired, ok := canonical(d.Props[kube.PropAnnotations]).(map[string]any); ok {
		maps.Copy(out, desired)
	}
	values := map[string]string{}
	for _, f := range facts {
		if v, ok := d.Props[f].(string); ok {
			values[f] = v
		}
	}
	if len(values) > 0 {
		text, err := json.Marshal(values)
		if err != nil {
			return nil, fmt.Errorf("encode %s facts: %w", d.Address, err)
		}
		out[AnnotationFacts] = string(text)
	}
	return out, nil
}

// canonical returns v as JSON decodes it (maps of any, float64 numbers),
// so values built in Go and values read from the API server compare alike.
func canonical(v any) any {
	text, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if err := json.Unmarshal(text, &out); err != nil {
		return v
	}
	return out
}
