//go:build unix

package proc

import (
	"errors"
	"os/exec"
	"syscall"
)

// configure puts the process in its own process group, so Stop can kill it
// with any helper process it starts and nothing else.
func configure(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setParentDeathSignal(cmd.SysProcAttr)
}

// kill sends SIGKILL to the process's process group.
func kill(cmd *exec.Cmd) error {
	err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}
