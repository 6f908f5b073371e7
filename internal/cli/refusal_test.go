package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// refusal is a command line kcstack refuses, saying want on stderr.
type refusal struct {
	reason string
	args   []string
	want   string
}

// checkRefusals runs each case and checks that it exits code with want on
// stderr and nothing on stdout.
func checkRefusals(t *testing.T, code int, cases map[string]refusal) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got := Run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			if got != code || !strings.Contains(stderr.String(), tc.want) || stdout.Len() != 0 {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want %d and %q", tc.reason, got, stdout.String(), stderr.String(), code, tc.want)
			}
		})
	}
}
