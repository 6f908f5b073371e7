package protocol

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
)

// Tree is the protocol-neutral form of a structure: member name → value.
type Tree = map[string]any

var timeType = reflect.TypeOf(time.Time{})

// fieldIndex maps lower-cased Go field names of a struct type to their
// index. SDK field names are the model's member names with the first letter
// upper-cased, so a case-insensitive match is exact for every model.
var fieldIndex sync.Map // reflect.Type → map[string]int

func fieldsOf(t reflect.Type) map[string]int {
	if m, ok := fieldIndex.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() {
			m[strings.ToLower(f.Name)] = i
		}
	}
	fieldIndex.Store(t, m)
	return m
}

// ToStruct fills the struct dst points at from tree t.
func ToStruct(t Tree, dst any) error {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("destination must be a pointer to a struct, got %T", dst)
	}
	return assign(v.Elem(), t, "")
}

func assign(dst reflect.Value, v any, path string) error {
	if v == nil {
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		elem := reflect.New(dst.Type().Elem())
		if err := assign(elem.Elem(), v, path); err != nil {
			return err
		}
		dst.Set(elem)
		return nil
	case reflect.Struct:
		return assignStruct(dst, v, path)
	case reflect.Slice:
		return assignSlice(dst, v, path)
	case reflect.Map:
		return assignMap(dst, v, path)
	case reflect.Interface:
		return nil // unions and documents are not used by the emulated operations
	}
	return assignScalar(dst, v, path)
}

func assignStruct(dst reflect.Value, v any, path string) error {
	if dst.Type() == timeType {
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%s: expected a timestamp, got %T", path, v)
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: expected a structure, got %T", path, v)
	}
	fields := fieldsOf(dst.Type())
	for k, x := range m {
		i, ok := fields[strings.ToLower(k)]
		if !ok {
			continue
		}
		if err := assign(dst.Field(i), x, join(path, k)); err != nil {
			return err
		}
	}
	return nil
}

func assignSlice(dst reflect.Value, v any, path string) error {
	if dst.Type().Elem().Kind() == reflect.Uint8 {
		b, ok := v.([]byte)
		if !ok {
			return fmt.Errorf("%s: expected a blob, got %T", path, v)
		}
		dst.SetBytes(b)
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("%s: expected a list, got %T", path, v)
	}
	out := reflect.MakeSlice(dst.Type(), len(list), len(list))
	for i, x := range list {
		if err := assign(out.Index(i), x, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	dst.Set(out)
	return nil
}

func assignMap(dst reflect.Value, v any, path string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: expected a map, got %T", path, v)
	}
	out := reflect.MakeMapWithSize(dst.Type(), len(m))
	for k, x := range m {
		val := reflect.New(dst.Type().Elem()).Elem()
		if err := assign(val, x, join(path, k)); err != nil {
			return err
		}
		out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), val)
	}
	dst.Set(out)
	return nil
}

func assignScalar(dst reflect.Value, v any, path string) error {
	switch dst.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: expected a string, got %T", path, v)
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%s: expected a boolean, got %T", path, v)
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%s: expected an integer, got %T", path, v)
		}
		if dst.OverflowInt(n) {
			return fmt.Errorf("%s: %d is out of range", path, n)
		}
		dst.SetInt(n)
	case reflect.Float32, reflect.Float64:
		switch n := v.(type) {
		case float64:
			dst.SetFloat(n)
		case int64:
			dst.SetFloat(float64(n))
		default:
			return fmt.Errorf("%s: expected a number, got %T", path, v)
		}
	default:
		return fmt.Errorf("%s: unsupported field kind %s", path, dst.Kind())
	}
	return nil
}

// FromStruct converts an SDK output struct (or pointer to one) to a Tree
// keyed by Go field names; encoders match them to member names.
func FromStruct(src any) Tree {
	v := reflect.ValueOf(src)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return Tree{}
		}
		v = v.Elem()
	}
	t, _ := value(v).(map[string]any)
	if t == nil {
		return Tree{}
	}
	return t
}

func value(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return value(v.Elem())
	case reflect.Struct:
		return structValue(v)
	case reflect.Slice:
		return sliceValue(v)
	case reflect.Map:
		return mapValue(v)
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return nil
}

func structValue(v reflect.Value) any {
	if v.Type() == timeType {
		return v.Interface().(time.Time)
	}
	m := map[string]any{}
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() || unsetEnum(f) {
			continue
		}
		if x := value(f); x != nil {
			m[v.Type().Field(i).Name] = x
		}
	}
	return m
}

// unsetEnum reports whether f is an SDK enum (a named string type, not a
// pointer) left empty: AWS omits such members rather than sending "".
func unsetEnum(f reflect.Value) bool {
	return f.Kind() == reflect.String && f.Type().Name() != "string" && f.String() == ""
}

func sliceValue(v reflect.Value) any {
	if v.IsNil() {
		return nil
	}
	if v.Type().Elem().Kind() == reflect.Uint8 {
		return v.Bytes()
	}
	list := make([]any, 0, v.Len())
	for i := 0; i < v.Len(); i++ {
		list = append(list, value(v.Index(i)))
	}
	return list
}

func mapValue(v reflect.Value) any {
	if v.IsNil() {
		return nil
	}
	m := make(map[string]any, v.Len())
	iter := v.MapRange()
	for iter.Next() {
		m[iter.Key().String()] = value(iter.Value())
	}
	return m
}

// lookup finds member name in t, case-insensitively (trees from
// FromStruct are keyed by Go field names).
func lookup(t map[string]any, name string) (any, bool) {
	if v, ok := t[name]; ok {
		return v, true
	}
	for k, v := range t {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
