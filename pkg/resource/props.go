package resource

import (
	"bytes"
	"encoding/json"
)

// MarshalJSON writes a Ref as {"$ref": {"address": ..., "attr": ...}} so
// that props round-trip through plan files.
func (r Ref) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"$ref": map[string]string{"address": r.Address, "attr": r.Attr}})
}

// UnmarshalJSON restores props with their Go types: integers as int64,
// lists as []any, maps as map[string]any, and Refs.
func (p *Props) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	if raw == nil {
		*p = nil
		return nil
	}
	out := make(Props, len(raw))
	for k, v := range raw {
		out[k] = restore(v)
	}
	*p = out
	return nil
}

func restore(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		for i := range x {
			x[i] = restore(x[i])
		}
		return x
	case map[string]any:
		if ref, ok := asRef(x); ok {
			return ref
		}
		for k := range x {
			x[k] = restore(x[k])
		}
		return x
	}
	return v
}

func asRef(m map[string]any) (Ref, bool) {
	inner, ok := m["$ref"].(map[string]any)
	if !ok || len(m) != 1 {
		return Ref{}, false
	}
	addr, _ := inner["address"].(string)
	attr, _ := inner["attr"].(string)
	return Ref{Address: addr, Attr: attr}, true
}
