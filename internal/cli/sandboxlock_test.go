package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kcstack/kcstack/internal/testutil/syncbuf"
	"github.com/kcstack/kcstack/pkg/sandbox/statelock"
)

// TestServeWaitsForTheStateLock: sandbox serve on a state file another
// sandbox holds waits, saying so on stderr, and gives up, naming the
// holder, when it is interrupted.
func TestServeWaitsForTheStateLock(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	held, err := statelock.Acquire(context.Background(), state, statelock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var stdout, stderr syncbuf.Buffer
	code := Run(ctx, []string{"sandbox", "serve", "--listen", "127.0.0.1:0", "--state", state}, strings.NewReader(""), &stdout, &stderr)
	wantWait := fmt.Sprintf("Waiting for the sandbox state %s, held by pid %d (", state, os.Getpid())
	wantErr := fmt.Sprintf("the sandbox state %s is in use by pid %d (", state, os.Getpid())
	if code != 1 || !strings.Contains(stderr.String(), wantWait) || !strings.Contains(stderr.String(), wantErr) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1, %q and %q", code, stderr.String(), wantWait, wantErr)
	}
	if strings.Contains(stdout.String(), "listening") {
		t.Errorf("serve listened on a state file another sandbox holds:\n%s", stdout.String())
	}
}

// TestEmbeddedSandboxWaitsForTheStateLock: the embedded sandbox waits for
// another process's, then starts once it is released.
func TestEmbeddedSandboxWaitsForTheStateLock(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	held, err := statelock.Acquire(context.Background(), state, statelock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncbuf.Buffer
	time.AfterFunc(500*time.Millisecond, func() { _ = held.Release() })
	l, err := lockSandboxState(context.Background(), state, "the embedded sandbox's", &stderr)
	if err != nil {
		t.Fatalf("after the holder released it: %v", err)
	}
	defer l.Release()
	want := fmt.Sprintf("Waiting for the embedded sandbox's state %s, held by pid %d (", state, os.Getpid())
	if !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q lacks %q", stderr.String(), want)
	}
}
