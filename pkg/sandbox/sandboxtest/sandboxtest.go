// Package sandboxtest starts sandboxes for tests and builds aws-sdk-go-v2
// configurations that talk to them over HTTP on 127.0.0.1.
package sandboxtest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/tagging"
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

// Client returns the client that newClient (an SDK's NewFromConfig) makes
// over a sandbox serving services, closed when the test ends.
func Client[C, O any](t testing.TB, newClient func(aws.Config, ...func(*O)) C, services ...api.Service) C {
	t.Helper()
	return newClient(AWSConfig(t, New(t, sandbox.WithServices(services...))))
}

// WithTagging is Client over a sandbox that also serves the tagging API,
// and the tagging API's client over the same sandbox.
func WithTagging[C, O any](t testing.TB, newClient func(aws.Config, ...func(*O)) C, services ...api.Service) (C, *rgt.Client) {
	t.Helper()
	cfg := AWSConfig(t, New(t, sandbox.WithServices(append(services, tagging.Service())...)))
	return newClient(cfg), rgt.NewFromConfig(cfg)
}

// Code returns the AWS error code of err: "" for nil, and the message of
// an error that is not an AWS API error.
func Code(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// Failure returns "<code> <HTTP status>" of an SDK error, the code alone
// when the error carries no HTTP response, and the message of an error
// that is not an AWS API error.
func Failure(err error) string {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return fmt.Sprint(err)
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return fmt.Sprintf("%s %d", apiErr.ErrorCode(), re.HTTPStatusCode())
	}
	return apiErr.ErrorCode()
}

// CheckPages reads every page of a paginator (more and next are its
// HasMorePages and NextPage methods) and fails t unless the items of the
// pages (items gives a page's), each named by name, are want in order,
// over pages pages when pages is above 0. what names the listing in
// messages.
func CheckPages[O, Opt, I any](t testing.TB, what string, want []string, pages int, more func() bool, next func(context.Context, ...func(*Opt)) (O, error), items func(O) []I, name func(I) *string) {
	t.Helper()
	var got []string
	n := 0
	for ; more(); n++ {
		out, err := next(context.Background())
		if err != nil {
			t.Fatalf("%s page %d: %v", what, n+1, err)
		}
		for _, it := range items(out) {
			got = append(got, aws.ToString(name(it)))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" || pages > 0 && n != pages {
		t.Errorf("%s in %d pages, want %d (-want +got):\n%s", what, n, pages, diff)
	}
}
