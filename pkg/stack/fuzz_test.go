package stack

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds the loader arbitrary bytes, seeded with the examples and
// the test stacks. Load must never panic, must report every problem as a
// diagnostic (the error is for kcstack's own faults only), and must return
// a stack whenever it reports no error.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../../examples/*.yaml", "testdata/*/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Add([]byte("<<: {apiVersion: x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, ds, err := Load("fuzz.yaml", data)
		if err != nil {
			t.Fatalf("Load returned an error: %v", err)
		}
		if !ds.HasErrors() && st == nil {
			t.Fatalf("no errors but no stack")
		}
		for _, d := range ds {
			if d.Line < 1 || d.Message == "" {
				t.Fatalf("diagnostic without position or message: %+v", d)
			}
		}
		if st != nil && !ds.HasErrors() {
			_ = st.Digest()
		}
	})
}
