package keycloak

import (
	"bytes"
	"encoding/json"
	"reflect"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// MarshalTaskDefinition returns in as indented JSON in the shape of the ECS
// API (camelCase keys, unset fields left out, keys sorted), the form
// `aws ecs register-task-definition --cli-input-json` reads.
// Shell commands stay readable: <, > and & are not escaped.
func MarshalTaskDefinition(in *ecs.RegisterTaskDefinitionInput) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(apiValue(reflect.ValueOf(in))); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// apiValue converts an SDK value to plain JSON data: exported struct fields
// under their API names, nil pointers and empty slices and maps dropped
// (nil is returned for them). Map keys are kept as they are.
func apiValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return apiValue(v.Elem())
	case reflect.Struct:
		return apiStruct(v)
	case reflect.Slice, reflect.Map:
		if v.Len() == 0 {
			return nil
		}
		if v.Kind() == reflect.Map {
			return apiMap(v)
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = apiValue(v.Index(i))
		}
		return out
	}
	return v.Interface()
}

func apiStruct(v reflect.Value) any {
	out := map[string]any{}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		field := v.Field(i)
		if !f.IsExported() || (field.Kind() != reflect.Pointer && field.IsZero()) {
			continue // unset: nil, or the zero value of a non-pointer field
		}
		if x := apiValue(field); x != nil {
			out[lowerFirst(f.Name)] = x
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func apiMap(v reflect.Value) any {
	out := map[string]any{}
	for it := v.MapRange(); it.Next(); {
		out[it.Key().String()] = apiValue(it.Value())
	}
	return out
}

// lowerFirst turns a Go field name into its API name: Cpu → cpu.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
