package certificate_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"

	"github.com/kcstack/kcstack/pkg/aws/certificate"
	"github.com/kcstack/kcstack/pkg/sandbox"
	sandboxacm "github.com/kcstack/kcstack/pkg/sandbox/acm"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestCheck(t *testing.T) {
	ctx := context.Background()
	srv := sandboxtest.New(t, sandbox.WithServices(sandboxacm.Service()), sandbox.WithDelays(time.Hour, 0),
		sandbox.WithCertificate(sandbox.ExampleCertificateARN, "auth.example.com"))
	client := acm.NewFromConfig(sandboxtest.AWSConfig(t, srv))
	pending, err := client.RequestCertificate(ctx, &acm.RequestCertificateInput{DomainName: aws.String("login.example.com")})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason string
		arn    string
		want   string // a part of the error, "" for none
	}{
		"issued":       {reason: "an issued certificate of the region serves", arn: sandbox.ExampleCertificateARN},
		"pending":      {reason: "a requested certificate not validated yet", arn: aws.ToString(pending.CertificateArn), want: "its status is PENDING_VALIDATION, not ISSUED"},
		"missing":      {reason: "an ARN of the account and region that names nothing", arn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-0000-0000-000000000000", want: "no such certificate in ACM in eu-west-1"},
		"other region": {reason: "a certificate of another region, checked before asking ACM", arn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666", want: "the certificate is in us-east-1, but the load balancer is in eu-west-1"},
		"malformed":    {reason: "an ARN ACM cannot read", arn: "arn:aws:acm:eu-west-1:123456789012:cert", want: "ACM does not take it as a certificate ARN"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := certificate.Check(ctx, client, tc.arn, sandboxtest.Region)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s: %v", tc.reason, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s: got %v, want an error containing %q", tc.reason, err, tc.want)
			}
		})
	}
}
