package cache

import (
	"context"
	"time"

	"github.com/kcstack/kcstack/pkg/aws/poll"
)

// Default bounds of the waits, unless clients.Options.Wait says
// otherwise: a replication group takes many minutes to create, modify or
// delete; users and user groups take seconds to minutes.
var (
	groupWait = poll.Options{Timeout: time.Hour}
	userWait  = poll.Options{Timeout: 15 * time.Minute}
)

// check reads a resource for a wait: whether it exists, its status, and
// whether it is in the state waited for.
type check func(ctx context.Context) (exists bool, status string, ready bool, err error)

// waitReady waits until c reports the resource ready; what names it
// ("replication group kc-redis").
func waitReady(ctx context.Context, o poll.Options, what string, c check) error {
	return poll.Until(ctx, what+" to become available", o, func(ctx context.Context) (bool, string, error) {
		exists, status, ready, err := c(ctx)
		if err != nil || !exists {
			return false, "not found yet", err
		}
		return ready, status, nil
	})
}

// waitGone waits until c reports that the resource no longer exists.
func waitGone(ctx context.Context, o poll.Options, what string, c check) error {
	return poll.Until(ctx, what+" to be deleted", o, func(ctx context.Context) (bool, string, error) {
		exists, status, _, err := c(ctx)
		return err == nil && !exists, status, err
	})
}
