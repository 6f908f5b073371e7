package stack

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/schema"
)

// TestSchemaMatchesTypes walks the Go types by their yaml tags and the
// schema by its properties, both ways, so neither can gain a field the
// other lacks, and checks that each field's JSON type agrees.
func TestSchemaMatchesTypes(t *testing.T) {
	walkType(t, reflect.TypeFor[Stack](), nil)
}

func walkType(t *testing.T, typ reflect.Type, path []string) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	node := schema.Lookup(path)
	where := "/" + strings.Join(path, "/")
	if node == nil {
		t.Errorf("schema has no %s (Go type %s)", where, typ)
		return
	}
	if want, got := jsonType(typ), node["type"]; got != want {
		t.Errorf("%s: schema type %v, Go type %s (%s)", where, got, typ, want)
	}
	switch typ.Kind() {
	case reflect.Struct:
		walkStruct(t, typ, path, node)
	case reflect.Slice:
		walkType(t, typ.Elem(), append(slices.Clone(path), "0"))
	case reflect.Map:
		walkType(t, typ.Elem(), append(slices.Clone(path), "any-key"))
	}
}

func walkStruct(t *testing.T, typ reflect.Type, path []string, node map[string]any) {
	t.Helper()
	var goNames []string
	for f := range typ.Fields() {
		if !f.IsExported() {
			continue // not part of the file (Stack's source)
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		jsonName, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != jsonName {
			t.Errorf("%s.%s: yaml tag %q, json tag %q", typ, f.Name, name, jsonName)
		}
		goNames = append(goNames, name)
		walkType(t, f.Type, append(slices.Clone(path), name))
	}
	if node["additionalProperties"] != false {
		t.Errorf("/%s: additionalProperties is not false", strings.Join(path, "/"))
	}
	slices.Sort(goNames)
	if diff := cmp.Diff(goNames, schema.Properties(path)); diff != "" {
		t.Errorf("/%s: Go fields vs schema properties (-go +schema):\n%s", strings.Join(path, "/"), diff)
	}
}

func jsonType(typ reflect.Type) string {
	switch typ.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice:
		return "array"
	case reflect.String:
		return "string"
	case reflect.Int:
		return "integer"
	case reflect.Bool:
		return "boolean"
	}
	return typ.Kind().String()
}
