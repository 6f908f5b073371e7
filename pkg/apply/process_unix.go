//go:build unix

package apply

import (
	"errors"
	"syscall"
)

// processGone reports whether no process has the id pid: signal 0 checks
// without sending anything, and EPERM means it exists as another user.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
