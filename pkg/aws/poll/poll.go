// Package poll waits for AWS resources to reach a state, polling from a
// short first interval with exponential backoff instead of fixed sleeps, so
// that waits end soon after the resource is ready.
package poll

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kcstack/kcstack/pkg/resource"
)

// Options tune a wait.
type Options struct {
	// First is the shortest interval (default 100ms). Later intervals are
	// an eighth of the time waited so far, so a wait overshoots the moment
	// the resource is ready by at most an eighth, capped at Max (default 5s).
	First, Max time.Duration
	// Timeout bounds the whole wait (default 30 minutes).
	Timeout time.Duration
}

// ErrTimeout is wrapped by the error Until returns when the timeout passes.
var ErrTimeout = errors.New("timed out")

// Until calls check until it reports done, returns an error, the timeout
// passes, or ctx is cancelled or stopped (resource.WithStop: the wait ends
// with resource.ErrStopped, between two checks). what describes the wait for the timeout message
// ("DB cluster kc-aurora to become available"); check's last status is
// included in it.
func Until(ctx context.Context, what string, o Options, check func(context.Context) (done bool, status string, err error)) error {
	if o.First <= 0 {
		o.First = 100 * time.Millisecond
	}
	if o.Max <= 0 {
		o.Max = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Minute
	}
	start := time.Now()
	deadline := start.Add(o.Timeout)
	for {
		interval := min(max(o.First, time.Since(start)/8), o.Max)
		done, status, err := check(ctx)
		if err != nil || done {
			return err
		}
		if time.Now().Add(interval).After(deadline) {
			return fmt.Errorf("waiting for %s: %w after %s (last status %q); it may still finish: run the command again to pick up where it stopped", what, ErrTimeout, o.Timeout, status)
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-resource.Stop(ctx):
			t.Stop()
			return fmt.Errorf("waiting for %s (last status %q): %w; it may still finish: run the command again to pick up where it stopped", what, status, resource.ErrStopped)
		case <-t.C:
		}
	}
}
