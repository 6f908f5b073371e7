package protocol

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/model"
)

// form is a query-protocol request body with fast prefix lookups.
type form struct {
	values map[string]string
	keys   []string // sorted
}

func newForm(v url.Values) *form {
	f := &form{values: make(map[string]string, len(v))}
	for k, vs := range v {
		if len(vs) > 0 {
			f.values[k] = vs[0]
		}
		f.keys = append(f.keys, k)
	}
	sort.Strings(f.keys)
	return f
}

// hasPrefix reports whether any key starts with p.
func (f *form) hasPrefix(p string) bool {
	i := sort.SearchStrings(f.keys, p)
	return i < len(f.keys) && strings.HasPrefix(f.keys[i], p)
}

// present reports whether key k or anything below it (k.x) was sent.
func (f *form) present(k string) bool {
	_, ok := f.values[k]
	return ok || f.hasPrefix(k+".")
}

// queryDecoder decodes EC2 query (ec2 true) and AWS query requests.
type queryDecoder struct {
	m   *model.Model
	ec2 bool
	f   *form
}

// DecodeQuery decodes the form of an EC2 query or AWS query request into a
// Tree of the operation's input shape.
func DecodeQuery(m *model.Model, op *model.Operation, values url.Values) (Tree, error) {
	d := &queryDecoder{m: m, ec2: m.Metadata.Protocol == "ec2", f: newForm(values)}
	s := m.Shape(op.Input)
	if s == nil {
		return Tree{}, nil
	}
	t, err := d.structure(s, "")
	if err != nil {
		return nil, err
	}
	if t == nil {
		return Tree{}, nil
	}
	return t.(Tree), nil
}

func (d *queryDecoder) memberKey(name string, r *model.Ref) string {
	if d.ec2 {
		switch {
		case r.QueryName != "":
			return r.QueryName
		case r.LocationName != "":
			return upperFirst(r.LocationName)
		}
		return name
	}
	if r.LocationName != "" {
		return r.LocationName
	}
	return name
}

func (d *queryDecoder) value(s *model.Shape, r *model.Ref, key string) (any, error) {
	switch s.Type {
	case "structure":
		return d.structure(s, key)
	case "list":
		return d.list(s, r, key)
	case "map":
		return d.mapValue(s, r, key)
	}
	raw, ok := d.f.values[key]
	if !ok {
		return nil, nil
	}
	return scalar(s, raw, key)
}

func (d *queryDecoder) structure(s *model.Shape, prefix string) (any, error) {
	if prefix != "" && !d.f.present(prefix) {
		return nil, nil
	}
	t := Tree{}
	for _, name := range s.SortedMembers() {
		r := s.Members[name]
		key := join(prefix, d.memberKey(name, r))
		v, err := d.value(d.m.Shape(r), r, key)
		if err != nil {
			return nil, err
		}
		if v != nil {
			t[name] = v
		}
	}
	return t, nil
}

func (d *queryDecoder) list(s *model.Shape, r *model.Ref, key string) (any, error) {
	if raw, ok := d.f.values[key]; ok && raw == "" {
		return []any{}, nil // an explicitly empty list
	}
	base := key
	if !d.ec2 && !s.Flattened && !r.Flattened {
		name := "member"
		if s.Member.LocationName != "" {
			name = s.Member.LocationName
		}
		base = key + "." + name
	}
	if !d.f.hasPrefix(base + ".") {
		return nil, nil
	}
	elem := d.m.Shape(s.Member)
	var out []any
	for i := 1; ; i++ {
		k := base + "." + strconv.Itoa(i)
		if !d.f.present(k) {
			break
		}
		v, err := d.value(elem, s.Member, k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (d *queryDecoder) mapValue(s *model.Shape, r *model.Ref, key string) (any, error) {
	base := key
	if !s.Flattened && !r.Flattened {
		base = key + ".entry"
	}
	kn, vn := "key", "value"
	if s.Key.LocationName != "" {
		kn = s.Key.LocationName
	}
	if s.Value.LocationName != "" {
		vn = s.Value.LocationName
	}
	if !d.f.hasPrefix(base + ".") {
		return nil, nil
	}
	out := map[string]any{}
	for i := 1; ; i++ {
		entry := base + "." + strconv.Itoa(i)
		k, ok := d.f.values[entry+"."+kn]
		if !ok {
			break
		}
		v, err := d.value(d.m.Shape(s.Value), s.Value, entry+"."+vn)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// scalar parses a wire string of a scalar shape.
func scalar(s *model.Shape, raw, key string) (any, error) {
	switch s.Type {
	case "string":
		return raw, nil
	case "boolean":
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return nil, invalidValue(key, raw)
		}
		return b, nil
	case "integer", "long":
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, invalidValue(key, raw)
		}
		return n, nil
	case "float", "double":
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, invalidValue(key, raw)
		}
		return n, nil
	case "timestamp":
		return parseTime(raw, key)
	case "blob":
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			return nil, invalidValue(key, raw)
		}
		return b, nil
	}
	return raw, nil
}

func parseTime(raw, key string) (any, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z", time.RFC1123} {
		if t, err := time.Parse(layout, raw); err == nil {
			return t.UTC(), nil
		}
	}
	if f, err := strconv.ParseFloat(raw, 64); err == nil {
		return epoch(f), nil
	}
	return nil, invalidValue(key, raw)
}

func epoch(f float64) time.Time {
	sec := int64(f)
	return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC()
}

func invalidValue(key, raw string) error {
	return &api.Error{Code: "InvalidParameterValue", Message: "Value (" + raw + ") for parameter " + key + " is invalid."}
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
