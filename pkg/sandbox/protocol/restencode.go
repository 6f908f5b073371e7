package protocol

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/model"
)

// restRoots are the root elements of REST-XML output bodies whose shape
// does not name them.
var restRoots = map[string]string{
	"ListBucketsOutput":       "ListAllMyBucketsResult",
	"ListObjectsV2Output":     "ListBucketResult",
	"ListObjectsOutput":       "ListBucketResult",
	"GetBucketTaggingOutput":  "Tagging",
	"DeleteObjectsOutput":     "DeleteResult",
	"GetBucketLocationOutput": "LocationConstraint",
}

// EncodeREST encodes an output tree as a REST-XML response: header members
// as headers, the payload member (or the body members) as the body, and
// the operation's response code.
func EncodeREST(m *model.Model, op *model.Operation, out Tree) Response {
	status := op.HTTP.ResponseCode
	if status == 0 {
		status = http.StatusOK
	}
	resp := Response{Status: status, ContentType: "application/xml", Headers: map[string]string{}}
	s := m.Shape(op.Output)
	if s == nil {
		return resp
	}
	out, _ = pruneUnset(m, s, out).(map[string]any)
	for _, name := range s.SortedMembers() {
		ref := s.Members[name]
		v, ok := lookup(out, name)
		if !ok || v == nil {
			continue
		}
		switch ref.Location {
		case "header":
			resp.Headers[ref.LocationName] = headerText(m.Shape(ref), ref, v)
		case "headers":
			mm, _ := v.(map[string]any)
			for k, x := range mm {
				resp.Headers[ref.LocationName+k] = fmt.Sprint(x)
			}
		}
	}
	resp.Body = restBody(m, s, out)
	if resp.Body == nil && status == http.StatusOK {
		resp.ContentType = ""
	}
	return resp
}

// pruneUnset drops the empty strings of enum members from an output tree:
// SDK structs hold unset enums as "", which AWS never sends (an empty
// header or element).
func pruneUnset(m *model.Model, s *model.Shape, v any) any {
	switch s.Type {
	case "structure":
		t, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(t))
		for k, x := range t {
			name, ref := memberOf(s, k)
			if ref == nil {
				out[k] = x
				continue
			}
			ms := m.Shape(ref)
			if str, isString := x.(string); isString && str == "" && len(ms.Enum) > 0 {
				continue
			}
			out[name] = pruneUnset(m, ms, x)
		}
		return out
	case "list":
		list, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(list))
		for i, x := range list {
			out[i] = pruneUnset(m, m.Shape(s.Member), x)
		}
		return out
	}
	return v
}

// memberOf finds the member a tree key (a Go field name) stands for.
func memberOf(s *model.Shape, key string) (string, *model.Ref) {
	if r, ok := s.Members[key]; ok {
		return key, r
	}
	for name, r := range s.Members {
		if strings.EqualFold(name, key) {
			return name, r
		}
	}
	return key, nil
}

func headerText(s *model.Shape, ref *model.Ref, v any) string {
	switch x := v.(type) {
	case time.Time:
		if s.TimestampFormat == "" && ref.TimestampFormat == "" {
			return x.UTC().Format(http.TimeFormat)
		}
		return formatTime(x, s, ref)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = fmt.Sprint(p)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// restBody is the body of a REST-XML response.
func restBody(m *model.Model, s *model.Shape, out Tree) []byte {
	if s.Payload != "" {
		ref := s.Members[s.Payload]
		v, ok := lookup(out, s.Payload)
		if !ok || v == nil {
			return nil
		}
		ps := m.Shape(ref)
		switch x := v.(type) {
		case []byte:
			return x
		case string:
			return []byte(x)
		}
		root := ps.Name
		if ref.LocationName != "" {
			root = ref.LocationName
		}
		t, _ := v.(map[string]any)
		return xmlDocument(m, ps, root, t)
	}
	hasBody := false
	for _, ref := range s.Members {
		hasBody = hasBody || ref.Location == ""
	}
	if !hasBody {
		return nil
	}
	root, ok := restRoots[s.Name]
	if !ok {
		root = strings.TrimSuffix(s.Name, "Output")
	}
	return xmlDocument(m, s, root, out)
}

func xmlDocument(m *model.Model, s *model.Shape, root string, t map[string]any) []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	e := &xmlEncoder{m: m, b: &b}
	ns := m.Metadata.XMLNamespace
	if ns == "" && m.Metadata.EndpointPrefix == "s3" {
		ns = "http://s3.amazonaws.com/doc/2006-03-01/"
	}
	b.WriteString("<" + root + ` xmlns="` + ns + `">`)
	for _, name := range s.SortedMembers() {
		ref := s.Members[name]
		if ref.Location != "" {
			continue
		}
		v, ok := lookup(t, name)
		if !ok || v == nil {
			continue
		}
		el := name
		if ref.LocationName != "" {
			el = ref.LocationName
		}
		e.value(m.Shape(ref), ref, el, v)
	}
	b.WriteString("</" + root + ">")
	return b.Bytes()
}

// RESTErrorResponse encodes err as an S3-style error document. Bucket and
// key name the resource for the errors that carry them; HEAD responses
// have no body.
func RESTErrorResponse(err *api.Error, requestID string, labels map[string]string, head bool) Response {
	e := restError(err)
	resp := Response{Status: e.HTTPStatus(), ContentType: "application/xml", Headers: map[string]string{"x-amz-request-id": requestID, "x-amz-id-2": requestID}}
	if head {
		resp.ContentType = ""
		return resp
	}
	var b bytes.Buffer
	b.WriteString(xmlHeader + "<Error><Code>")
	_ = xml.EscapeText(&b, []byte(e.Code))
	b.WriteString("</Code><Message>")
	_ = xml.EscapeText(&b, []byte(e.Message))
	b.WriteString("</Message>")
	switch {
	case strings.HasPrefix(e.Code, "NoSuchKey"):
		b.WriteString("<Key>")
		_ = xml.EscapeText(&b, []byte(labels["Key"]))
		b.WriteString("</Key>")
	case strings.Contains(e.Code, "Bucket") && labels["Bucket"] != "":
		b.WriteString("<BucketName>")
		_ = xml.EscapeText(&b, []byte(labels["Bucket"]))
		b.WriteString("</BucketName>")
	}
	b.WriteString("<RequestId>" + requestID + "</RequestId><HostId>" + requestID + "</HostId></Error>")
	resp.Body = b.Bytes()
	return resp
}

// restError maps the front end's protocol-neutral errors to S3's codes.
func restError(err *api.Error) *api.Error {
	switch err.Code {
	case "ThrottlingException":
		return &api.Error{Code: "SlowDown", Message: "Please reduce your request rate.", Status: http.StatusServiceUnavailable}
	case "InternalFailure":
		return &api.Error{Code: "InternalError", Message: "We encountered an internal error. Please try again.", Status: http.StatusInternalServerError}
	case "UnknownOperationException", "InvalidAction":
		return &api.Error{Code: "NotImplemented", Message: "A header you provided implies functionality that is not implemented.", Status: http.StatusNotImplemented}
	}
	return err
}
