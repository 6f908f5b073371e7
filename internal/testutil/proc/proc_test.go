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

func TestStopKillsTheProcess(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	p, err := proc.Start(exec.Command(sh, "-c", "echo started; exec sleep 600"), "", "kcstack-proc-test-*.log")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	err = p.WaitReady(10*time.Second, func(context.Context) error {
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
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	p, err := proc.Start(exec.Command(sh, "-c", "echo bye"), "", "kcstack-proc-test-*.log")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer p.Stop()
	never := errors.New("never ready")
	err = p.WaitReady(time.Minute, func(context.Context) error { return never })
	if !errors.Is(err, never) || !strings.Contains(err.Error(), "exited") {
		t.Errorf("WaitReady = %v, want an exit reported with the last check's error", err)
	}
}
