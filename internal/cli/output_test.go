package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestOutputRefusesBeforeReading: a wrong --format or more than one NAME
// is refused before the file or AWS is read, saying what to pass.
func TestOutputRefusesBeforeReading(t *testing.T) {
	cases := map[string]struct {
		reason string
		args   []string
		want   string
	}{
		"format":    {reason: "only text and json", args: []string{"output", "-f", "missing.yaml", "--format", "yaml"}, want: `unknown --format "yaml": use text or json`},
		"two names": {reason: "one NAME at most", args: []string{"output", "-f", "missing.yaml", "a", "b"}, want: "accepts at most 1 arg(s)"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), tc.want) || stdout.Len() != 0 {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1 and %q", tc.reason, code, stdout.String(), stderr.String(), tc.want)
			}
		})
	}
}
