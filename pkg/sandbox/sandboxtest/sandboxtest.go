// Package sandboxtest starts sandboxes for tests and builds aws-sdk-go-v2
// configurations that talk to them over HTTP on 127.0.0.1.
package sandboxtest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// Region is the region test configurations use.
const Region = "eu-west-1"

// New starts a sandbox on 127.0.0.1 with short state-transition delays
// (30 ms creating, 10 ms deleting; options may override them) and closes
// it when the test ends.
func New(t testing.TB, opts ...sandbox.Option) *sandbox.Server {
	t.Helper()
	opts = append([]sandbox.Option{sandbox.WithDelays(30*time.Millisecond, 10*time.Millisecond)}, opts...)
	srv, err := sandbox.Start(opts...)
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close sandbox: %v", err)
		}
	})
	return srv
}

// AWSConfig returns an SDK configuration for the sandbox at srv: static
// credentials, region eu-west-1, the sandbox as base endpoint, and the
// standard retryer with short backoffs so fault-injection tests stay fast.
func AWSConfig(t testing.TB, srv *sandbox.Server) aws.Config {
	t.Helper()
	return Config(t, srv.URL())
}

// Config is AWSConfig for any endpoint URL (a sandbox or moto's server).
func Config(t testing.TB, endpoint string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(Region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDSANDBOXTEST", "sandbox-secret", "")),
		config.WithBaseEndpoint(endpoint),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 10
				o.MaxBackoff = 50 * time.Millisecond
			})
		}),
	)
	if err != nil {
		t.Fatalf("load aws config: %v", err)
	}
	return cfg
}
