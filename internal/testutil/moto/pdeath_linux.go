package moto

import "syscall"

// setParentDeathSignal makes the kernel kill the server when the test
// process dies without calling Stop (a crash, a timeout, a missing TestMain).
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
