package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/statelock"
)

// sandboxStateFile is where --sandbox keeps the embedded sandbox's state,
// relative to the working directory, so plan, apply and destroy see the
// same resources.
const sandboxStateFile = ".kcstack/sandbox.json"

// awsFlags are the connection flags of commands that talk to AWS.
type awsFlags struct {
	region  string
	profile string
}

// session is an AWS configuration plus what must be released after use.
type session struct {
	cfg     aws.Config
	sandbox *sandbox.Server
}

// Close stops the embedded sandbox, if any, saving its state.
func (s *session) Close() error {
	if s.sandbox == nil {
		return nil
	}
	return s.sandbox.Close()
}

// connect builds the AWS configuration for a command: the embedded sandbox
// with --sandbox, otherwise the SDK's default chain (environment, shared
// config and credentials files with AWS_PROFILE or --profile, SSO, IMDS)
// and AWS_ENDPOINT_URL when set. The region is the stack file's
// (fileRegion; see regionFor), or, for a command without a stack file,
// --region, AWS_REGION or the profile's.
func (g *globals) connect(ctx context.Context, f awsFlags, fileRegion string) (*session, error) {
	region, err := regionFor(f.region, fileRegion)
	if err != nil {
		return nil, err
	}
	if g.sandbox {
		return startEmbeddedSandbox(ctx, region, g.stderr)
	}
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w (check AWS_PROFILE/--profile and ~/.aws/config)", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("no AWS region: set spec.region in the stack file, AWS_REGION, or --region")
	}
	cfg.Retryer = retryer(cfg.RetryMaxAttempts)
	return &session{cfg: cfg}, nil
}

// defaultAttempts is how many times the SDK tries a call by default.
const defaultAttempts = 10

// retryer is the SDK's standard retryer (jittered exponential backoff up
// to 20 s) with more attempts than its default 3 (AWS_MAX_ATTEMPTS or
// max_attempts, when set, win) and without its client-side retry quota.
// An apply makes bursts of calls that all need to succeed: under heavy
// throttling three attempts fail a plan's reads, and once the quota is
// spent every retry fails at once with "retry quota exceeded". The AWS
// Terraform provider also turns the quota off (ratelimit.None).
func retryer(attempts int) func() aws.Retryer {
	if attempts <= 0 {
		attempts = defaultAttempts
	}
	return func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.RateLimiter = ratelimit.None
		})
	}
}

// regionFor is the region a command with a stack file runs in: the file's
// (fileRegion) is the truth. A --region, or else an AWS_REGION or
// AWS_DEFAULT_REGION (the SDK reads them in that order), that names
// another region is refused rather than followed or silently overridden:
// the plan would read one region and the file describe another. Without a
// stack file (fileRegion empty) the region is --region, or empty for the
// SDK to find.
func regionFor(flag, fileRegion string) (string, error) {
	if fileRegion == "" {
		return flag, nil
	}
	sources := []struct{ name, value, fix string }{
		{"--region", flag, "drop --region"},
		{"AWS_REGION", os.Getenv("AWS_REGION"), "unset AWS_REGION"},
		{"AWS_DEFAULT_REGION", os.Getenv("AWS_DEFAULT_REGION"), "unset AWS_DEFAULT_REGION"},
	}
	for _, s := range sources {
		if s.value == "" {
			continue
		}
		if s.value != fileRegion {
			return "", fmt.Errorf("the stack file says spec.region %s, but %s is %s; kcstack plans and applies in the file's region: %s or change spec.region", fileRegion, s.name, s.value, s.fix)
		}
		break
	}
	return fileRegion, nil
}

// sandboxLockWait bounds how long a command waits for another process
// that uses the same sandbox state file.
const sandboxLockWait = 5 * time.Minute

// lockSandboxState takes the lock of a sandbox state file, waiting for
// another process that holds it and saying so on stderr every few seconds;
// what names the sandbox in those messages.
func lockSandboxState(ctx context.Context, state, what string, stderr io.Writer) (*statelock.Lock, error) {
	return statelock.Acquire(ctx, state, statelock.Options{Wait: sandboxLockWait, Every: 5 * time.Second,
		OnWait: func(h *statelock.HeldError) {
			fmt.Fprintf(stderr, "Waiting for %s state %s, held by %s (%s, up to %s)...\n", what, h.State, h.Holder, h.Waited.Round(time.Second), sandboxLockWait)
		}})
}

func startEmbeddedSandbox(ctx context.Context, region string, stderr io.Writer) (*session, error) {
	if err := os.MkdirAll(filepath.Dir(sandboxStateFile), 0o755); err != nil {
		return nil, fmt.Errorf("create sandbox state directory: %w", err)
	}
	lock, err := lockSandboxState(ctx, sandboxStateFile, "the embedded sandbox's", stderr)
	if err != nil {
		return nil, fmt.Errorf("start the embedded sandbox: %w", err)
	}
	// Credentials of this run only: the embedded sandbox checks every
	// signature, so nothing but this process's clients is answered.
	key, secret := "AKIDKCSTACK"+strings.ToUpper(api.RandomHex(9)), api.RandomHex(40)
	srv, err := sandbox.Start(sandbox.WithStateFile(sandboxStateFile), sandbox.WithStateLock(lock), sandbox.WithCredentials(key, secret),
		sandbox.WithCertificate(sandbox.ExampleCertificateARN, "auth.example.com"))
	if err != nil {
		return nil, fmt.Errorf("start the embedded sandbox: %w", err)
	}
	if region == "" {
		region = "eu-west-1"
	}
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRegion(region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(key, secret, "")),
		config.WithBaseEndpoint(srv.URL()),
		config.WithRetryer(retryer(0)),
	)
	if err != nil {
		_ = srv.Close()
		return nil, fmt.Errorf("configure the embedded sandbox client: %w", err)
	}
	return &session{cfg: cfg, sandbox: srv}, nil
}
