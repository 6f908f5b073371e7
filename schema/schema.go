package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed stack.schema.json
var raw []byte

// URL is the $id of the embedded schema.
const URL = "https://kcstack.io/schema/v1alpha1/stack.schema.json"

// JSON returns a copy of the embedded schema document.
func JSON() []byte { return bytes.Clone(raw) }

var compiled = sync.OnceValues(compile)

// Compiled returns the embedded schema, compiled once per process.
func Compiled() (*jsonschema.Schema, error) { return compiled() }

func compile() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse embedded schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(URL, doc); err != nil {
		return nil, fmt.Errorf("add embedded schema: %w", err)
	}
	sch, err := c.Compile(URL)
	if err != nil {
		return nil, fmt.Errorf("compile embedded schema: %w", err)
	}
	return sch, nil
}

// Validate checks doc, a value made of map[string]any, []any, string,
// bool, nil and numbers, against the schema. It returns nil when doc is
// valid, a *jsonschema.ValidationError when it is not, and another error
// only when the embedded schema itself is broken.
func Validate(doc any) error {
	sch, err := Compiled()
	if err != nil {
		return err
	}
	return sch.Validate(doc)
}

var document = sync.OnceValues(func() (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("parse embedded schema: %w", err)
	}
	return m, nil
})

// Properties returns the sorted property names the schema allows for the
// object at the instance location path (JSON pointer tokens, array indexes
// as decimal strings), or nil when that location is not an object with
// fixed properties. It serves "did you mean" suggestions.
func Properties(path []string) []string {
	node := Lookup(path)
	props, _ := node["properties"].(map[string]any)
	if props == nil {
		return nil
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Lookup returns the schema object describing the instance location path,
// with $ref resolved, or nil when the schema does not describe it.
func Lookup(path []string) map[string]any {
	root, err := document()
	if err != nil {
		return nil
	}
	node := resolve(root, root)
	for _, tok := range path {
		node = child(root, node, tok)
		if node == nil {
			return nil
		}
	}
	return node
}

// child steps from node to the schema of its property or item tok.
func child(root, node map[string]any, tok string) map[string]any {
	if props, ok := node["properties"].(map[string]any); ok {
		if sub, ok := props[tok].(map[string]any); ok {
			return resolve(root, sub)
		}
	}
	if items, ok := node["items"].(map[string]any); ok {
		return resolve(root, items)
	}
	if add, ok := node["additionalProperties"].(map[string]any); ok {
		return resolve(root, add)
	}
	return nil
}

// resolve follows local $refs ("#/$defs/name"), merging the referring
// object's own keywords (description, default) over the target's.
func resolve(root, node map[string]any) map[string]any {
	for range 16 {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		target := pointer(root, ref)
		if target == nil {
			return node
		}
		merged := make(map[string]any, len(target)+len(node))
		for k, v := range target {
			merged[k] = v
		}
		for k, v := range node {
			if k != "$ref" {
				merged[k] = v
			}
		}
		node = merged
	}
	return node
}

func pointer(root map[string]any, ref string) map[string]any {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	node := root
	for _, tok := range strings.Split(rest, "/") {
		next, ok := node[tok].(map[string]any)
		if !ok {
			return nil
		}
		node = next
	}
	return node
}
