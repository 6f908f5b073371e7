package protocol

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"strings"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/model"
)

// DecodeREST decodes a REST-XML request into a Tree of the operation's
// input shape: URI labels, query string and header members, and the
// payload (raw bytes for blob and string payloads, XML otherwise).
func DecodeREST(m *model.Model, req RESTRequest, r *http.Request, body []byte) (Tree, error) {
	s := m.Shape(req.Op.Input)
	t := Tree{}
	if s == nil {
		return t, nil
	}
	for _, name := range s.SortedMembers() {
		ref := s.Members[name]
		v, err := restMember(m, ref, req, r)
		if err != nil {
			return nil, err
		}
		if v != nil {
			t[name] = v
		}
	}
	if err := decodePayload(m, s, t, body); err != nil {
		return nil, err
	}
	return t, nil
}

// restMember reads one non-body member from the URI, query or headers.
func restMember(m *model.Model, ref *model.Ref, req RESTRequest, r *http.Request) (any, error) {
	shape := m.Shape(ref)
	key := ref.LocationName
	switch ref.Location {
	case "uri":
		v, ok := req.Labels[key]
		if !ok {
			return nil, nil
		}
		return scalar(shape, v, key)
	case "querystring":
		vs, ok := r.URL.Query()[key]
		if !ok || len(vs) == 0 {
			return nil, nil
		}
		if shape.Type == "list" {
			out := make([]any, len(vs))
			for i, v := range vs {
				out[i] = v
			}
			return out, nil
		}
		return scalar(shape, vs[0], key)
	case "header":
		v := r.Header.Get(key)
		if v == "" {
			return nil, nil
		}
		return headerScalar(shape, v, key)
	case "headers":
		out := map[string]any{}
		for k, vs := range r.Header {
			if rest, ok := strings.CutPrefix(strings.ToLower(k), strings.ToLower(key)); ok && len(vs) > 0 {
				out[rest] = vs[0]
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	return nil, nil
}

func headerScalar(s *model.Shape, v, key string) (any, error) {
	if s.Type == "timestamp" {
		if t, err := http.ParseTime(v); err == nil {
			return t.UTC(), nil
		}
	}
	if s.Type == "list" {
		var out []any
		for _, part := range strings.Split(v, ",") {
			out = append(out, strings.TrimSpace(part))
		}
		return out, nil
	}
	return scalar(s, v, key)
}

// decodePayload fills the payload member (or the body members) of t.
func decodePayload(m *model.Model, s *model.Shape, t Tree, body []byte) error {
	if s.Payload != "" {
		ref := s.Members[s.Payload]
		ps := m.Shape(ref)
		switch ps.Type {
		case "blob":
			t[s.Payload] = body
			return nil
		case "string":
			if len(body) > 0 {
				t[s.Payload] = string(body)
			}
			return nil
		}
		if len(bytes.TrimSpace(body)) == 0 {
			return nil
		}
		root, err := parseXML(body)
		if err != nil {
			return err
		}
		v, err := fromXML(m, ps, root)
		if err != nil {
			return err
		}
		t[s.Payload] = v
	}
	return nil
}

// xnode is one parsed XML element.
type xnode struct {
	name     string
	text     string
	children []*xnode
}

func (n *xnode) child(name string) *xnode {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func parseXML(body []byte) (*xnode, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var stack []*xnode
	var root *xnode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, malformedXML()
		}
		switch tt := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tt.Name.Local}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tt)
			}
		}
	}
	if root == nil {
		return nil, malformedXML()
	}
	return root, nil
}

func malformedXML() error {
	return &api.Error{Code: "MalformedXML", Message: "The XML you provided was not well-formed or did not validate against our published schema"}
}

// fromXML decodes an element into a value of shape s.
func fromXML(m *model.Model, s *model.Shape, n *xnode) (any, error) {
	switch s.Type {
	case "structure":
		return structFromXML(m, s, n)
	case "list":
		item := "member"
		if s.Member.LocationName != "" {
			item = s.Member.LocationName
		}
		list, err := elementsFromXML(m, m.Shape(s.Member), n, item)
		if list == nil && err == nil {
			list = []any{}
		}
		return list, err
	case "map":
		out := map[string]any{}
		for _, e := range n.children {
			k, v := e.child("key"), e.child("value")
			if k == nil || v == nil {
				continue
			}
			val, err := fromXML(m, m.Shape(s.Value), v)
			if err != nil {
				return nil, err
			}
			out[strings.TrimSpace(k.text)] = val
		}
		return out, nil
	}
	v, err := scalar(s, strings.TrimSpace(n.text), n.name)
	if err != nil {
		return nil, malformedXML()
	}
	return v, nil
}

// structFromXML decodes the members of a structure element; flattened
// lists are the member's repeated elements directly inside it.
func structFromXML(m *model.Model, s *model.Shape, n *xnode) (any, error) {
	t := Tree{}
	for _, name := range s.SortedMembers() {
		ref := s.Members[name]
		el := name
		if ref.LocationName != "" {
			el = ref.LocationName
		}
		ms := m.Shape(ref)
		if ms.Type == "list" && (ms.Flattened || ref.Flattened) {
			list, err := elementsFromXML(m, m.Shape(ms.Member), n, el)
			if err != nil {
				return nil, err
			}
			if list != nil {
				t[name] = list
			}
			continue
		}
		c := n.child(el)
		if c == nil {
			continue
		}
		v, err := fromXML(m, ms, c)
		if err != nil {
			return nil, err
		}
		t[name] = v
	}
	return t, nil
}

// elementsFromXML decodes the children of n named item.
func elementsFromXML(m *model.Model, s *model.Shape, n *xnode, item string) ([]any, error) {
	var list []any
	for _, c := range n.children {
		if c.name != item {
			continue
		}
		v, err := fromXML(m, s, c)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, nil
}
