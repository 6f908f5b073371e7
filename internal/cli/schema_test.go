package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// TestSchemaValidatesExamples compiles what `kcstack schema` prints with
// the jsonschema library and validates every example with it.
func TestSchemaValidatesExamples(t *testing.T) {
	code, stdout, stderr := run(t, "schema")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(stdout)))
	if err != nil {
		t.Fatalf("schema output is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("stack.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("stack.schema.json")
	if err != nil {
		t.Fatalf("compile printed schema: %v", err)
	}
	for _, f := range glob(t, "../../examples/*.yaml") {
		if err := sch.Validate(yamlAsJSON(t, f)); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
}

// yamlAsJSON reads a YAML file as the JSON value an editor would check.
func yamlAsJSON(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
