package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/kcstack/kcstack/pkg/sandbox/internal/strictjson"
)

// stateFile is the on-disk form of the sandbox's state.
type stateFile struct {
	FormatVersion int                        `json:"format_version"`
	Services      map[string]json.RawMessage `json:"services"`
}

const stateFormatVersion = 1

// load reads the state file if it exists. Call before serving. A file it
// does not fully understand (an unknown key at any depth, a service this
// sandbox does not emulate, another format_version) is refused, naming the
// key: saving would drop what it cannot read, so it is never rewritten.
func (s *Server) load() error {
	raw, err := os.ReadFile(s.cfg.stateFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read sandbox state: %w", err)
	}
	var f stateFile
	if err := strictjson.Decode(raw, &f, ""); err != nil {
		return s.refuse(err)
	}
	if f.FormatVersion != stateFormatVersion {
		return s.refuse(fmt.Errorf("format_version %d, want %d", f.FormatVersion, stateFormatVersion))
	}
	for _, name := range slices.Sorted(maps.Keys(f.Services)) {
		st, ok := s.states[name]
		if !ok {
			return s.refuse(fmt.Errorf("unknown key services.%s: this sandbox emulates no service %s", name, name))
		}
		if err := strictjson.Decode(f.Services[name], st, "services."+name); err != nil {
			return s.refuse(err)
		}
	}
	return nil
}

// refuse explains a state file that cannot be loaded.
func (s *Server) refuse(err error) error {
	return fmt.Errorf("sandbox state %s: %w; it was written by another kcstack version or edited, and is left as it is: move it away to start empty", s.cfg.stateFile, err)
}

// save writes the state atomically: a temporary file in the same
// directory, synced, then renamed over the old one. Call with s.mu held.
func (s *Server) save() error {
	f := stateFile{FormatVersion: stateFormatVersion, Services: map[string]json.RawMessage{}}
	for name, st := range s.states {
		b, err := json.Marshal(st)
		if err != nil {
			return fmt.Errorf("encode sandbox state of %s: %w", name, err)
		}
		f.Services[name] = b
	}
	data, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return fmt.Errorf("encode sandbox state: %w", err)
	}
	return writeAtomic(s.cfg.stateFile, data)
}

func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".sandbox-*.json")
	if err != nil {
		return fmt.Errorf("write sandbox state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write sandbox state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write sandbox state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write sandbox state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write sandbox state: %w", err)
	}
	return nil
}
