package sandbox_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsacm "github.com/aws/aws-sdk-go-v2/service/acm"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestWithCertificate(t *testing.T) {
	srv := sandboxtest.New(t, sandbox.WithCertificate(sandbox.ExampleCertificateARN, "auth.example.com"))
	out, err := awsacm.NewFromConfig(sandboxtest.AWSConfig(t, srv)).DescribeCertificate(context.Background(),
		&awsacm.DescribeCertificateInput{CertificateArn: aws.String(sandbox.ExampleCertificateARN)})
	if err != nil {
		t.Fatalf("DescribeCertificate of the seeded certificate: %v", err)
	}
	if got := string(out.Certificate.Status) + " " + aws.ToString(out.Certificate.DomainName); got != "ISSUED auth.example.com" {
		t.Errorf("seeded certificate: %s, want ISSUED auth.example.com", got)
	}
}

func TestWithCertificateOfAnotherAccount(t *testing.T) {
	srv, err := sandbox.New(sandbox.WithCertificate("arn:aws:acm:eu-west-1:999999999999:certificate/x", "a.example.com"))
	if err == nil {
		_ = srv.Close()
		t.Fatal("New seeded a certificate of another account")
	}
	if !strings.Contains(err.Error(), "not an ACM certificate ARN of account 123456789012") {
		t.Errorf("error does not say why: %v", err)
	}
}
