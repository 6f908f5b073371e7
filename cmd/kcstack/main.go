// Command kcstack runs highly-available Keycloak on AWS from one declarative
// file. See the README for usage.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/kcstack/kcstack/internal/cli"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	// SIGHUP (the terminal closed) stops like Ctrl-C, so that the stack
	// lock is released as the run unwinds.
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-sigs
		fmt.Fprintln(os.Stderr, "\nInterrupt received: no new changes start; calls in flight finish, waits stop. Press Ctrl-C again to exit at once.")
		cancel()
		<-sigs
		fmt.Fprintln(os.Stderr, "\nSecond interrupt: exiting now. Changes in flight may be incomplete and the stack lock may remain; run the same command again to converge (kcstack unlock releases a stale lock).")
		os.Exit(130)
	}()
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	// Done: an interrupt from now on must not kill the process before it
	// exits with code (signal.Stop would restore exactly that default).
	signal.Ignore(os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	cancel()
	os.Exit(code)
}
