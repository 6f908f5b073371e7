package resource

import (
	"context"
	"errors"
)

// ErrStopped is wrapped by the error of a wait that an interruption ended:
// the resource may still reach its state; a re-run picks it up.
var ErrStopped = errors.New("stopped by the interruption")

type stopKey struct{}

// WithStop returns a context carrying stop: handlers finish the AWS calls
// they have started under it (ctx is usually not cancellable), but their
// waits end as soon as stop is closed. Apply uses it so that the first
// Ctrl-C lets calls in flight finish and stops waits at once.
func WithStop(ctx context.Context, stop <-chan struct{}) context.Context {
	return context.WithValue(ctx, stopKey{}, stop)
}

// Stop returns the channel of WithStop, or nil (never closed) when ctx
// carries none.
func Stop(ctx context.Context) <-chan struct{} {
	stop, _ := ctx.Value(stopKey{}).(<-chan struct{})
	return stop
}
