package stack

import (
	"bufio"
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
)

// hostileWant is one error a hostile file must produce: its position and
// field, and a piece of its message.
type hostileWant struct {
	at, field, text string
}

// hostileFiles returns the corpus under testdata/hostile (written by its
// generate.py) with the expectations of each file's header: `# want: valid`,
// or one `# want: LINE:COLUMN FIELD [~ TEXT]` per error (FIELD - for none).
func hostileFiles(t testing.TB) map[string][]hostileWant {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "hostile", "*.yaml"))
	if err != nil || len(files) < 100 {
		t.Fatalf("the hostile corpus holds %d files, want at least 100 (%v)", len(files), err)
	}
	out := map[string][]hostileWant{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		wants, ok := parseWants(data)
		if !ok {
			t.Fatalf("%s: no `# want:` header", file)
		}
		out[file] = wants
	}
	return out
}

// parseWants reads the `# want:` lines of a corpus file; nil wants (and
// ok) mean the file is valid.
func parseWants(data []byte) ([]hostileWant, bool) {
	var wants []hostileWant
	found := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "# want: ")
		if !ok {
			if !strings.HasPrefix(sc.Text(), "# hostile:") {
				break
			}
			continue
		}
		found = true
		if line == "valid" {
			return nil, true
		}
		spec, text, _ := strings.Cut(line, " ~ ")
		at, field, _ := strings.Cut(spec, " ")
		if field == "-" {
			field = ""
		}
		wants = append(wants, hostileWant{at: at, field: field, text: text})
	}
	return wants, found
}

// TestHostileCorpus loads every hostile file: no panic, no internal error,
// and exactly the errors its header names, at their line, column and
// field, each message saying what its header quotes. Valid files (edge
// cases at the limits) load without errors; e2e applies them.
func TestHostileCorpus(t *testing.T) {
	for file, wants := range hostileFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, ds, err := Load("h.yaml", data)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			errs := ds.Errors()
			var got, want []string
			for _, d := range errs {
				got = append(got, fmt.Sprintf("%d:%d %s", d.Line, d.Column, d.Path))
			}
			for _, w := range wants {
				want = append(want, w.at+" "+w.field)
			}
			slices.Sort(got)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("errors at (-want +got):\n%s\n%s", diff, errs)
			}
			for _, w := range wants {
				if !slices.ContainsFunc(errs, func(d Diagnostic) bool {
					return fmt.Sprintf("%d:%d %s", d.Line, d.Column, d.Path) == w.at+" "+w.field && strings.Contains(d.String(), w.text)
				}) {
					t.Errorf("no error at %s %s says %q:\n%s", w.at, w.field, w.text, errs)
				}
			}
		})
	}
}

// BenchmarkHostileCorpus loads every hostile file and reports the worst
// file's time and allocated bytes: the bound on what a stack file can make
// validate spend.
func BenchmarkHostileCorpus(b *testing.B) {
	files := hostileFiles(b)
	inputs := map[string][]byte{}
	for file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		inputs[filepath.Base(file)] = data
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
	huge := bytes.Replace(base, []byte("      log-level: INFO\n"), []byte("      log-level: INFO\n      spi-huge: "+strings.Repeat("x", 20<<20)+"\n"), 1)
	cases := map[string]struct {
		reason string
		load   func() (Diagnostics, error)
		want   string
	}{
		"20 MB option value": {
			reason: "the field and the task definition limit are named",
			load:   func() (Diagnostics, error) { _, ds, err := Load("h.yaml", huge); return ds, err },
			want:   "h.yaml:18:7: error: spec.keycloak.extraOptions.spi-huge: must be at most 8192 characters long, not 20971520: an ECS task definition holds at most 64 KiB, so one option value is at most 8,192 characters\n",
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
