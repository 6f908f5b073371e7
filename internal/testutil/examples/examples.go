// Package examples loads the stack files of examples/ for tests, edited
// by plain text replacements.
package examples

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kcstack/kcstack/pkg/stack"
)

// Text returns examples/<file> after replacing the first occurrence of each
// old string of edits (old, new, old, new, ...); it fails t when the file
// cannot be read or lacks an old string.
func Text(t testing.TB, file string, edits ...string) string {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "..", "..", "examples", file))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("%s lacks %q", file, edits[i])
		}
		text = strings.Replace(text, edits[i], edits[i+1], 1)
	}
	return text
}

// Load returns the stack of Text(file, edits...), loaded and defaulted; it
// fails t on any error diagnostic.
func Load(t testing.TB, file string, edits ...string) *stack.Stack {
	t.Helper()
	st, ds, err := stack.Load(file, []byte(Text(t, file, edits...)))
	if err != nil {
		t.Fatal(err)
	}
	if ds.HasErrors() {
		t.Fatalf("%s is invalid:\n%s", file, ds.String())
	}
	return st
}
