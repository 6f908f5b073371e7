// Package model loads the AWS API models (botocore's service-2 definitions,
// embedded without documentation) that drive the sandbox's protocol codecs:
// which operations exist, the shape of their inputs and outputs, member wire
// names, list and map encodings, timestamp formats and error shapes.
package model

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
)

//go:embed data/*.json.gz
var data embed.FS

// Model is one service's API definition.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`

	errorsByCode map[string]*Shape
}

// Metadata is the service-wide part of a model.
type Metadata struct {
	APIVersion     string `json:"apiVersion"`
	Protocol       string `json:"protocol"` // ec2, query, json, rest-xml, rest-json
	JSONVersion    string `json:"jsonVersion"`
	TargetPrefix   string `json:"targetPrefix"`
	SigningName    string `json:"signingName"`
	EndpointPrefix string `json:"endpointPrefix"`
	XMLNamespace   string `json:"xmlNamespace"`
	ServiceID      string `json:"serviceId"`
}

// Operation is one API operation.
type Operation struct {
	Name   string `json:"name"`
	HTTP   HTTP   `json:"http"`
	Input  *Ref   `json:"input"`
	Output *Ref   `json:"output"`
	Errors []*Ref `json:"errors"`
}

// HTTP is an operation's HTTP binding (REST protocols).
type HTTP struct {
	Method       string `json:"method"`
	RequestURI   string `json:"requestUri"`
	ResponseCode int    `json:"responseCode"`
}

// Ref is a reference to a shape from a member, list element, map key or
// value, or an operation's input and output, with its serialization traits.
type Ref struct {
	Shape            string `json:"shape"`
	LocationName     string `json:"locationName"`
	QueryName        string `json:"queryName"`
	Location         string `json:"location"` // header, headers, uri, querystring, statusCode
	Flattened        bool   `json:"flattened"`
	XMLAttribute     bool   `json:"xmlAttribute"`
	ResultWrapper    string `json:"resultWrapper"`
	TimestampFormat  string `json:"timestampFormat"`
	IdempotencyToken bool   `json:"idempotencyToken"`
	JSONValue        bool   `json:"jsonvalue"`
}

// Shape is a named type in the model.
type Shape struct {
	Name            string          `json:"-"`
	Type            string          `json:"type"` // structure, list, map, string, integer, long, boolean, timestamp, blob, double, float
	Members         map[string]*Ref `json:"members"`
	Required        []string        `json:"required"`
	Member          *Ref            `json:"member"`
	Key             *Ref            `json:"key"`
	Value           *Ref            `json:"value"`
	Flattened       bool            `json:"flattened"`
	LocationName    string          `json:"locationName"`
	TimestampFormat string          `json:"timestampFormat"`
	Enum            []string        `json:"enum"`
	Min             *float64        `json:"min"`
	Max             *float64        `json:"max"`
	Pattern         string          `json:"pattern"`
	Payload         string          `json:"payload"`
	Exception       bool            `json:"exception"`
	Error           *ErrorTrait     `json:"error"`
}

// ErrorTrait is the wire identity of an error shape.
type ErrorTrait struct {
	Code           string `json:"code"`
	HTTPStatusCode int    `json:"httpStatusCode"`
	SenderFault    bool   `json:"senderFault"`
}

var (
	mu     sync.Mutex
	loaded = map[string]*Model{}
)

// Load returns the model of the named service (ec2, rds, ...), parsing it
// on first use. It is safe for concurrent use.
func Load(service string) (*Model, error) {
	mu.Lock()
	defer mu.Unlock()
	if m, ok := loaded[service]; ok {
		return m, nil
	}
	m, err := parse(service)
	if err != nil {
		return nil, err
	}
	loaded[service] = m
	return m, nil
}

// Names lists the services that have an embedded model.
func Names() []string {
	entries, _ := data.ReadDir("data")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json.gz"))
	}
	sort.Strings(names)
	return names
}

func parse(service string) (*Model, error) {
	raw, err := data.ReadFile("data/" + service + ".json.gz")
	if err != nil {
		return nil, fmt.Errorf("no API model for service %q", service)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("read model %s: %w", service, err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("read model %s: %w", service, err)
	}
	var m Model
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("parse model %s: %w", service, err)
	}
	m.errorsByCode = map[string]*Shape{}
	for name, s := range m.Shapes {
		s.Name = name
		if s.Exception {
			m.errorsByCode[s.ErrorCode()] = s
		}
	}
	return &m, nil
}

// Shape returns the shape a reference points at.
func (m *Model) Shape(r *Ref) *Shape {
	if r == nil {
		return nil
	}
	return m.Shapes[r.Shape]
}

// ErrorShape returns the exception shape with the given wire code, if the
// model declares one.
func (m *Model) ErrorShape(code string) (*Shape, bool) {
	s, ok := m.errorsByCode[code]
	return s, ok
}

// ErrorCode is the code an exception shape is sent with: the error trait's
// code when present, its shape name otherwise.
func (s *Shape) ErrorCode() string {
	if s.Error != nil && s.Error.Code != "" {
		return s.Error.Code
	}
	return s.Name
}

// IsRequired reports whether member is required in structure s.
func (s *Shape) IsRequired(member string) bool {
	for _, r := range s.Required {
		if r == member {
			return true
		}
	}
	return false
}

// SortedMembers returns the member names of a structure in a stable order.
func (s *Shape) SortedMembers() []string {
	return slices.Sorted(maps.Keys(s.Members))
}
