package stack

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The YAML parser names a line, not a column, and for errors it finds
// while parsing (rather than scanning) the line it names is the line
// before the collection being parsed. Its errors are placed here from the
// text instead: the parser reads the file front to back and stops at the
// first error, so the shortest prefix of the file that fails with the
// same error ends with the character that made it fail. Where that is
// not where the mistake was written, the form of the error says where to
// look: an unclosed flow collection at its opening bracket, an unknown
// alias at its *.

// syntaxDiagnostic places the parser's error err about data at the
// character that made it fail, under the innermost key whose value holds
// that character.
func syntaxDiagnostic(data []byte, err error) Diagnostic {
	msg := err.Error()
	problem := parserProblem(msg)
	from := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		from, _ = strconv.Atoi(m[1])
	}
	at := min(lineStart(data, from), len(data)-1)
	if len(data) <= maxSearch {
		at = failingOffset(data, msg, from)
	}
	switch {
	case unclosedFlow(problem):
		at = openingBracket(data, at)
	case strings.HasPrefix(problem, "unknown anchor"):
		at = max(bytes.LastIndexByte(data[:at+1], '*'), 0)
	}
	p := offsetPosition(data, at)
	d := errorf(enclosingKey(data, at), syntaxHint(problem, data[at]), "%s", problem)
	return placedAt(d, p.line, p.column)
}

// maxSearch bounds the files whose failing character is searched for:
// the search parses prefixes of the file some dozens of times. A larger
// file's error is placed at the start of the line the parser names.
const maxSearch = 1 << 20

// lineStart returns the offset of the start of the 1-based line n.
func lineStart(data []byte, n int) int {
	at := 0
	for ; n > 1; n-- {
		i := bytes.IndexByte(data[at:], '\n')
		if i < 0 {
			break
		}
		at += i + 1
	}
	return at
}

// parserProblem strips the parser's "yaml: line N: " prefix: its line is
// replaced by the position the diagnostic gives.
func parserProblem(msg string) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := yamlLine.FindStringIndex(msg); m != nil && m[0] == 0 {
		msg = strings.TrimPrefix(msg[m[1]:], ": ")
	}
	return msg
}

// failingOffset returns the offset of the last byte of the shortest
// prefix of data whose parse fails with msg, looking from the start of
// line from (the failure is never before the line the parser names).
// Prefixes ending at line ends are tried at growing distances, then
// bisected, then the failing line is tried byte by byte: a prefix cut
// inside a token fails in other ways, so bytes are bisected only where
// trying each would cost more than scanWork bytes of parsing.
func failingOffset(data []byte, msg string, from int) int {
	ends := lineEnds(data)
	fails := func(n int) bool { return parseError(data[:n]) == msg }
	lo, hi := min(max(from, 1), len(ends))-1, len(ends)-1 // ends[hi] fails
	for step, k := 1, lo; k < hi; step, k = step*2, k+step {
		if fails(ends[k]) {
			hi = k
			break
		}
		lo = k
	}
	for lo+1 < hi {
		if mid := (lo + hi) / 2; fails(ends[mid]) {
			hi = mid
		} else {
			lo = mid
		}
	}
	start := 0
	if hi > 0 {
		start = ends[hi-1]
	}
	end := firstFailing(data, start, ends[hi], fails)
	if end == 0 {
		return 0
	}
	_, size := utf8.DecodeLastRune(data[:end])
	return end - size
}

// scanWork bounds the bytes parsed to try a failing line byte by byte.
const scanWork = 4 << 20

// firstFailing returns the shortest prefix length in (start, end] for
// which fails holds; fails(end) holds.
func firstFailing(data []byte, start, end int, fails func(int) bool) int {
	if (end-start)*end <= scanWork {
		for i := start + 1; i < end; i = runeEnd(data, i+1) {
			if utf8.RuneStart(data[i]) && fails(i) {
				return i
			}
		}
		return end
	}
	for start+1 < end {
		mid := runeEnd(data, (start+end)/2)
		if mid >= end {
			break
		}
		if fails(mid) {
			end = mid
		} else {
			start = mid
		}
	}
	return end
}

