//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package statelock

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// errHeld is tryLock's answer when someone else holds the lock.
var errHeld = errors.New("held")

// tryLock refuses: without flock two sandboxes could share a state file.
func tryLock(f *os.File) error {
	return fmt.Errorf("a sandbox state file (%s) needs a file lock, which kcstack has only on Linux, macOS and the BSDs, not %s: run kcstack sandbox serve without --state and point kcstack at it with AWS_ENDPOINT_URL instead of --sandbox", f.Name(), runtime.GOOS)
}

func unlock(*os.File) error { return nil }
