package stack

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest stack file kcstack reads: far above any real
// stack, low enough that reading and parsing it stays within a few hundred
// MB. A larger file is refused before it is parsed.
const MaxFileSize = 32 << 20

// maxIndicators bounds the YAML indicators (line breaks, ", ", "- ", ": ",
// brackets) of a file before it is parsed: the parser builds a node for
// each, so a file of millions of tiny nodes is refused up front rather
// than after the parser spent gigabytes on it. A long value holds few.
const maxIndicators = 500_000

// readLimited reads r up to MaxFileSize, and reports whether there was more.
func readLimited(r io.Reader) ([]byte, bool, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, false, err
	}
	if len(data) > MaxFileSize {
		return nil, true, nil
	}
	return data, false, nil
}

// tooLarge is the diagnostic of a file over MaxFileSize.
func tooLarge() Diagnostic {
	return placedAt(errorf("", "a stack file is a few KB; check that -f names the stack file",
		"the file is larger than %d MiB, the most kcstack reads", MaxFileSize>>20), 1, 1)
}

// checkInput refuses, before parsing, what the YAML parser would either
// report without a column (bytes YAML does not allow) or spend too much
// memory on (millions of nodes).
func checkInput(data []byte) (Diagnostic, bool) {
	if d, bad := badBytes(data); bad {
		return d, true
	}
	if d, deep := flowDepth(data); deep {
		return d, true
	}
	if n := indicators(data); n > maxIndicators {
		return placedAt(errorf("", "write the stack without generated bulk",
			"the file holds about %d YAML nodes; kcstack reads at most %d", n, maxIndicators), 1, 1), true
	}
	return Diagnostic{}, false
}

func indicators(data []byte) int {
	n := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte(",")) +
		bytes.Count(data, []byte("[")) + bytes.Count(data, []byte("{"))
	for _, two := range []string{"- ", ": ", "? "} {
		n += bytes.Count(data, []byte(two))
	}
	return n
}

// badBytes finds the first character YAML does not allow: invalid UTF-8,
// NUL and other control characters (YAML's printable set: tab, line
// breaks, U+0020-U+007E, U+0085, U+00A0 and up, but not U+FFFE or U+FFFF).
// The diagnostic gives its line and column (in characters) and the field
// it is in, found by parsing the file with the bad characters blanked.
// UTF-16 files (with a byte-order mark) are left to the parser.
func badBytes(data []byte) (Diagnostic, bool) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return Diagnostic{}, false
	}
	first, blanked := -1, []byte(nil)
	var msg, hint string
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		m, h, bad := badRune(r, size, data[i])
		if bad {
			if first < 0 {
				first, msg, hint = i, m, h
				blanked = bytes.Clone(data)
			}
			for j := i; j < i+size; j++ {
				blanked[j] = ' '
			}
		}
		i += size
	}
	if first < 0 {
		return Diagnostic{}, false
	}
	p := offsetPosition(data, first)
	return placedAt(errorf(fieldAt(blanked, p), hint, "%s", msg), p.line, p.column), true
}

// badRune says what is wrong with the character r (size bytes, starting
// with b), if anything.
func badRune(r rune, size int, b byte) (msg, hint string, bad bool) {
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("byte 0x%02X is not valid UTF-8", b), "save the file as UTF-8", true
	case r == 0:
		return "the file holds a NUL byte (U+0000), which YAML does not allow", "remove it: the file may not be a text file", true
	case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		return "", "", false
	case r < 0x20 || (r >= 0x7F && r < 0xA0) || r == 0xFFFE || r == 0xFFFF:
		return fmt.Sprintf("control character U+%04X is not allowed in YAML", r),
			`remove it, or write it as an escape in a double-quoted string (such as "\t")`, true
	}
	return "", "", false
}

// offsetPosition returns the line and column (in characters, 1-based) of
// the byte at offset.
func offsetPosition(data []byte, offset int) position {
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	column := 1
	for i := start; i < offset; {
		_, size := utf8.DecodeRune(data[i:])
		i += size
		column++
	}
	return position{line: line, column: column}
}

// fieldAt returns the field path of the value written at p in data, or ""
// when data does not parse or p is not in a value (a comment, a blank).
func fieldAt(data []byte, p position) string {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return ""
	}
	f := finder{at: p}
	f.walk(doc.Content[0], "", 0)
	return f.path
}

// finder looks for the last node written at or before a position, on its
// line or in a multi-line scalar that reaches it.
type finder struct {
	at   position
	best position
	path string
}

func (f *finder) walk(n *yaml.Node, path string, depth int) {
	if depth > maxDepth {
		return
	}
	f.consider(n, path)
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := field(path, n.Content[i].Value)
			f.consider(n.Content[i], p)
			f.walk(n.Content[i+1], p, depth+1)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			f.walk(item, index(path, i), depth+1)
		}
	}
}

func (f *finder) consider(n *yaml.Node, path string) {
	p := pos(n)
	if before(f.at, p) || before(p, f.best) {
		return
	}
	if p.line != f.at.line && p.line+strings.Count(n.Value, "\n") < f.at.line {
		return
	}
	f.best, f.path = p, path
}

// before reports whether a comes strictly before b.
func before(a, b position) bool {
	return a.line < b.line || (a.line == b.line && a.column < b.column)
}

// flowDepth finds flow collections ([ and {) nested deeper than maxDepth,
// which the parser reports only past 10,000 levels and without a column.
// A bracket opens a collection only where YAML allows one to start: after
// the start of a line, ":", "-", ",", "?" or another opening bracket.
func flowDepth(data []byte) (Diagnostic, bool) {
	var open []int
	prev := byte('\n')
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '#' && (prev == ' ' || prev == '\n' || prev == '\t'):
			end := bytes.IndexByte(data[i:], '\n')
			if end < 0 {
				return Diagnostic{}, false
			}
			i += end - 1 // the line break is read next
			prev = ' '
			continue
		case (c == '[' || c == '{') && bytes.IndexByte([]byte("\n:-,?[{"), prev) >= 0:
			open = append(open, i)
			if len(open) > maxDepth {
				return deepDiagnostic(data, open[0], i), true
			}
		case (c == ']' || c == '}') && len(open) > 0:
			open = open[:len(open)-1]
		}
		if c != ' ' && c != '\t' {
			prev = c
		}
	}
	return Diagnostic{}, false
}

// deepDiagnostic reports the bracket at offset, too deep inside the flow
// collection that starts at outer, under the field of that collection.
func deepDiagnostic(data []byte, outer, offset int) Diagnostic {
	prefix := append(bytes.Clone(data[:outer]), 'x')
	p := offsetPosition(data, offset)
	d := errorf(fieldAt(prefix, offsetPosition(data, outer)), "write the stack without deep nesting",
		"the value is nested more than %d levels deep", maxDepth)
	return placedAt(d, p.line, p.column)
}
