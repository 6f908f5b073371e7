package schema

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestCompiles(t *testing.T) {
	if _, err := Compiled(); err != nil {
		t.Fatal(err)
	}
}

// TestEveryFieldDocumented checks that every property has a description
// and a default, as editors show both.
func TestEveryFieldDocumented(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(JSON(), &root); err != nil {
		t.Fatal(err)
	}
	var walk func(node map[string]any, path []string)
	walk = func(node map[string]any, path []string) {
		node = resolve(root, node)
		props, _ := node["properties"].(map[string]any)
		for name, p := range props {
			sub := resolve(root, p.(map[string]any))
			where := strings.Join(append(path, name), ".")
			if _, ok := sub["description"]; !ok {
				t.Errorf("%s has no description", where)
			}
			if _, ok := sub["default"]; !ok {
				t.Errorf("%s has no default", where)
			}
			walk(sub, append(path, name))
		}
		if items, ok := node["items"].(map[string]any); ok {
			walk(items, append(path, "[]"))
		}
	}
	walk(root, nil)
}

func TestProperties(t *testing.T) {
	got := Properties([]string{"spec", "targets", "3", "rosa"})
	want := "cluster,instances,kubeContext,machineCidr,namespace,vpc"
	if strings.Join(got, ",") != want {
		t.Errorf("Properties = %v, want %s", got, want)
	}
}

// TestEveryValueBounded checks that every string, number, list and map the
// schema accepts has an upper bound (AWS and Keycloak refuse more, and an
// unbounded value is how a file makes apply fail halfway), and that every
// bound names the rule it comes from (x-rule), which validate prints.
func TestEveryValueBounded(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(JSON(), &root); err != nil {
		t.Fatal(err)
	}
	var walk func(node map[string]any, where string)
	walk = func(node map[string]any, where string) {
		node = resolve(root, node)
		checkBounded(t, node, where)
		for name, p := range mapOf(node["properties"]) {
			walk(p.(map[string]any), where+"."+name)
		}
		if items, ok := node["items"].(map[string]any); ok {
			walk(items, where+"[]")
		}
		if add, ok := node["additionalProperties"].(map[string]any); ok {
			walk(add, where+".*")
		}
		if names, ok := node["propertyNames"].(map[string]any); ok {
			walk(map[string]any{"type": "string", "maxLength": names["maxLength"], "x-rule": names["x-rule"]}, where+" (keys)")
		}
	}
	walk(root, "")
}

// checkBounded fails when the value node describes has no upper bound, or
// a bound without its rule.
func checkBounded(t *testing.T, node map[string]any, where string) {
	t.Helper()
	bound := map[string]string{"string": "maxLength", "integer": "maximum", "array": "maxItems"}[fmt.Sprint(node["type"])]
	if node["type"] == "object" && node["additionalProperties"] != false {
		bound = "maxProperties"
	}
	if bound == "" || node["enum"] != nil || node["const"] != nil {
		return
	}
	if node[bound] == nil {
		t.Errorf("%s: a %s without %s", where, node["type"], bound)
		return
	}
	if rule, _ := node["x-rule"].(string); rule == "" {
		t.Errorf("%s: %s without an x-rule naming where the bound comes from", where, bound)
	}
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
