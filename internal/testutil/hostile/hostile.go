// Package hostile reads the hostile-input corpus of kcstack validate
// (pkg/stack/testdata/hostile, written by its generate.py) for the tests
// that feed it to the loader and to the kcstack binary.
package hostile

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Want is one error a corpus file must produce: At is LINE:COLUMN, Field
// the field path ("" for none), Text a piece of the message.
type Want struct {
	At, Field, Text string
}

// String is how a diagnostic starts for w: LINE:COLUMN FIELD.
func (w Want) String() string { return w.At + " " + w.Field }

// File is one corpus file: its path, contents and expected errors (none
// when Valid).
type File struct {
	Path  string
	Data  []byte
	Valid bool
	Wants []Want
}

// Load reads every corpus file under dir; at least min must be there.
func Load(dir string, min int) ([]File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(paths) < min {
		return nil, fmt.Errorf("%s holds %d files, want at least %d", dir, len(paths), min)
	}
	files := make([]File, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		f, err := parse(p, data)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// parse reads the header of a corpus file: a `# hostile:` line, then
// `# want: valid` or one `# want: LINE:COLUMN FIELD [~ TEXT]` per error
// (FIELD - for none).
func parse(path string, data []byte) (File, error) {
	f := File{Path: path, Data: data}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "# want: ")
		if !ok {
			if strings.HasPrefix(sc.Text(), "# hostile:") {
				continue
			}
			break
		}
		if line == "valid" {
			f.Valid = true
			return f, nil
		}
		spec, text, _ := strings.Cut(line, " ~ ")
		at, field, _ := strings.Cut(spec, " ")
		if field == "-" {
			field = ""
		}
		f.Wants = append(f.Wants, Want{At: at, Field: field, Text: text})
	}
	if len(f.Wants) == 0 {
		return f, fmt.Errorf("%s: no `# want:` header", path)
	}
	return f, nil
}
