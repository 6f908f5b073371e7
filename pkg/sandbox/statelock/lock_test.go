package statelock

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAcquireRefusesASecondHolder(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	first, err := Acquire(t.Context(), state, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	_, err = Acquire(t.Context(), state, Options{})
	var held *HeldError
	if !errors.As(err, &held) {
		t.Fatalf("a second lock while the first is held: got %v, want a *HeldError", err)
	}
	if held.Holder.PID != os.Getpid() {
		t.Errorf("holder pid %d, want this process, %d", held.Holder.PID, os.Getpid())
	}
	want := fmt.Sprintf("the sandbox state %s is in use by pid %d (", state, os.Getpid())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}

func TestAcquireWaitsForTheHolder(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	first, err := Acquire(t.Context(), state, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu      sync.Mutex
		notices []*HeldError
	)
	onWait := func(h *HeldError) {
		mu.Lock()
		defer mu.Unlock()
		notices = append(notices, h)
	}
	time.AfterFunc(300*time.Millisecond, func() { _ = first.Release() })
	second, err := Acquire(t.Context(), state, Options{Wait: 10 * time.Second, Every: 100 * time.Millisecond, OnWait: onWait})
	if err != nil {
		t.Fatalf("after the first released it: %v", err)
	}
	defer second.Release()
	mu.Lock()
	defer mu.Unlock()
	if len(notices) < 2 {
		t.Fatalf("got %d wait notices in 300 ms every 100 ms, want at least 2", len(notices))
	}
	if notices[0].Holder.PID != os.Getpid() || notices[0].Waited > notices[len(notices)-1].Waited {
		t.Errorf("notices %+v, want the holder's pid %d and growing waits", notices, os.Getpid())
	}
}

func TestAcquireGivesUpAfterTheWait(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	first, err := Acquire(t.Context(), state, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	start := time.Now()
	_, err = Acquire(t.Context(), state, Options{Wait: 300 * time.Millisecond})
	var held *HeldError
	if !errors.As(err, &held) || held.Waited < 300*time.Millisecond {
		t.Fatalf("got %v, want a *HeldError after waiting 300 ms", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("gave up after %s, want about 300 ms", d)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Acquire(ctx, state, Options{Wait: time.Hour}); !errors.As(err, &held) {
		t.Errorf("with a cancelled context: got %v, want a *HeldError at once", err)
	}
}

// TestLockOfAnotherProcess holds the lock in a child process (this test
// binary, see TestMain): this process is refused and names the child;
// once the child is killed, without releasing anything, the lock is free.
func TestLockOfAnotherProcess(t *testing.T) {
	state := filepath.Join(t.TempDir(), "sandbox.json")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+state)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "locked\n" {
		t.Fatalf("child said %q, want locked", line)
	}
	_, err = Acquire(t.Context(), state, Options{})
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.PID != cmd.Process.Pid {
		t.Fatalf("got %v, want a *HeldError naming the child, pid %d", err, cmd.Process.Pid)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	l, err := Acquire(t.Context(), state, Options{Wait: 5 * time.Second})
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	_ = l.Release()
}

// holdEnv makes the test binary a lock holder: it locks the state file
// named by the variable, says "locked" and waits to be killed.
const holdEnv = "STATELOCK_TEST_HOLD"

func TestMain(m *testing.M) {
	if state := os.Getenv(holdEnv); state != "" {
		if _, err := Acquire(context.Background(), state, Options{}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
