package strictjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// UnknownKeyError is a key of the JSON that the destination type has no
// field for. Path is the key's JSON path, dot-separated.
type UnknownKeyError struct {
	Path string
}

func (e *UnknownKeyError) Error() string {
	return fmt.Sprintf("unknown key %s", e.Path)
}

// Decode decodes data into v, a pointer, refusing unknown keys at any
// depth with an *UnknownKeyError whose path starts with prefix. Other
// decoding errors are returned as encoding/json gives them.
func Decode(data []byte, v any, prefix string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil || !strings.HasPrefix(err.Error(), "json: unknown field ") {
		return err
	}
	var tree any
	if json.Unmarshal(data, &tree) == nil {
		if path, ok := unknown(tree, reflect.TypeOf(v), prefix); ok {
			return &UnknownKeyError{Path: path}
		}
	}
	// The type has a custom decoder the walk cannot see through: keep
	// encoding/json's words, which name the key but not its place.
	return &UnknownKeyError{Path: join(prefix, strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))}
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

// unknown finds the first key of tree (in sorted order) that t does not
// know, returning its path.
func unknown(tree any, t reflect.Type, path string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		return "", false
	}
	switch node := tree.(type) {
	case map[string]any:
		return unknownInObject(node, t, path)
	case []any:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return "", false
		}
		for i, el := range node {
			if p, ok := unknown(el, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); ok {
				return p, true
			}
		}
	}
	return "", false
}

func unknownInObject(node map[string]any, t reflect.Type, path string) (string, bool) {
	keys := make([]string, 0, len(node))
	for k := range node {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var elem reflect.Type
		switch t.Kind() {
		case reflect.Map:
			elem = t.Elem()
		case reflect.Struct:
			f, ok := field(t, k)
			if !ok {
				return join(path, k), true
			}
			elem = f
		default:
			return "", false
		}
		if p, ok := unknown(node[k], elem, join(path, k)); ok {
			return p, true
		}
	}
	return "", false
}

// field finds the type of the struct field that encoding/json decodes key
// into: an exact name match first, then a case-insensitive one, looking
// into embedded structs.
func field(t reflect.Type, key string) (reflect.Type, bool) {
	var fold reflect.Type
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			if tag == "-" {
				continue
			}
			if n, _, _ := strings.Cut(tag, ","); n != "" {
				name = n
			}
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			continue // its fields are visible themselves
		}
		if name == key {
			return f.Type, true
		}
		if fold == nil && strings.EqualFold(name, key) {
			fold = f.Type
		}
	}
	return fold, fold != nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
