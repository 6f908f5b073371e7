package sandbox_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	awssm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// The key pair sandboxtest.Config signs with.
const (
	testKey    = "AKIDSANDBOXTEST"
	testSecret = "sandbox-secret"
)

// calls makes one call of each protocol the sandbox speaks: EC2 query,
// AWS query (STS, ELBv2), JSON 1.1 (SSM, Secrets Manager, ECS, Logs) and
// REST-XML (S3, a put with a body and a get), and returns the "<code>
// <status>" of each, "" for success.
func calls(t *testing.T, cfg aws.Config) map[string]string {
	t.Helper()
	ctx := context.Background()
	s3c := awss3.NewFromConfig(cfg, func(o *awss3.Options) { o.UsePathStyle = true })
	// Each protocol: EC2 query, AWS query (STS, ELBv2), JSON 1.1 (Secrets
	// Manager, ECS, Logs, SSM) and REST-XML (S3).
	run := map[string]func() error{
		"ec2 DescribeVpcs": func() error { return errOf(awsec2.NewFromConfig(cfg).DescribeVpcs(ctx, &awsec2.DescribeVpcsInput{})) },
		"sts GetCallerIdentity": func() error {
			return errOf(awssts.NewFromConfig(cfg).GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{}))
		},
		"elbv2 DescribeLoadBalancers": func() error {
			return errOf(elb.NewFromConfig(cfg).DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{}))
		},
		"secretsmanager ListSecrets": func() error { return errOf(awssm.NewFromConfig(cfg).ListSecrets(ctx, &awssm.ListSecretsInput{})) },
		"ecs ListClusters":           func() error { return errOf(awsecs.NewFromConfig(cfg).ListClusters(ctx, &awsecs.ListClustersInput{})) },
		"logs DescribeLogGroups": func() error {
			return errOf(cwl.NewFromConfig(cfg).DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{}))
		},
		"ssm PutParameter": func() error {
			return errOf(awsssm.NewFromConfig(cfg).PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/a/b-c"), Value: aws.String("v"), Overwrite: aws.Bool(true), Type: ssmtypes.ParameterTypeString}))
		},
		"s3 PutObject and GetObject": func() error { return putAndGet(ctx, s3c) },
	}
	got := map[string]string{}
	for name, fn := range run {
		got[name] = ""
		if err := fn(); err != nil {
			got[name] = sandboxtest.Failure(err)
		}
	}
	return got
}

// errOf is the error of an SDK call's answer.
func errOf(_ any, err error) error { return err }

// putAndGet creates a bucket (or finds it), puts an object with a body and
// a key to encode, and reads it back.
func putAndGet(ctx context.Context, s3c *awss3.Client) error {
	bucket := aws.String("signed-bucket")
	_, err := s3c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: bucket,
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(sandboxtest.Region)}})
	if err != nil && sandboxtest.Code(err) != "BucketAlreadyOwnedByYou" {
		return err
	}
	key := aws.String("dir/a key+1.txt")
	if _, err := s3c.PutObject(ctx, &awss3.PutObjectInput{Bucket: bucket, Key: key, Body: bytes.NewReader([]byte("hello"))}); err != nil {
		return err
	}
	out, err := s3c.GetObject(ctx, &awss3.GetObjectInput{Bucket: bucket, Key: key})
	if err != nil {
		return err
	}
	defer out.Body.Close()
	_, err = io.ReadAll(out.Body)
	return err
}

// every maps each call of calls to want.
func every(want string) map[string]string {
	return map[string]string{
		"ec2 DescribeVpcs": want, "sts GetCallerIdentity": want, "elbv2 DescribeLoadBalancers": want,
		"ssm PutParameter": want, "secretsmanager ListSecrets": want, "ecs ListClusters": want,
		"logs DescribeLogGroups": want, "s3 PutObject and GetObject": want,
	}
}

func withCredentials(cfg aws.Config, key, secret string) aws.Config {
	cfg = cfg.Copy()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(key, secret, "")
	return cfg
}

// TestCredentialsChecked is issue 12's "with --credentials KEY:SECRET it
// checks SigV4 signatures (the SDK signs correctly; a wrong secret gets
// SignatureDoesNotMatch)", for every protocol.
func TestCredentialsChecked(t *testing.T) {
	srv := sandboxtest.New(t, sandbox.WithCredentials(testKey, testSecret))
	cfg := sandboxtest.AWSConfig(t, srv)
	cases := map[string]struct {
		reason string
		cfg    aws.Config
		want   map[string]string
	}{
		"right": {reason: "the SDK signs with the sandbox's key pair", cfg: cfg, want: every("")},
		"wrong secret": {reason: "a wrong secret is a bad signature, in each protocol's words", cfg: withCredentials(cfg, testKey, "not-the-secret"),
			want: map[string]string{
				"ec2 DescribeVpcs": "SignatureDoesNotMatch 403", "sts GetCallerIdentity": "SignatureDoesNotMatch 403", "elbv2 DescribeLoadBalancers": "SignatureDoesNotMatch 403",
				"ssm PutParameter": "InvalidSignatureException 400", "secretsmanager ListSecrets": "InvalidSignatureException 400", "ecs ListClusters": "InvalidSignatureException 400",
				"logs DescribeLogGroups": "InvalidSignatureException 400", "s3 PutObject and GetObject": "SignatureDoesNotMatch 403",
			}},
		"unknown key": {reason: "another access key id is unknown, in each protocol's words", cfg: withCredentials(cfg, "AKIDSOMEONEELSE", testSecret),
			want: map[string]string{
				"ec2 DescribeVpcs": "AuthFailure 401", "sts GetCallerIdentity": "InvalidClientTokenId 403", "elbv2 DescribeLoadBalancers": "InvalidClientTokenId 403",
				"ssm PutParameter": "UnrecognizedClientException 400", "secretsmanager ListSecrets": "UnrecognizedClientException 400", "ecs ListClusters": "UnrecognizedClientException 400",
				"logs DescribeLogGroups": "UnrecognizedClientException 400", "s3 PutObject and GetObject": "InvalidAccessKeyId 403",
			}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, calls(t, tc.cfg)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestNoCredentialsAcceptsAny: without WithCredentials any signature is
// accepted, as before.
func TestNoCredentialsAcceptsAny(t *testing.T) {
	srv := sandboxtest.New(t)
	cfg := withCredentials(sandboxtest.AWSConfig(t, srv), "AKIDANYONE", "any-secret")
	if diff := cmp.Diff(every(""), calls(t, cfg)); diff != "" {
		t.Errorf("without credentials (-want +got):\n%s", diff)
	}
}
