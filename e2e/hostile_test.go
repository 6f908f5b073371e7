package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kcstack/kcstack/internal/testutil/hostile"
)

// hostileCorpus reads the hostile-input corpus of pkg/stack.
func hostileCorpus(t *testing.T) []hostile.File {
	t.Helper()
	files, err := hostile.Load(filepath.Join("..", "pkg", "stack", "testdata", "hostile"), 100)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestHostileCorpusPlan runs kcstack plan on every hostile file the
// corpus says validate refuses: exit 1 before anything reaches AWS (the
// sandbox stays empty), no panic, and each expected error printed at its
// line, column and field.
func TestHostileCorpusPlan(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	for _, f := range hostileCorpus(t) {
		if f.Valid {
			continue
		}
		name := filepath.Base(f.Path)
		path := filepath.Join(e.Dir, name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		r := e.kcstack(t, "plan", "-f", name)
		if r.Code != 1 || strings.Contains(r.Stderr, "panic") {
			t.Errorf("%s: plan exit %d, want 1\n%s", name, r.Code, r.Stderr)
			continue
		}
		for _, w := range f.Wants {
			at := name + ":" + w.At + ": error: "
			if w.Field != "" {
				at += w.Field + ": "
			}
			if !strings.Contains(r.Stderr, at) || !strings.Contains(r.Stderr, w.Text) {
				t.Errorf("%s: plan does not report %q (%s):\n%s", name, at, w.Text, r.Stderr)
			}
		}
	}
	if out := e.awsOK(t, "ec2", "describe-vpcs").Stdout; strings.Contains(out, "kcstack:stack") {
		t.Errorf("a refused stack reached AWS: %s", out)
	}
}

// TestHostileCorpusApply applies every edge case the corpus says validate
// accepts (the longest names, the most tags, the most tasks, the largest
// options) on its own sandbox: nothing validate accepts may fail at apply
// for a reason validate could have known. The next plan is No changes.
func TestHostileCorpusApply(t *testing.T) {
	t.Parallel()
	for _, f := range hostileCorpus(t) {
		if !f.Valid {
			continue
		}
		t.Run(filepath.Base(f.Path), func(t *testing.T) {
			t.Parallel()
			e, _ := newSandbox(t)
			path := filepath.Join(e.Dir, "stack.yaml")
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			mustRun(t, "validate", e.kcstack(t, "validate", "-f", path), 0, "is valid")
			mustRun(t, "apply", e.kcstack(t, "apply", "-f", path, "--auto-approve"), 0, "Apply complete!")
			mustRun(t, "plan after apply", e.kcstack(t, "plan", "-f", path), 0, "No changes")
		})
	}
}