// lineEnds returns, for each line of data, the offset just past it.
func lineEnds(data []byte) []int {
	var ends []int
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	return ends
}

// runeEnd moves offset i forward to the end of the character it falls in.
func runeEnd(data []byte, i int) int {
	for i < len(data) && !utf8.RuneStart(data[i]) {
		i++
	}
	return i
}

// parseError returns the parser's error for data as parse meets it (the
// first document, then a second one), or "" when there is none.
func parseError(data []byte) string {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for range 2 {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return ""
		}
		if err != nil {
			return err.Error()
		}
	}
	return ""
}

// unclosedFlow reports whether problem is the parser's error for a flow
// collection ([...] or {...}) that is not closed where it must be.
func unclosedFlow(problem string) bool {
	return problem == "did not find expected ',' or ']'" || problem == "did not find expected ',' or '}'"
}

// openingBracket returns the offset of the bracket that opens the flow
// collection in which the byte at offset i lies: the shortest failing
// prefix of an unclosed collection ends at its first entry.
func openingBracket(data []byte, i int) int {
	depth := 0
	for j := i; j >= 0; j-- {
		switch data[j] {
		case ']', '}':
			depth++
		case '[', '{':
			if depth == 0 {
				return j
			}
			depth--
		}
	}
	return i
}

// enclosingKey returns the field path of the innermost mapping key whose
// value holds the byte at offset i: the text before it is parsed, and a
// key encloses i when it is written left of i's column, or left of the
// first character of i's line when i is in the line's indentation (a
// tab). It returns "" when the text before i does not parse.
func enclosingKey(data []byte, i int) string {
	p := offsetPosition(data, i)
	bound := max(p.column, contentColumn(data, i))
	for _, prefix := range [][]byte{data[:i], data[:bytes.LastIndexByte(data[:i], '\n')+1]} {
		var doc yaml.Node
		if yaml.Unmarshal(prefix, &doc) == nil && len(doc.Content) > 0 {
			return openPath(doc.Content[0], bound, 0)
		}
	}
	return ""
}

// contentColumn returns the column of the first character of the line of
// offset i that is neither a space nor a tab.
func contentColumn(data []byte, i int) int {
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	line := data[start:]
	if end := bytes.IndexByte(line, '\n'); end >= 0 {
		line = line[:end]
	}
	return len(line) - len(bytes.TrimLeft(line, " \t")) + 1
}

// openPath follows the last entry of n down while it is written left of
// column bound, and returns the path of the keys it passes. It does not
// enter a flow collection: one that parses is closed before the bound.
func openPath(n *yaml.Node, bound, depth int) string {
	if depth > maxDepth || n.Column >= bound || len(n.Content) == 0 || n.Style&yaml.FlowStyle != 0 {
		return ""
	}
	switch n.Kind {
	case yaml.MappingNode:
		k, v := n.Content[len(n.Content)-2], n.Content[len(n.Content)-1]
		if k.Column >= bound {
			return ""
		}
		return joinPath(field("", k.Value), openPath(v, bound, depth+1))
	case yaml.SequenceNode:
		last := len(n.Content) - 1
		return joinPath(index("", last), openPath(n.Content[last], bound, depth+1))
	}
	return ""
}

// joinPath appends the field path rest to head.
func joinPath(head, rest string) string {
	if rest == "" || rest[0] == '[' {
		return head + rest
	}
	return head + "." + rest
}

// syntaxHint says what to do about the parser's problem, found at the
// character c.
func syntaxHint(problem string, c byte) string {
	switch {
	case unclosedFlow(problem):
		return "close the collection opened here, or quote a value that holds [ ] { } or a comma"
	case problem == "mapping values are not allowed in this context":
		return `quote a value that holds ": "`
	case problem == "found character that cannot start any token":
		return "indent with spaces, not tabs, and quote a value that starts with @ or `"
	case problem == "found unexpected end of stream" && (c == '"' || c == '\''):
		return "close the quote opened here"
	}
	return "fix the YAML syntax"
}
