package apply

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Backoff tunes retries of transient failures: up to Attempts tries,
// waiting a random time up to First, then up to twice that, ... capped at
// Max (full jitter).
type Backoff struct {
	Attempts   int
	First, Max time.Duration
}

func (b Backoff) withDefaults() Backoff {
	if b.Attempts <= 0 {
		b.Attempts = 8
	}
	if b.First <= 0 {
		b.First = 200 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 10 * time.Second
	}
	return b
}

func (b Backoff) delay(attempt int) time.Duration {
	d := b.First << min(attempt, 16)
	if d <= 0 || d > b.Max {
		d = b.Max
	}
	return time.Duration(rand.Int64N(int64(d)) + 1)
}

// retry runs fn until it succeeds, fails with an error the engine does not
// retry, or runs out of attempts (the error then says how many, over how
// long), emitting an event before every retry.
func (e *engine) retry(ctx context.Context, c plan.Change, s string, fn func(context.Context) error) error {
	b := e.o.Retry.withDefaults()
	start := time.Now()
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil || !e.retryable(err) {
			return err
		}
		if attempt >= b.Attempts {
			return fmt.Errorf("%w (gave up after %d attempts in %s)", err, attempt, time.Since(start).Round(time.Millisecond))
		}
		e.emit(c, Event{Phase: PhaseRetry, Step: s, At: time.Now(), Err: err, Attempt: attempt + 1})
		t := time.NewTimer(b.delay(attempt - 1))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-resource.Stop(ctx):
			t.Stop()
			return fmt.Errorf("%w before retrying: %w", resource.ErrStopped, err)
		case <-t.C:
		}
	}
}

// retryable reports whether the engine retries err, as Options.Retryable
// says; without it, nothing is retried.
func (e *engine) retryable(err error) bool {
	return e.o.Retryable != nil && e.o.Retryable(err)
}
