package protocol

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/model"
)

// Validate checks a decoded input tree against the model's constraints the
// way AWS does before an operation runs: required members for every
// protocol; for the query and JSON protocols also lengths, ranges and enum
// values. It returns AWS's error for the protocol, or nil.
func Validate(m *model.Model, op *model.Operation, in Tree) *api.Error {
	s := m.Shape(op.Input)
	if s == nil {
		return nil
	}
	v := &validator{m: m, protocol: m.Metadata.Protocol}
	v.structure(s, in, "")
	if len(v.problems) == 0 {
		return nil
	}
	if v.protocol == "ec2" {
		return &api.Error{Code: "MissingParameter", Message: v.problems[0]}
	}
	code := "ValidationException"
	if v.protocol == "query" {
		code = "ValidationError"
	}
	n := len(v.problems)
	noun := "error"
	if n > 1 {
		noun = "errors"
	}
	return &api.Error{Code: code, Message: fmt.Sprintf("%d validation %s detected: %s", n, noun, strings.Join(v.problems, "; "))}
}

type validator struct {
	m        *model.Model
	protocol string
	problems []string
}

func (v *validator) structure(s *model.Shape, t Tree, path string) {
	for _, name := range s.SortedMembers() {
		r := s.Members[name]
		x, ok := t[name]
		if !ok || x == nil {
			if s.IsRequired(name) && r.Location == "" {
				v.missing(join(path, name), r)
			}
			continue
		}
		if v.protocol != "ec2" {
			v.value(v.m.Shape(r), x, join(path, name))
		}
	}
}

func (v *validator) missing(path string, r *model.Ref) {
	if v.protocol == "ec2" {
		name := path
		if r.LocationName != "" {
			name = upperFirst(r.LocationName)
		}
		v.problems = append(v.problems, "The request must contain the parameter "+name)
		return
	}
	v.problems = append(v.problems, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(path)))
}

func (v *validator) value(s *model.Shape, x any, path string) {
	switch val := x.(type) {
	case Tree:
		if s.Type == "structure" {
			v.structure(s, val, path)
			return
		}
		v.length(s, len(val), path, "length")
		for k, e := range val {
			v.value(v.m.Shape(s.Value), e, path+"."+k)
		}
	case []any:
		v.length(s, len(val), path, "length")
		for i, e := range val {
			v.value(v.m.Shape(s.Member), e, fmt.Sprintf("%s.%d", path, i+1))
		}
	case string:
		v.length(s, utf8.RuneCountInString(val), path, "length")
		if len(s.Enum) > 0 && !slices.Contains(s.Enum, val) {
			v.problems = append(v.problems, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", val, lowerFirst(path), strings.Join(s.Enum, ", ")))
		}
	case int64:
		v.rangeCheck(s, float64(val), path)
	case float64:
		v.rangeCheck(s, val, path)
	}
}

func (v *validator) length(s *model.Shape, n int, path, what string) {
	if s.Min != nil && float64(n) < *s.Min {
		v.problems = append(v.problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have %s greater than or equal to %v", lowerFirst(path), what, *s.Min))
	}
	if s.Max != nil && float64(n) > *s.Max {
		v.problems = append(v.problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have %s less than or equal to %v", lowerFirst(path), what, *s.Max))
	}
}

func (v *validator) rangeCheck(s *model.Shape, n float64, path string) {
	if s.Min != nil && n < *s.Min {
		v.problems = append(v.problems, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %v", n, lowerFirst(path), *s.Min))
	}
	if s.Max != nil && n > *s.Max {
		v.problems = append(v.problems, fmt.Sprintf("Value '%v' at '%s' failed to satisfy constraint: Member must have value less than or equal to %v", n, lowerFirst(path), *s.Max))
	}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
