package output

import (
	"fmt"
	"io"
	"strings"
)

// Text writes o as terraform output does: one "name = value" line per
// output, names aligned within each group, groups apart; a missing value
// shows why in parentheses. Notes follow.
func Text(w io.Writer, o *Outputs) error {
	var b strings.Builder
	for i, group := range groups(o.Values) {
		if i > 0 {
			b.WriteString("\n")
		}
		width := 0
		for _, v := range group {
			width = max(width, len(v.Name))
		}
		for _, v := range group {
			fmt.Fprintf(&b, "%-*s = %s\n", width, v.Name, shown(v))
		}
	}
	for i, n := range o.Notes {
		if i == 0 && len(o.Values) > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "Note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Raw writes v's value alone, for scripts; nothing for a missing value.
func Raw(w io.Writer, v Value) error {
	if v.Value == nil {
		return nil
	}
	_, err := fmt.Fprintln(w, *v.Value)
	return err
}

func shown(v Value) string {
	if v.Value == nil {
		return "(" + v.Missing + ")"
	}
	return *v.Value
}

// groups splits values into runs of one group, in order.
func groups(values []Value) [][]Value {
	var out [][]Value
	for i, v := range values {
		if i == 0 || v.group != values[i-1].group {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], v)
	}
	return out
}
