package proc_test

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kcstack/kcstack/internal/testutil/proc"
)

// startShell starts `sh -c script` through proc.Start, or skips the test
// where there is no sh.
func startShell(t *testing.T, script string) *proc.Process {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	p, err := proc.Start(exec.Command(sh, "-c", script), t.TempDir(), "sh-*.log")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return p
}

func TestStopKillsTheProcess(t *testing.T) {
	p := startShell(t, "echo started; exec sleep 600")
	err := p.WaitReady(10*time.Second, func(context.Context) error {
		if !strings.Contains(p.Tail(1), "started") {
			return errors.New("no output yet")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("WaitReady: %v", err)
	}
	if err := p.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	select {
	case <-p.Exited():
	default:
		t.Fatalf("process %d has not exited after Stop", p.Pid())
	}
}

func TestWaitReadyReportsAnExit(t *testing.T) {
	p := startShell(t, "echo bye")
	defer p.Stop()
	never := errors.New("never ready")
	err := p.WaitReady(time.Minute, func(context.Context) error { return never })
	if !errors.Is(err, never) || !strings.Contains(err.Error(), "exited") {
		t.Errorf("WaitReady = %v, want an exit reported with the last check's error", err)
	}
}
