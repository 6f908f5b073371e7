package render

import (
	"path/filepath"
	"testing"

	goldenfile "github.com/kcstack/kcstack/internal/testutil/golden"
)

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}
