// Package deps keeps package layering true in tests: it lists what a set
// of packages depends on (go list -deps) and fails a test for any
// dependency a layer must not have.
package deps

import (
	"os/exec"
	"strings"
	"testing"
)

// Forbid fails t for every dependency of the packages pattern names (as
// go list reads it, from the test's directory) that starts with a key of
// forbidden; the value says what that dependency stands for.
func Forbid(t *testing.T, pattern string, forbidden map[string]string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command(goTool, "list", "-deps", pattern).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pattern, err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for prefix, what := range forbidden {
			if strings.HasPrefix(dep, prefix) {
				t.Errorf("%s depends on %s (%s)", pattern, what, dep)
			}
		}
	}
}
