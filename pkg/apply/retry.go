package apply

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"time"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/kcstack/kcstack/pkg/aws/ambiguous"
	"github.com/kcstack/kcstack/pkg/plan"
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

// retry runs fn until it succeeds, fails permanently, or runs out of
// attempts, emitting an event before every retry.
func (e *engine) retry(ctx context.Context, c plan.Change, s string, fn func(context.Context) error) error {
	b := e.o.Retry.withDefaults()
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil || !Transient(err) || attempt >= b.Attempts {
			return err
		}
		e.emit(c, Event{Phase: PhaseRetry, Step: s, At: time.Now(), Err: err, Attempt: attempt + 1})
		t := time.NewTimer(b.delay(attempt - 1))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// Transient reports whether err may go away on retry: throttling, server
// errors, broken connections, and creates whose outcome is unknown.
func Transient(err error) bool {
	var amb *ambiguous.Error
	if errors.As(err, &amb) {
		return true
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled",
			"InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable", "InternalServerError":
			return true
		}
	}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) && resp.HTTPStatusCode() >= 500 {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "connection reset") {
		return true
	}
	return false
}
