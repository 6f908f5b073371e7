package stack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// LoadFile reads and checks the stack file at path; see Load. The error is
// only for failing to read the file.
func LoadFile(path string) (*Stack, Diagnostics, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read stack file: %w", err)
	}
	defer f.Close()
	return LoadReader(path, f)
}

// LoadReader reads a stack file named name from r, at most MaxFileSize
// bytes, and checks it; see Load. The error is only for failing to read.
func LoadReader(name string, r io.Reader) (*Stack, Diagnostics, error) {
	data, over, err := readLimited(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read stack file: %w", err)
	}
	if over {
		d := tooLarge()
		d.File = name
		return nil, Diagnostics{d}, nil
	}
	return Load(name, data)
}

// Load parses and checks a stack file named name (used in diagnostics).
// It returns the stack with defaults filled in and every problem found,
// sorted by position. The stack is nil when the file could not be decoded;
// it is usable by later stages only when the diagnostics hold no error.
// Problems in the file are diagnostics, never the error: the error only
// reports that kcstack itself is broken (its embedded schema).
func Load(name string, data []byte) (*Stack, Diagnostics, error) {
	st, ds, err := load(data)
	if err != nil {
		return nil, nil, err
	}
	for i := range ds {
		ds[i].File = name
	}
	ds.Sort()
	if st != nil {
		st.src.name = name
	}
	return st, ds, nil
}

// load runs the pipeline: YAML nodes, then the schema check alongside the
// typed decode, defaults and semantic rules (they read the same nodes and
// do not depend on each other until their diagnostics are merged).
func load(data []byte) (*Stack, Diagnostics, error) {
	if len(data) > MaxFileSize {
		return nil, Diagnostics{tooLarge()}, nil
	}
	if d, bad := checkInput(data); bad {
		return nil, Diagnostics{d}, nil
	}
	root, ds := parse(data)
	if root == nil {
		return nil, ds, nil
	}
	t := newTree(root)
	doc := t.convert(root, 0)
	ds = append(ds, t.diags...)
	if t.overflow {
		return nil, ds, nil
	}
	checked := make(chan schemaResult, 1)
	go func() {
		sds, err := schemaDiagnostics(doc, t)
		checked <- schemaResult{sds, err}
	}()
	st, rules, decodeErr := decodeStack(root, t.fatal)
	res := <-checked
	if res.err != nil {
		return nil, nil, res.err
	}
	ds = append(ds, res.diags...)
	if decodeErr != nil && len(res.diags) == 0 {
		ds = append(ds, decodeDiagnostic(decodeErr))
	}
	ds = append(ds, unlessReported(rules, res.diags)...)
	if st != nil {
		st.src = &source{tree: t}
	}
	return st, t.place(ds), nil
}

// schemaResult is what the schema check found.
type schemaResult struct {
	diags Diagnostics
	err   error
}

// decodeStack decodes the document into a Stack, fills in defaults and
// applies the rules. It does nothing for a document that cannot be decoded
// (fatal), and returns the decode error of one the schema let through.
func decodeStack(root *yaml.Node, fatal bool) (*Stack, Diagnostics, error) {
	if fatal {
		return nil, nil, nil
	}
	var st Stack
	if err := root.Decode(&st); err != nil {
		return nil, nil, err
	}
	SetDefaults(&st)
	return &st, Validate(&st), nil
}

// parse reads the single YAML document of data.
func parse(data []byte) (*yaml.Node, Diagnostics) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) || (err == nil && len(doc.Content) == 0) {
		return nil, Diagnostics{placedAt(errorf("", "start from one of the files in examples/", "the file is empty"), 1, 1)}
	}
	if err != nil {
		return nil, Diagnostics{syntaxDiagnostic(data, err)}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, Diagnostics{placedAt(errorf("", "a stack file is a mapping with apiVersion, kind, metadata and spec",
			"the document is a %s, not a mapping", kindName(root.Kind)), root.Line, root.Column)}
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		line := next.Line
		if err != nil {
			return root, Diagnostics{syntaxDiagnostic(data, err)}
		}
		return root, Diagnostics{placedAt(errorf("", "keep one stack per file and remove the second document",
			"the file holds more than one YAML document"), line, 1)}
	}
	return root, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// decodeDiagnostic reports a decode failure the schema let through, at
// the line the decoder names.
func decodeDiagnostic(err error) Diagnostic {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	return placedAt(errorf("", "check the value's type against `kcstack schema`", "%s", msg), line, 1)
}

func placedAt(d Diagnostic, line, column int) Diagnostic {
	d.Line, d.Column = line, max(column, 1)
	return d
}

// unlessReported drops rule diagnostics about fields the schema already
// reported, so one mistake is reported once.
func unlessReported(rules, schemaDiags Diagnostics) Diagnostics {
	if len(schemaDiags) == 0 {
		return rules
	}
	var out Diagnostics
	for _, r := range rules {
		if !reportedUnder(r.Path, schemaDiags) {
			out = append(out, r)
		}
	}
	return out
}

func reportedUnder(path string, ds Diagnostics) bool {
	for _, d := range ds {
		if d.Severity == SeverityError && within(path, d.Path) && d.Path != "" {
			return true
		}
	}
	return false
}

// place gives every diagnostic without a position the position of its
// field, or of the nearest ancestor written in the file.
func (t *tree) place(ds Diagnostics) Diagnostics {
	for i, d := range ds {
		if d.Line != 0 {
			continue
		}
		if p, ok := t.keyPosition(d.Path); ok && inFreeMap(d.Path) {
			ds[i].Line, ds[i].Column = p.line, p.column
			continue
		}
		if p, ok := t.position(d.Path); ok {
			ds[i].Line, ds[i].Column = p.line, p.column
		}
	}
	return ds
}

// inFreeMap reports whether path is an entry of a map whose keys are the
// user's (tags, extraOptions, labels): diagnostics about such an entry are
// about its key.
func inFreeMap(path string) bool {
	up := parent(path)
	for _, suffix := range []string{".tags", ".extraOptions", ".labels"} {
		if strings.HasSuffix(up, suffix) {
			return true
		}
	}
	return false
}
