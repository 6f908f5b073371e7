package stack

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/internal/testutil/hostile"
)

// hostileFiles returns the corpus under testdata/hostile.
func hostileFiles(t testing.TB) []hostile.File {
	t.Helper()
	files, err := hostile.Load(filepath.Join("testdata", "hostile"), 100)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestHostileCorpus loads every hostile file: no panic, no internal error,
// and exactly the errors its header names, at their line, column and
// field, each message saying what its header quotes. Valid files (edge
// cases at the limits) load without errors; e2e applies them.
func TestHostileCorpus(t *testing.T) {
	for _, f := range hostileFiles(t) {
		t.Run(filepath.Base(f.Path), func(t *testing.T) {
			_, ds, err := Load("h.yaml", f.Data)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			errs := ds.Errors()
			var got, want []string
			for _, d := range errs {
				got = append(got, fmt.Sprintf("%d:%d %s", d.Line, d.Column, d.Path))
			}
			for _, w := range f.Wants {
				want = append(want, w.String())
			}
			slices.Sort(got)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("errors at (-want +got):\n%s\n%s", diff, errs)
			}
			for _, w := range f.Wants {
				if !slices.ContainsFunc(errs, func(d Diagnostic) bool {
					return fmt.Sprintf("%d:%d %s", d.Line, d.Column, d.Path) == w.String() && strings.Contains(d.String(), w.Text)
				}) {
					t.Errorf("no error at %s says %q:\n%s", w, w.Text, errs)
				}
			}
		})
	}
}

// BenchmarkHostileCorpus loads every hostile file and reports the worst
// file's time and allocated bytes: the bound on what a stack file can make
// validate spend.
func BenchmarkHostileCorpus(b *testing.B) {
	inputs := map[string][]byte{}
	for _, f := range hostileFiles(b) {
		inputs[filepath.Base(f.Path)] = f.Data
	}
	var worstTime time.Duration
	var worstBytes uint64
	var slowest, hungriest string
	var before, after runtime.MemStats
	for b.Loop() {
		for name, data := range inputs {
			runtime.ReadMemStats(&before)
			start := time.Now()
			if _, _, err := Load(name, data); err != nil {
				b.Fatal(err)
			}
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if elapsed > worstTime {
				worstTime, slowest = elapsed, name
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > worstBytes {
				worstBytes, hungriest = n, name
			}
		}
	}
	b.ReportMetric(float64(worstTime.Nanoseconds()), "worst-ns/file")
	b.ReportMetric(float64(worstBytes), "worst-B/file")
	b.Logf("slowest %s (%s), most allocating %s (%d bytes)", slowest, worstTime, hungriest, worstBytes)
}

// endless is a reader of n bytes of b, never held in memory at once.
type endless struct {
	b byte
	n int
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, io.EOF
	}
	k := min(len(p), e.n)
	for i := range p[:k] {
		p[i] = e.b
	}
	e.n -= k
	return k, nil
}

// TestHostileTooBigForTheRepository covers inputs too large to keep in
// testdata: a 20 MB option value (refused naming the field and the
// limit), a file over MaxFileSize (refused unread), and millions of tiny
// nodes (refused before the parser builds them).
func TestHostileTooBigForTheRepository(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("testdata", "hostile", "valid-baseline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The option goes on the line after log-level's.
	line := bytes.Count(base[:bytes.Index(base, []byte("      log-level: INFO\n"))], []byte("\n")) + 2
	huge := bytes.Replace(base, []byte("      log-level: INFO\n"), []byte("      log-level: INFO\n      spi-huge: "+strings.Repeat("x", 20<<20)+"\n"), 1)
	cases := map[string]struct {
		reason string
		load   func() (Diagnostics, error)
		want   string
	}{
		"20 MB option value": {
			reason: "the field and the task definition limit are named",
			load:   func() (Diagnostics, error) { _, ds, err := Load("h.yaml", huge); return ds, err },
			want: fmt.Sprintf("h.yaml:%d:7: error: spec.keycloak.extraOptions.spi-huge: must be at most 8192 characters long, not 20971520: "+
				"an ECS task definition holds at most 64 KiB, so one option value is at most 8,192 characters\n", line),
		},
		"file over the size limit": {
			reason: "an endless file is read only up to the limit",
			load: func() (Diagnostics, error) {
				_, ds, err := LoadReader("h.yaml", &endless{b: ' ', n: MaxFileSize + 1})
				return ds, err
			},
			want: "h.yaml:1:1: error: the file is larger than 32 MiB, the most kcstack reads; a stack file is a few KB; check that -f names the stack file\n",
		},
		"millions of nodes": {
			reason: "the parser never builds them",
			load: func() (Diagnostics, error) {
				_, ds, err := Load("h.yaml", append([]byte("x: ["), bytes.Repeat([]byte("1,"), 600_000)...))
				return ds, err
			},
			want: "h.yaml:1:1: error: the file holds about 600002 YAML nodes; kcstack reads at most 500000; write the stack without generated bulk\n",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ds, err := tc.load()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, ds.String()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
