package proc

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Process is a server process started by Start.
type Process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	// Log is the path of the file that holds the process's stdout and stderr.
	Log string

	stopOnce sync.Once
	stopErr  error
}

// Start starts cmd in its own process group with its output in a new log
// file in logDir (the default temporary directory when empty) named after
// logPattern, as os.CreateTemp takes them. The caller stops it with Stop.
func Start(cmd *exec.Cmd, logDir, logPattern string) (*Process, error) {
	log, err := os.CreateTemp(logDir, logPattern)
	if err != nil {
		return nil, fmt.Errorf("create log for %s: %w", cmd.Path, err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	configure(cmd)
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("run %s: %w", cmd.Path, err)
	}
	p := &Process{cmd: cmd, exited: make(chan struct{}), Log: log.Name()}
	go func() {
		_ = cmd.Wait()
		log.Close()
		close(p.exited)
	}()
	return p, nil
}

// Pid returns the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Stop kills the process's group and waits up to 10 seconds for the
// process to exit. Calls after the first return the first one's result.
func (p *Process) Stop() error {
	p.stopOnce.Do(func() { p.stopErr = p.stop() })
	return p.stopErr
}

func (p *Process) stop() error {
	if err := kill(p.cmd); err != nil {
		return fmt.Errorf("kill %s (pid %d): %w", p.cmd.Path, p.Pid(), err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(10 * time.Second):
		return fmt.Errorf("%s (pid %d) still running 10s after kill", p.cmd.Path, p.Pid())
	}
}

// Tail returns the last n lines of the process's log, for error messages.
func (p *Process) Tail(n int) string {
	b, err := os.ReadFile(p.Log)
	if err != nil {
		return fmt.Sprintf("(read %s: %v)", p.Log, err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// WaitReady calls ready every 100ms until it returns nil, the process
// exits, or timeout passes; the error then carries ready's last error.
func (p *Process) WaitReady(timeout time.Duration, ready func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		err := ready(ctx)
		if err == nil {
			return nil
		}
		select {
		case <-p.exited:
			return fmt.Errorf("%s exited before it was ready: %w", p.cmd.Path, err)
		case <-ctx.Done():
			return fmt.Errorf("%s not ready within %s: %w", p.cmd.Path, timeout, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// FreePort asks the kernel for a free port on 127.0.0.1.
func FreePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port, nil
}
