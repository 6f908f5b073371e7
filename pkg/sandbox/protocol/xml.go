package protocol

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"sort"
	"strconv"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/model"
)

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// EncodeXML encodes an output tree as the XML body of an EC2 query or AWS
// query response.
func EncodeXML(m *model.Model, op *model.Operation, out Tree, requestID string) []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	e := &xmlEncoder{m: m, ec2: m.Metadata.Protocol == "ec2", b: &b}
	root := op.Name + "Response"
	b.WriteString("<" + root + ` xmlns="` + m.Metadata.XMLNamespace + `">`)
	s := m.Shape(op.Output)
	if e.ec2 {
		b.WriteString("<requestId>" + requestID + "</requestId>")
		if s == nil {
			b.WriteString("<return>true</return>")
		} else {
			e.members(s, out)
		}
	} else {
		if s != nil {
			wrapper := op.Output.ResultWrapper
			if wrapper == "" {
				wrapper = op.Name + "Result"
			}
			b.WriteString("<" + wrapper + ">")
			e.members(s, out)
			b.WriteString("</" + wrapper + ">")
		}
		b.WriteString("<ResponseMetadata><RequestId>" + requestID + "</RequestId></ResponseMetadata>")
	}
	b.WriteString("</" + root + ">")
	return b.Bytes()
}

type xmlEncoder struct {
	m   *model.Model
	ec2 bool
	b   *bytes.Buffer
}

func (e *xmlEncoder) members(s *model.Shape, t map[string]any) {
	for _, name := range s.SortedMembers() {
		r := s.Members[name]
		v, ok := lookup(t, name)
		if !ok || v == nil {
			continue
		}
		el := name
		if r.LocationName != "" {
			el = r.LocationName
		}
		e.value(e.m.Shape(r), r, el, v)
	}
}

func (e *xmlEncoder) value(s *model.Shape, r *model.Ref, el string, v any) {
	switch s.Type {
	case "structure":
		t, _ := v.(map[string]any)
		e.open(el)
		e.members(s, t)
		e.close(el)
	case "list":
		e.list(s, r, el, v)
	case "map":
		e.mapValue(s, r, el, v)
	default:
		e.open(el)
		e.text(s, r, v)
		e.close(el)
	}
}

func (e *xmlEncoder) list(s *model.Shape, r *model.Ref, el string, v any) {
	list, _ := v.([]any)
	item := "member"
	if e.ec2 {
		item = "item"
	}
	if s.Member.LocationName != "" {
		item = s.Member.LocationName
	}
	elem := e.m.Shape(s.Member)
	if s.Flattened || r.Flattened {
		for _, x := range list {
			e.value(elem, s.Member, el, x)
		}
		return
	}
	e.open(el)
	for _, x := range list {
		e.value(elem, s.Member, item, x)
	}
	e.close(el)
}

func (e *xmlEncoder) mapValue(s *model.Shape, r *model.Ref, el string, v any) {
	mm, _ := v.(map[string]any)
	kn, vn := "key", "value"
	if s.Key.LocationName != "" {
		kn = s.Key.LocationName
	}
	if s.Value.LocationName != "" {
		vn = s.Value.LocationName
	}
	keys := make([]string, 0, len(mm))
	for k := range mm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	flat := s.Flattened || r.Flattened
	if !flat {
		e.open(el)
	}
	for _, k := range keys {
		entry := "entry"
		if flat {
			entry = el
		}
		e.open(entry)
		e.value(e.m.Shape(s.Key), s.Key, kn, k)
		e.value(e.m.Shape(s.Value), s.Value, vn, mm[k])
		e.close(entry)
	}
	if !flat {
		e.close(el)
	}
}

func (e *xmlEncoder) text(s *model.Shape, r *model.Ref, v any) {
	var str string
	switch x := v.(type) {
	case string:
		str = x
	case bool:
		str = strconv.FormatBool(x)
	case int64:
		str = strconv.FormatInt(x, 10)
	case float64:
		str = strconv.FormatFloat(x, 'f', -1, 64)
	case []byte:
		str = base64.StdEncoding.EncodeToString(x)
	case time.Time:
		str = formatTime(x, s, r)
	}
	_ = xml.EscapeText(e.b, []byte(str))
}

func formatTime(t time.Time, s *model.Shape, r *model.Ref) string {
	format := s.TimestampFormat
	if r != nil && r.TimestampFormat != "" {
		format = r.TimestampFormat
	}
	switch format {
	case "rfc822":
		return t.UTC().Format(time.RFC1123)
	case "unixTimestamp":
		return strconv.FormatInt(t.Unix(), 10)
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func (e *xmlEncoder) open(el string)  { e.b.WriteString("<" + el + ">") }
func (e *xmlEncoder) close(el string) { e.b.WriteString("</" + el + ">") }
