package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWrap(t *testing.T) {
	cases := map[string]struct {
		reason string
		text   string
		width  int
		want   []string
	}{
		"Fits":     {reason: "short text is one line", text: "a b c", width: 10, want: []string{"a b c"}},
		"Words":    {reason: "breaks fall between words", text: "aaa bbb ccc", width: 7, want: []string{"aaa bbb", "ccc"}},
		"LongWord": {reason: "a word is never broken, even past the width", text: "x arn:aws:rds:eu-west-1:123:cluster:kc y", width: 10, want: []string{"x", "arn:aws:rds:eu-west-1:123:cluster:kc", "y"}},
		"Empty":    {reason: "empty text is one empty line", text: "", width: 10, want: []string{""}},
		"Runes":    {reason: "width counts characters, not bytes", text: "→→→ →→→", width: 7, want: []string{"→→→ →→→"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, wrap(tc.text, tc.width)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDiffList(t *testing.T) {
	cases := map[string]struct {
		reason        string
		before, after []any
		want          string
	}{
		"Same":     {reason: "equal lists keep everything", before: []any{"a", "b"}, after: []any{"a", "b"}, want: "=a =b"},
		"Swap":     {reason: "a changed element is removed then added", before: []any{"a", "b"}, after: []any{"a", "c"}, want: "=a -b +c"},
		"Append":   {reason: "appends are additions at the end", before: []any{"a"}, after: []any{"a", "b"}, want: "=a +b"},
		"Remove":   {reason: "removals keep the rest", before: []any{"a", "b", "c"}, after: []any{"a", "c"}, want: "=a -b =c"},
		"FromNone": {reason: "everything added", before: nil, after: []any{"a"}, want: "+a"},
		"Types":    {reason: "elements compare by rendered value, so []string and []any agree", before: []any{int64(1)}, after: []any{float64(1)}, want: "=1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ""
			for i, e := range diffList(tc.before, tc.after) {
				sym := e.sym
				if sym == "" {
					sym = "="
				}
				if i > 0 {
					got += " "
				}
				got += sym + inlinePlain(e.v)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// inlinePlain renders v without string quotes, for compact expectations.
func inlinePlain(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return inline(v)
}

func TestInline(t *testing.T) {
	cases := map[string]struct {
		reason string
		value  any
		want   string
	}{
		"String":    {reason: "strings are quoted", value: "a\"b", want: `"a\"b"`},
		"Escape":    {reason: "control characters are escaped, never sent to the terminal", value: "a\x1b[31mb", want: `"a\x1b[31mb"`},
		"Marker":    {reason: "markers are bare", value: "(known after apply)", want: "(known after apply)"},
		"Int":       {reason: "integers as is", value: int64(5432), want: "5432"},
		"Float":     {reason: "JSON numbers without exponent", value: float64(1e6), want: "1000000"},
		"Bool":      {reason: "booleans as is", value: true, want: "true"},
		"Nil":       {reason: "absent is null", value: nil, want: "null"},
		"List":      {reason: "lists inline", value: []string{"a", "b"}, want: `["a", "b"]`},
		"Map":       {reason: "maps inline with sorted keys", value: map[string]string{"b": "2", "a": "1"}, want: `{ "a" = "1", "b" = "2" }`},
		"EmptyMap":  {reason: "empty map", value: map[string]any{}, want: "{}"},
		"EmptyList": {reason: "empty list", value: []any{}, want: "[]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, inline(tc.value)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestPrintable(t *testing.T) {
	if diff := cmp.Diff("a\uFFFD[2Jb → c", printable("a\x1b[2Jb → c")); diff != "" {
		t.Errorf("control characters in unquoted text are replaced (-want +got):\n%s", diff)
	}
}
