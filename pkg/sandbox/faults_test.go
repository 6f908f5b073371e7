package sandbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

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

// TestLostAnswers checks WithLostAnswers: the first call of a named
// operation changes the state and answers 500, the next one answers, and
// an operation of another service with the same name keeps its answers.
func TestLostAnswers(t *testing.T) {
	cases := map[string]struct {
		reason string
		lose   map[string]int
		lost   int
	}{
		"bare":          {reason: "a bare name loses the first answers in any service", lose: map[string]int{"CreateVpc": 1}, lost: 1},
		"service":       {reason: "a name with the service loses them in that service", lose: map[string]int{"ec2:CreateVpc": 2}, lost: 2},
		"other service": {reason: "a name with another service loses nothing here", lose: map[string]int{"ecs:CreateVpc": 1}, lost: 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := sandboxtest.New(t, sandbox.WithLostAnswers(tc.lose))
			cfg := sandboxtest.AWSConfig(t, srv)
			cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
			client := ec2.NewFromConfig(cfg)
			var failed []int
			for i := range 3 {
				_, err := client.CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
				var re *awshttp.ResponseError
				switch {
				case errors.As(err, &re) && re.HTTPStatusCode() == 500:
					failed = append(failed, i)
				case err != nil:
					t.Fatalf("call %d: %v", i, err)
				}
			}
			out, err := client.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{Filters: []types.Filter{{Name: aws.String("cidr"), Values: []string{"10.0.0.0/16"}}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(failed) != tc.lost || len(out.Vpcs) != 3 {
				t.Errorf("%s: %d of 3 calls answered 500 (want %d), %d VPCs made (want 3, every call ran)", tc.reason, len(failed), tc.lost, len(out.Vpcs))
			}
			if left := srv.AnswersToLose(); len(left) != len(tc.lose)-min(tc.lost, 1) {
				t.Errorf("%s: answers still to lose %v", tc.reason, left)
			}
			for i, call := range failed {
				if call != i {
					t.Errorf("%s: calls %v lost their answers, want the first %d", tc.reason, failed, tc.lost)
				}
			}
		})
	}
}
