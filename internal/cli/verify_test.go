package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestVerifyUsageExits2: what keeps verify from checking anything (flags,
// arguments, the stack file) exits 2, never 1, which says a check failed.
func TestVerifyUsageExits2(t *testing.T) {
	invalid := filepath.Join(t.TempDir(), "invalid.yaml")
	if err := os.WriteFile(invalid, []byte("apiVersion: kcstack.io/v1alpha1\nkind: Stack\nspec: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	checkRefusals(t, 2, map[string]refusal{
		"format":       {reason: "only text and json", args: []string{"verify", "-f", "missing.yaml", "--format", "yaml"}, want: `unknown --format "yaml": use text or json`},
		"argument":     {reason: "verify takes no NAME", args: []string{"verify", "extra"}, want: `unknown command "extra"`},
		"flag":         {reason: "an unknown flag", args: []string{"verify", "--frmat", "json"}, want: "unknown flag: --frmat"},
		"no file":      {reason: "a missing stack file", args: []string{"verify", "-f", "missing.yaml"}, want: "no stack file missing.yaml"},
		"invalid file": {reason: "an invalid stack file", args: []string{"verify", "-f", invalid}, want: "is not valid"},
	})
}
