package schema

import (
	"encoding/json"
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
	want := "cluster,instances,machineCidr,namespace,vpc"
	if strings.Join(got, ",") != want {
		t.Errorf("Properties = %v, want %s", got, want)
	}
}
