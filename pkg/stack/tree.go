package stack

import (
	"encoding/json"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxNodes bounds the values a document may expand to, aliases included,
// so that a small file cannot make the loader build a huge value.
const maxNodes = 50_000

// maxDepth bounds the nesting of a document.
const maxDepth = 64

// position is a 1-based line and column.
type position struct{ line, column int }

// tree converts a YAML document to its JSON value and finds the YAML node
// of any field path afterwards. Positions are looked up only for the
// diagnostics there are, so a valid file costs no index.
type tree struct {
	root   *yaml.Node
	diags  Diagnostics
	budget int
	// overflow is set once the document exceeded maxNodes or maxDepth.
	overflow bool
	// fatal is set when the document cannot be decoded into a Stack
	// (duplicate keys, non-string keys, overflow).
	fatal bool
	// steps is the field path of the value being converted.
	steps []step
}

// step is one step of the field path of the value being converted: a key,
// or an array index when idx >= 0.
type step struct {
	key string
	idx int
}

// path returns the field path of the value being converted; it is built
// only when a diagnostic needs it.
func (t *tree) path() string {
	p := ""
	for _, s := range t.steps {
		if s.idx >= 0 {
			p = index(p, s.idx)
		} else {
			p = field(p, s.key)
		}
	}
	return p
}

// descend converts n as the child step s of the current value.
func (t *tree) descend(n *yaml.Node, s step, depth int) any {
	t.steps = append(t.steps, s)
	v := t.convert(n, depth+1)
	t.steps = t.steps[:len(t.steps)-1]
	return v
}

func newTree(root *yaml.Node) *tree {
	return &tree{root: root, budget: maxNodes}
}

// convert turns n into a JSON value (map[string]any, []any, string, int64,
// float64, bool, nil).
func (t *tree) convert(n *yaml.Node, depth int) any {
	n = resolveAlias(n)
	t.budget--
	if t.budget < 0 || depth >= maxDepth {
		t.fatal = true
		if !t.overflow {
			t.overflow = true
			t.diags = append(t.diags, placed(errorf(t.path(), "write the stack without deep nesting or alias expansion",
				"the document is too large or too deeply nested"), pos(n)))
		}
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		return t.mapping(n, depth)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, item := range n.Content {
			out[i] = t.descend(item, step{idx: i}, depth)
		}
		return out
	case yaml.ScalarNode:
		if strings.ContainsRune(n.Value, 0) {
			t.diags = append(t.diags, placed(errorf(t.path(), `remove the \0 escape`,
				"the value holds a NUL character (U+0000), which no AWS or Keycloak setting accepts"), pos(n)))
		}
		return scalar(n)
	}
	return nil
}

func (t *tree) mapping(n *yaml.Node, depth int) any {
	out := make(map[string]any, len(n.Content)/2)
	var first map[string]*yaml.Node
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if isMerge(k) {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			t.fatal = true
			t.diags = append(t.diags, placed(errorf(t.path(), "use a plain string as the key",
				"a key must be a string, not a %s", kindName(k.Kind)), pos(k)))
			continue
		}
		if _, dup := out[k.Value]; dup {
			t.duplicate(k, first)
			continue
		}
		if first == nil {
			first = make(map[string]*yaml.Node, len(n.Content)/2)
		}
		first[k.Value] = k
		out[k.Value] = t.descend(v, step{key: k.Value, idx: -1}, depth)
		t.checkSecret(k.Value, v)
	}
	for _, m := range merges {
		t.merge(out, m, depth)
	}
	return out
}

func (t *tree) duplicate(k *yaml.Node, first map[string]*yaml.Node) {
	t.fatal = true
	d := errorf(field(t.path(), k.Value), "remove one of them", "duplicate key %q (first at line %d)", k.Value, first[k.Value].Line)
	t.diags = append(t.diags, placed(d, pos(k)))
}

// merge applies a YAML merge key (<<: *anchor): keys already present win.
func (t *tree) merge(out map[string]any, m *yaml.Node, depth int) {
	m = resolveAlias(m)
	if m.Kind == yaml.SequenceNode && depth < maxDepth {
		for _, item := range m.Content {
			t.merge(out, item, depth+1)
		}
		return
	}
	if m.Kind != yaml.MappingNode || depth >= maxDepth {
		t.fatal = true
		t.diags = append(t.diags, placed(errorf(t.path(), "merge a mapping (<<: *anchor)", "a merge key needs a mapping"), pos(m)))
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || isMerge(k) {
			continue
		}
		if _, ok := out[k.Value]; ok {
			continue
		}
		out[k.Value] = t.descend(v, step{key: k.Value, idx: -1}, depth)
		t.checkSecret(k.Value, v)
	}
}

func isMerge(k *yaml.Node) bool { return k.Kind == yaml.ScalarNode && k.Tag == "!!merge" }

// resolveAlias follows an alias to its anchored node.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < maxDepth; i++ {
		n = n.Alias
	}
	return n
}

// placed sets the position of a diagnostic.
func placed(d Diagnostic, p position) Diagnostic {
	d.Line, d.Column = p.line, p.column
	return d
}

// scalar returns the JSON value of a scalar node, parsed the way yaml.v3
// resolves it. Numbers too large for int64 or float64 stay numbers (exact,
// as json.Number) so that the schema reports them as too large rather than
// as strings; .inf, .nan and explicitly tagged values that do not parse
// stay strings: JSON has no such values.
func scalar(n *yaml.Node) any {
	v := n.Value
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		if b, ok := parseBool(v); ok {
			return b
		}
	case "!!int":
		digits := strings.ReplaceAll(v, "_", "")
		if i, err := strconv.ParseInt(digits, 0, 64); err == nil {
			return i
		}
		if i, ok := new(big.Int).SetString(digits, 0); ok {
			return json.Number(i.String())
		}
	case "!!float":
		digits := strings.ReplaceAll(v, "_", "")
		f, err := strconv.ParseFloat(digits, 64)
		if err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f
		}
		if _, ok := new(big.Rat).SetString(digits); ok && json.Valid([]byte(digits)) {
			return json.Number(digits)
		}
	case "!!str":
		// yaml.v3 leaves a plain number beyond float64 (1e400) a string.
		if n.Style == 0 && decimal.MatchString(v) && json.Valid([]byte(v)) {
			return json.Number(v)
		}
	}
	return v
}

// decimal matches a number in exponent notation, as JSON writes it.
var decimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?[eE][-+]?[0-9]+$`)

// parseBool accepts the YAML 1.2 core booleans yaml.v3 resolves.
func parseBool(v string) (bool, bool) {
	switch v {
	case "true", "True", "TRUE":
		return true, true
	case "false", "False", "FALSE":
		return false, true
	}
	return false, false
}

func pos(n *yaml.Node) position { return position{line: n.Line, column: n.Column} }

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	}
	return "node kind " + strconv.Itoa(int(k))
}
