package sandbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestHappyPath(t *testing.T) {
	srv := sandboxtest.New(t) // 30 ms creating: the waiters see creating, then available
	newHappyPath(t, sandboxtest.AWSConfig(t, srv)).run()
}

// TestHappyPathThrottled is `kcstack sandbox serve --throttle-rate 0.3
// --seed 1`: the SDK's standard retryer (retry.NewStandard: its retryable
// and throttle error codes, its retry quota, its jittered backoff)
// completes the whole happy path, waiters included.
//
// Two settings differ from the defaults. MaxBackoff is 20 ms instead of
// 20 s (throttling backs off from 1 s), so the test stays quick. And
// MaxAttempts is 10 instead of 3: with a third of calls throttled, three
// attempts fail a call with probability 0.3^3 = 2.7%, so one of the ~60
// calls fails in most runs (measured: 10 of 40 runs) — arithmetic, not a
// sandbox defect; ten attempts fail a run about once in 3000.
func TestHappyPathThrottled(t *testing.T) {
	srv := sandboxtest.New(t, sandbox.WithFaults(sandbox.Faults{ThrottleRate: 0.3, Seed: 1}))
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(sandboxtest.Region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDSANDBOXTEST", "sandbox-secret", "")),
		config.WithBaseEndpoint(srv.URL()),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxBackoff = 20 * time.Millisecond
				o.MaxAttempts = 10
			})
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	newHappyPath(t, cfg).run()
	calls := 0
	for _, ops := range srv.Calls() {
		for _, n := range ops {
			calls += n
		}
	}
	t.Logf("%d calls received, the retries of throttled ones included", calls)
}
