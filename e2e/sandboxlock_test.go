package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kcstack/kcstack/pkg/sandbox/statelock"
)

// TestEmbeddedSandboxWaitsForItsState: kcstack --sandbox in a directory
// whose sandbox state another process holds waits, saying who holds it,
// and runs once it is released.
func TestEmbeddedSandboxWaitsForItsState(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	file := e.stackFile(t, "aurora-rosa.yaml")
	held, err := statelock.Acquire(context.Background(), filepath.Join(e.Dir, ".kcstack", "sandbox.json"), statelock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := e.startUntilStderr(t, "Waiting for the embedded sandbox's state", "--sandbox", "plan", "-f", file)
	p.waitSeen(t, "Waiting for the embedded sandbox's state")
	p.stillRunning(t, "while another process held its sandbox state")
	if err := held.Release(); err != nil {
		t.Fatal(err)
	}
	r := p.wait(t)
	want := fmt.Sprintf("Waiting for the embedded sandbox's state .kcstack/sandbox.json, held by pid %d (", os.Getpid())
	if r.Code != 0 || !strings.Contains(r.Stderr, want) || !strings.Contains(r.Stdout, "to add") {
		t.Errorf("exit %d; want 0, %q on stderr and a plan\nstdout:\n%s\nstderr:\n%s", r.Code, want, r.Stdout, r.Stderr)
	}
}
