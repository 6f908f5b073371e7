//go:build !unix

package proc

import "os/exec"

// configure needs nothing where there are no process groups.
func configure(*exec.Cmd) {}

// kill kills the process process.
func kill(cmd *exec.Cmd) error { return cmd.Process.Kill() }
