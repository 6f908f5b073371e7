package render

import (
	"fmt"
	"strconv"
)

// Columns of a change's block: attribute symbols start at attrIndent and
// each level of nesting adds nestIndent.
const (
	attrIndent = 6
	nestIndent = 4
)

// at returns a line whose symbol starts at indent; without a symbol the
// text starts where it would have after one, so columns stay aligned.
func at(indent int, sym, text string) Line {
	if sym == "" {
		return Line{Indent: indent + 2, Text: text}
	}
	return Line{Indent: indent, Symbol: sym, Text: text}
}

// whole renders value v entirely under one symbol: label (already padded,
// "name = " or empty for a list element), the value, and tail appended to
// its last line (" -> null" for a destroyed attribute, "," for a list
// element). Non-empty lists and maps open a bracket and nest.
func whole(sym string, indent int, label string, v any, tail string) []Line {
	if !isBlock(v) {
		return []Line{at(indent, sym, label+inline(v)+tail)}
	}
	open, closing, inner := "{", "}", wholeMap(sym, indent+nestIndent, v)
	if l, ok := asList(v); ok {
		open, closing, inner = "[", "]", wholeList(sym, indent+nestIndent, l)
	}
	lines := append([]Line{at(indent, sym, label+open)}, inner...)
	return append(lines, Line{Indent: indent + 2, Text: closing + tail})
}

// wholeList renders each element of l under sym.
func wholeList(sym string, indent int, l []any) []Line {
	var lines []Line
	for _, e := range l {
		lines = append(lines, whole(sym, indent, "", e, ",")...)
	}
	return lines
}

// wholeMap renders each entry of map v under sym, keys sorted and quoted,
// "=" aligned.
func wholeMap(sym string, indent int, v any) []Line {
	m, _ := asMap(v)
	keys := sortedKeys(m)
	w := widest(quoteAll(keys))
	var lines []Line
	for _, k := range keys {
		lines = append(lines, whole(sym, indent, pad(strconv.Quote(k), w)+" = ", m[k], "")...)
	}
	return lines
}

// change renders one changed value: an addition, a removal, a sensitive
// change, an element-wise list or map change, or "old -> new". note (such
// as "# forces replacement") goes on the first line.
func change(indent int, label string, before, after any, note string) []Line {
	lines := changeLines(indent, label, before, after)
	lines[0].Note = note
	return lines
}

// changeLines picks the form of a changed value.
func changeLines(indent int, label string, before, after any) []Line {
	switch {
	case before == nil && after != nil:
		return whole("+", indent, label, after, "")
	case after == nil && before != nil:
		return whole("-", indent, label, before, " -> null")
	case before == sensitiveMarker && after == sensitiveMarker:
		return []Line{at(indent, "~", label+sensitiveMarker)}
	}
	bl, bIsList := asList(before)
	al, aIsList := asList(after)
	if bIsList && aIsList {
		return listChange(indent, label, bl, al)
	}
	bm, bIsMap := asMap(before)
	am, aIsMap := asMap(after)
	if bIsMap && aIsMap {
		return mapChange(indent, label, bm, am)
	}
	return []Line{at(indent, "~", label+inline(before)+" -> "+inline(after))}
}

// listChange shows the elements removed and added, in order, and counts
// the unchanged ones.
func listChange(indent int, label string, before, after []any) []Line {
	lines := []Line{at(indent, "~", label+"[")}
	hidden := 0
	for _, op := range diffList(before, after) {
		switch op.sym {
		case "":
			hidden++
		default:
			lines = append(lines, whole(op.sym, indent+nestIndent, "", op.v, ",")...)
		}
	}
	lines = appendHidden(lines, indent+nestIndent+2, hidden, "element")
	return append(lines, Line{Indent: indent + 2, Text: "]"})
}

// mapChange shows the entries added, removed and changed, keys sorted and
// "=" aligned, and counts the unchanged ones.
func mapChange(indent int, label string, before, after map[string]any) []Line {
	var keys []string
	hidden := 0
	for _, k := range sortedKeys(union(before, after)) {
		if inline(before[k]) == inline(after[k]) {
			hidden++
			continue
		}
		keys = append(keys, k)
	}
	w := widest(quoteAll(keys))
	lines := []Line{at(indent, "~", label+"{")}
	for _, k := range keys {
		lines = append(lines, change(indent+nestIndent, pad(strconv.Quote(k), w)+" = ", before[k], after[k], "")...)
	}
	lines = appendHidden(lines, indent+nestIndent+2, hidden, "element")
	return append(lines, Line{Indent: indent + 2, Text: "}"})
}

// appendHidden adds "# (N unchanged <noun>s hidden)" when n > 0.
func appendHidden(lines []Line, indent, n int, noun string) []Line {
	if n == 0 {
		return lines
	}
	if n != 1 {
		noun += "s"
	}
	return append(lines, Line{Indent: indent, Text: fmt.Sprintf("# (%d unchanged %s hidden)", n, noun)})
}

// union returns a map holding the keys of a and b (values unused).
func union(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// quoteAll quotes each of keys.
func quoteAll(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = strconv.Quote(k)
	}
	return out
}
