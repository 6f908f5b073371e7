package kube

import (
	"bytes"
	"encoding/json"
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/kcstack/kcstack/pkg/resource"
)

// Props of an in-cluster object's desired resource: its identity, its
// ownership labels and annotations, and the rest of the manifest (spec,
// data, rules, ...) as body. The facts (PropWriterEndpoint,
// PropDBSecretARN) are set beside them by the desired side.
const (
	PropAPIVersion  = "api_version"
	PropObjectKind  = "object_kind"
	PropName        = "name"
	PropNamespace   = "namespace"
	PropLabels      = "labels"
	PropAnnotations = "annotations"
	PropBody        = "body"
)

// Props returns the props of o's desired resource: the manifest split into
// identity, labels, annotations and body.
func (o Object) Props() resource.Props {
	meta, _ := o.Manifest["metadata"].(map[string]any)
	p := resource.Props{
		PropAPIVersion: o.Manifest["apiVersion"], PropObjectKind: o.Manifest["kind"],
		PropName: meta["name"], PropLabels: meta["labels"],
	}
	if ns, ok := meta["namespace"]; ok {
		p[PropNamespace] = ns
	}
	if a, ok := meta["annotations"]; ok {
		p[PropAnnotations] = a
	}
	body := map[string]any{}
	for k, v := range o.Manifest {
		if k != "apiVersion" && k != "kind" && k != "metadata" {
			body[k] = v
		}
	}
	if len(body) > 0 {
		p[PropBody] = body
	}
	return p
}

// Fill returns o's manifest with its placeholders replaced by values (by
// prop name), as plain JSON data; an error names the props values lacks.
func (o Object) Fill(values map[string]string) (map[string]any, error) {
	text, err := json.Marshal(o.Manifest)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", o.Name, err)
	}
	props := resource.Props{}
	for k, v := range values {
		props[k] = v
	}
	filled, err := resource.FillJSON(string(text), props)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.Name, err)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(filled), &out); err != nil {
		return nil, fmt.Errorf("decode %s: %w", o.Name, err)
	}
	return out, nil
}

// MarshalYAML writes objects as multi-document YAML, keys sorted, each
// with its placeholders replaced by values: what GitOps tools apply.
func MarshalYAML(objects []Object, values map[string]string) ([]byte, error) {
	var b bytes.Buffer
	for _, o := range objects {
		m, err := o.Fill(values)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "---\n# %s\n", o.Name)
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(m); err != nil {
			return nil, fmt.Errorf("encode %s: %w", o.Name, err)
		}
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("encode %s: %w", o.Name, err)
		}
	}
	return b.Bytes(), nil
}
