package protocol

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/model"
)

// DecodeJSON decodes an AWS JSON 1.0/1.1 request body into a Tree of the
// operation's input shape.
func DecodeJSON(m *model.Model, op *model.Operation, body []byte) (Tree, error) {
	s := m.Shape(op.Input)
	if s == nil || len(bytes.TrimSpace(body)) == 0 {
		return Tree{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return nil, &api.Error{Code: "SerializationException", Message: "Start of structure or map found where not expected."}
	}
	v, err := fromJSON(m, s, raw, "")
	if err != nil {
		return nil, err
	}
	t, _ := v.(Tree)
	if t == nil {
		return Tree{}, nil
	}
	return t, nil
}

func fromJSON(m *model.Model, s *model.Shape, raw any, path string) (any, error) {
	if raw == nil {
		return nil, nil
	}
	switch s.Type {
	case "structure":
		obj, ok := raw.(map[string]any)
		if !ok {
			return nil, serialization(path, "structure")
		}
		t := Tree{}
		for name, r := range s.Members {
			v, err := fromJSON(m, m.Shape(r), obj[name], join(path, name))
			if err != nil {
				return nil, err
			}
			if v != nil {
				t[name] = v
			}
		}
		return t, nil
	case "list":
		arr, ok := raw.([]any)
		if !ok {
			return nil, serialization(path, "list")
		}
		out := make([]any, 0, len(arr))
		for i, x := range arr {
			v, err := fromJSON(m, m.Shape(s.Member), x, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case "map":
		obj, ok := raw.(map[string]any)
		if !ok {
			return nil, serialization(path, "map")
		}
		out := map[string]any{}
		for k, x := range obj {
			v, err := fromJSON(m, m.Shape(s.Value), x, join(path, k))
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	}
	return jsonScalar(s, raw, path)
}

func jsonScalar(s *model.Shape, raw any, path string) (any, error) {
	switch s.Type {
	case "string":
		if v, ok := raw.(string); ok {
			return v, nil
		}
	case "boolean":
		if v, ok := raw.(bool); ok {
			return v, nil
		}
	case "integer", "long":
		if n, ok := raw.(json.Number); ok {
			if v, err := n.Int64(); err == nil {
				return v, nil
			}
		}
	case "float", "double":
		if n, ok := raw.(json.Number); ok {
			if v, err := n.Float64(); err == nil {
				return v, nil
			}
		}
	case "timestamp":
		switch v := raw.(type) {
		case json.Number:
			if f, err := v.Float64(); err == nil {
				return epoch(f), nil
			}
		case string:
			return parseTime(v, path)
		}
	case "blob":
		if v, ok := raw.(string); ok {
			if b, err := base64.StdEncoding.DecodeString(v); err == nil {
				return b, nil
			}
		}
	}
	return nil, serialization(path, s.Type)
}

func serialization(path, want string) error {
	return &api.Error{Code: "SerializationException", Message: fmt.Sprintf("Unexpected value for %s: expected %s", path, want)}
}

// EncodeJSON encodes an output tree as the JSON body of a response.
func EncodeJSON(m *model.Model, op *model.Operation, out Tree) []byte {
	s := m.Shape(op.Output)
	if s == nil {
		return []byte("{}")
	}
	b, err := json.Marshal(toJSON(m, s, out))
	if err != nil {
		return []byte("{}") // every value toJSON produces is marshalable
	}
	return b
}

func toJSON(m *model.Model, s *model.Shape, v any) any {
	switch s.Type {
	case "structure":
		t, _ := v.(map[string]any)
		obj := map[string]any{}
		for name, r := range s.Members {
			if x, ok := lookup(t, name); ok && x != nil {
				obj[name] = toJSON(m, m.Shape(r), x)
			}
		}
		return obj
	case "list":
		list, _ := v.([]any)
		out := make([]any, 0, len(list))
		for _, x := range list {
			out = append(out, toJSON(m, m.Shape(s.Member), x))
		}
		return out
	case "map":
		mm, _ := v.(map[string]any)
		out := map[string]any{}
		for k, x := range mm {
			out[k] = toJSON(m, m.Shape(s.Value), x)
		}
		return out
	case "timestamp":
		if t, ok := v.(time.Time); ok {
			return json.Number(fmt.Sprintf("%.3f", float64(t.UnixMilli())/1000))
		}
	case "blob":
		if b, ok := v.([]byte); ok {
			return base64.StdEncoding.EncodeToString(b)
		}
	case "double", "float":
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return nil
		}
	}
	return v
}
