package resource

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFillJSON(t *testing.T) {
	props := Props{
		"endpoint": "db.example", "quoted": `a "b" \c`, "empty": "", "port": int64(5432),
		"ref": Ref{Address: "database.cluster", Attr: "endpoint"},
	}
	cases := map[string]struct {
		reason  string
		tmpl    string
		want    string
		wantErr string
	}{
		"filled": {reason: "every placeholder is replaced, as often as it occurs",
			tmpl: `["${endpoint}:5432","${endpoint}"]`, want: `["db.example:5432","db.example"]`},
		"escaped": {reason: "a value is escaped for a JSON string",
			tmpl: `"${quoted}"`, want: `"a \"b\" \\c"`},
		"not placeholders": {reason: "other ${...} text is left alone",
			tmpl: `"${env.HOME} ${HOME} $endpoint"`, want: `"${env.HOME} ${HOME} $endpoint"`},
		"missing": {reason: "missing, empty, non-string and unresolved props are named once each, sorted",
			tmpl: `"${ref} ${nope} ${empty} ${port} ${nope}"`, wantErr: "props missing: empty, nope, port, ref"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := FillJSON(tc.tmpl, props)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if diff := cmp.Diff(tc.wantErr, gotErr); diff != "" {
				t.Errorf("%s\nerror (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nFillJSON (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestPlaceholder(t *testing.T) {
	if got := Placeholder("writer_endpoint"); got != "${writer_endpoint}" {
		t.Errorf("Placeholder = %q, want ${writer_endpoint}", got)
	}
}
