//go:build !unix

package moto

import "os/exec"

// configure needs nothing where there are no process groups.
func configure(*exec.Cmd) {}

// kill kills the server process.
func kill(cmd *exec.Cmd) error { return cmd.Process.Kill() }
