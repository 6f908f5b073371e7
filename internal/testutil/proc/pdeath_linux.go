package proc

import "syscall"

// setParentDeathSignal makes the kernel kill the process when the test
// process dies without calling Stop (a crash, a timeout, a missing TestMain).
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
