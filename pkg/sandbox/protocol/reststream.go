package protocol

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Stream is an io.ReadCloser over bytes. Services return it in streaming
// output members (S3 GetObject's Body): FromStruct sees it as a blob, so
// the REST encoders can send it as the response body.
type Stream []byte

// Read implements io.Reader, consuming the stream.
func (s *Stream) Read(p []byte) (int, error) {
	if len(*s) == 0 {
		return 0, io.EOF
	}
	n := copy(p, *s)
	*s = (*s)[n:]
	return n, nil
}

// Close implements io.Closer.
func (s *Stream) Close() error { return nil }

// NewStream returns a Stream over a copy of b.
func NewStream(b []byte) *Stream {
	s := Stream(bytes.Clone(b))
	return &s
}

// FillReaders sets the io.Reader fields of the input struct dst points at
// (streaming payloads such as S3 PutObject's Body, which ToStruct leaves
// alone) from the []byte values of t.
func FillReaders(t Tree, dst any) {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return
	}
	v = v.Elem()
	reader := reflect.TypeOf((*io.Reader)(nil)).Elem()
	for k, x := range t {
		b, ok := x.([]byte)
		if !ok {
			continue
		}
		i, found := fieldsOf(v.Type())[strings.ToLower(k)]
		if !found {
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.Interface && reader.Implements(f.Type()) || f.Kind() == reflect.Interface && f.Type().Implements(reader) {
			f.Set(reflect.ValueOf(NewStream(b)))
		}
	}
}

// DecodeAWSChunked returns the payload of an aws-chunked body (SigV4
// streaming uploads: "<hex size>[;chunk-signature=…]\r\n<data>\r\n" … then
// a zero-size chunk and optional trailers).
func DecodeAWSChunked(body []byte) ([]byte, error) {
	var out bytes.Buffer
	rest := body
	for {
		line, after, ok := bytes.Cut(rest, []byte("\r\n"))
		if !ok {
			return nil, &api.Error{Code: "IncompleteBody", Message: "The request body terminated unexpectedly"}
		}
		sizeText, _, _ := bytes.Cut(line, []byte(";"))
		size, err := strconv.ParseInt(strings.TrimSpace(string(sizeText)), 16, 64)
		if err != nil || size < 0 || int64(len(after)) < size {
			return nil, &api.Error{Code: "IncompleteBody", Message: "The request body terminated unexpectedly"}
		}
		if size == 0 {
			return out.Bytes(), nil
		}
		out.Write(after[:size])
		rest = bytes.TrimPrefix(after[size:], []byte("\r\n"))
	}
}

// IsAWSChunked reports whether a request's body is aws-chunked encoded.
func IsAWSChunked(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") || strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked")
}
