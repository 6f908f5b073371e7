package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyUsageExits2: what keeps verify from checking anything (flags,
// arguments, the stack file) exits 2, never 1, which says a check failed.
func TestVerifyUsageExits2(t *testing.T) {
	invalid := filepath.Join(t.TempDir(), "invalid.yaml")
	if err := os.WriteFile(invalid, []byte("apiVersion: kcstack.io/v1alpha1\nkind: Stack\nspec: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason string
		args   []string
		want   string
	}{
		"format":       {reason: "only text and json", args: []string{"verify", "-f", "missing.yaml", "--format", "yaml"}, want: `unknown --format "yaml": use text or json`},
		"argument":     {reason: "verify takes no NAME", args: []string{"verify", "extra"}, want: `unknown command "extra"`},
		"flag":         {reason: "an unknown flag", args: []string{"verify", "--frmat", "json"}, want: "unknown flag: --frmat"},
		"no file":      {reason: "a missing stack file", args: []string{"verify", "-f", "missing.yaml"}, want: "no stack file missing.yaml"},
		"invalid file": {reason: "an invalid stack file", args: []string{"verify", "-f", invalid}, want: "is not valid"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tc.want) || stdout.Len() != 0 {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and %q", tc.reason, code, stdout.String(), stderr.String(), tc.want)
			}
		})
	}
}
