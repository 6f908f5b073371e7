package stack

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Severity says whether a Diagnostic makes the stack invalid.
type Severity string

// Severities of diagnostics.
const (
	// SeverityError makes the stack invalid.
	SeverityError Severity = "error"
	// SeverityWarning is reported but leaves the stack valid.
	SeverityWarning Severity = "warning"
)

// Diagnostic is one problem found in a stack file.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	// Line and Column are 1-based; 0 when the position is unknown.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Path is the field path, for example spec.targets[1].rosa.machineCidr.
	Path string `json:"path,omitempty"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Hint says what to do about it.
	Hint string `json:"hint,omitempty"`
}

// String formats d as file:line:column: severity: path: message; hint.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", d.Line, d.Column)
	}
	fmt.Fprintf(&b, ": %s: ", d.Severity)
	if d.Path != "" {
		b.WriteString(d.Path)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString("; ")
		b.WriteString(d.Hint)
	}
	return b.String()
}

// Diagnostics is a list of diagnostics, sorted by position once returned
// by Load.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == SeverityError })
}

// Errors returns the error diagnostics.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(SeverityError) }

// Warnings returns the warning diagnostics.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(SeverityWarning) }

func (ds Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders ds by file, line, column, severity (errors first), path and
// message.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// String formats ds one diagnostic a line.
func (ds Diagnostics) String() string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// errorf and warnf build diagnostics for a field path; Load adds positions.
func errorf(path, hint, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: SeverityError, Path: path, Message: fmt.Sprintf(format, args...), Hint: hint}
}

func warnf(path, hint, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: SeverityWarning, Path: path, Message: fmt.Sprintf(format, args...), Hint: hint}
}

// describe formats a value for messages: strings quoted.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}
