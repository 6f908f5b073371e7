package stack

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// token is one step of a field path: a key, or an index when isIndex.
type token struct {
	key     string
	idx     int
	isIndex bool
}

// splitPath parses a field path built by field and index.
func splitPath(path string) ([]token, bool) {
	var toks []token
	for path != "" {
		switch {
		case strings.HasPrefix(path, `["`):
			end := closingQuote(path)
			if end < 0 {
				return nil, false
			}
			key, err := strconv.Unquote(path[1 : end+1])
			if err != nil {
				return nil, false
			}
			toks = append(toks, token{key: key})
			path = path[end+2:]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			i, err := strconv.Atoi(path[1:max(end, 1)])
			if end < 0 || err != nil {
				return nil, false
			}
			toks = append(toks, token{idx: i, isIndex: true})
			path = path[end+1:]
		default:
			path = strings.TrimPrefix(path, ".")
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			toks = append(toks, token{key: path[:end]})
			path = path[end:]
		}
	}
	return toks, true
}

// closingQuote returns the index of the quote ending the quoted key that
// starts path (`["...`), or -1.
func closingQuote(path string) int {
	for i := 2; i < len(path); i++ {
		switch path[i] {
		case '\\':
			i++
		case '"':
			if i+1 < len(path) && path[i+1] == ']' {
				return i
			}
			return -1
		}
	}
	return -1
}

// find returns the key node (nil for list items and the root) and the value
// node of a field path, aliases followed, as convert read them.
func (t *tree) find(path string) (key, value *yaml.Node, ok bool) {
	toks, ok := splitPath(path)
	if !ok {
		return nil, nil, false
	}
	value = resolveAlias(t.root)
	for _, tok := range toks {
		key, value = child(value, tok, 0)
		if value == nil {
			return nil, nil, false
		}
		value = resolveAlias(value)
	}
	return key, value, true
}

// child steps from n to its entry tok: explicit keys first (the first of
// duplicates), then merged mappings in order.
func child(n *yaml.Node, tok token, depth int) (*yaml.Node, *yaml.Node) {
	if tok.isIndex {
		if n.Kind != yaml.SequenceNode || tok.idx < 0 || tok.idx >= len(n.Content) {
			return nil, nil
		}
		return nil, n.Content[tok.idx]
	}
	if n.Kind != yaml.MappingNode || depth >= maxDepth {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && !isMerge(k) && k.Value == tok.key {
			return k, n.Content[i+1]
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMerge(n.Content[i]) {
			if k, v := mergedChild(n.Content[i+1], tok, depth+1); v != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

func mergedChild(m *yaml.Node, tok token, depth int) (*yaml.Node, *yaml.Node) {
	m = resolveAlias(m)
	if m.Kind != yaml.SequenceNode {
		return child(m, tok, depth)
	}
	for _, item := range m.Content {
		if k, v := child(resolveAlias(item), tok, depth); v != nil {
			return k, v
		}
	}
	return nil, nil
}

// position returns where a diagnostic about path belongs: the value of a
// scalar, the key of a mapping or list, or the nearest written ancestor
// for a field that is not in the file (a default, a missing key).
func (t *tree) position(path string) (position, bool) {
	for p := path; ; p = parent(p) {
		if key, value, ok := t.find(p); ok {
			if key != nil && (value.Kind != yaml.ScalarNode || p != path) {
				return pos(key), true
			}
			return pos(value), true
		}
		if p == "" {
			return position{}, false
		}
	}
}

// keyPosition returns the position of the key of path, when it has one.
func (t *tree) keyPosition(path string) (position, bool) {
	key, _, ok := t.find(path)
	if !ok || key == nil {
		return position{}, false
	}
	return pos(key), true
}

// source returns the source text of the scalar at path.
func (t *tree) source(path string) string {
	_, value, ok := t.find(path)
	if !ok || value.Kind != yaml.ScalarNode {
		return ""
	}
	return value.Value
}

// atKeys places diagnostics about keys (unknown, misspelt) on the key
// itself rather than on its value.
func (t *tree) atKeys(ds Diagnostics) Diagnostics {
	for i, d := range ds {
		if p, ok := t.keyPosition(d.Path); ok {
			ds[i].Line, ds[i].Column = p.line, p.column
		}
	}
	return ds
}
