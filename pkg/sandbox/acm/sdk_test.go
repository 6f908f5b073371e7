package acm_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsacm "github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/acm"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/tagging"
)

// newClients serves ACM and the tagging API; requested certificates are
// issued after createDelay.
func newClients(t *testing.T, createDelay time.Duration) (*awsacm.Client, *rgt.Client, *sandbox.Server) {
	t.Helper()
	srv := sandboxtest.New(t, sandbox.WithServices(acm.Service(), tagging.Service()), sandbox.WithDelays(createDelay, 0))
	cfg := sandboxtest.AWSConfig(t, srv)
	return awsacm.NewFromConfig(cfg), rgt.NewFromConfig(cfg), srv
}

func status(t *testing.T, client *awsacm.Client, arn *string) string {
	t.Helper()
	out, err := client.DescribeCertificate(context.Background(), &awsacm.DescribeCertificateInput{CertificateArn: arn})
	if err != nil {
		t.Fatalf("DescribeCertificate: %v", err)
	}
	return string(out.Certificate.Status)
}

func TestRequestedCertificateIssuedAfterTheCreateDelay(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		reason string
		delay  time.Duration
		want   string
	}{
		"no delay":   {reason: "with no create delay a request is issued by the next call", want: "ISSUED"},
		"long delay": {reason: "within the create delay a request waits for validation", delay: time.Hour, want: "PENDING_VALIDATION"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			client, _, _ := newClients(t, tc.delay)
			out, err := client.RequestCertificate(ctx, &awsacm.RequestCertificateInput{DomainName: aws.String("auth.example.com"), ValidationMethod: types.ValidationMethodDns})
			if err != nil {
				t.Fatalf("RequestCertificate: %v", err)
			}
			if got := status(t, client, out.CertificateArn); got != tc.want {
				t.Errorf("%s: status %s, want %s", tc.reason, got, tc.want)
			}
		})
	}
}

func TestCertificateLifecycle(t *testing.T) {
	ctx := context.Background()
	client, tags, _ := newClients(t, time.Hour)
	if _, err := client.RequestCertificate(ctx, &awsacm.RequestCertificateInput{DomainName: aws.String("-bad-.example..com")}); sandboxtest.Code(err) != "ValidationException" {
		t.Errorf("a malformed domain: want ValidationException, got %v", err)
	}
	req, err := client.RequestCertificate(ctx, &awsacm.RequestCertificateInput{DomainName: aws.String("auth.example.com"), IdempotencyToken: aws.String("tok"),
		Tags: []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}}})
	if err != nil {
		t.Fatalf("RequestCertificate: %v", err)
	}
	again, err := client.RequestCertificate(ctx, &awsacm.RequestCertificateInput{DomainName: aws.String("auth.example.com"), IdempotencyToken: aws.String("tok")})
	if err != nil || aws.ToString(again.CertificateArn) != aws.ToString(req.CertificateArn) {
		t.Errorf("a request with the same idempotency token: %v, %v; want the same ARN %s", again, err, aws.ToString(req.CertificateArn))
	}
	imported, err := client.ImportCertificate(ctx, &awsacm.ImportCertificateInput{Certificate: selfSigned(t, "login.example.com"), PrivateKey: []byte("key")})
	if err != nil {
		t.Fatalf("ImportCertificate: %v", err)
	}
	if got := status(t, client, imported.CertificateArn); got != "ISSUED" {
		t.Errorf("an imported certificate: status %s, want ISSUED", got)
	}
	issued, err := client.ListCertificates(ctx, &awsacm.ListCertificatesInput{CertificateStatuses: []types.CertificateStatus{types.CertificateStatusIssued}})
	if err != nil || len(issued.CertificateSummaryList) != 1 || aws.ToString(issued.CertificateSummaryList[0].DomainName) != "login.example.com" {
		t.Errorf("ListCertificates ISSUED: %+v, %v; want the imported login.example.com", issued, err)
	}
	if _, err := client.AddTagsToCertificate(ctx, &awsacm.AddTagsToCertificateInput{CertificateArn: req.CertificateArn, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}); err != nil {
		t.Fatalf("AddTagsToCertificate: %v", err)
	}
	if _, err := client.RemoveTagsFromCertificate(ctx, &awsacm.RemoveTagsFromCertificateInput{CertificateArn: req.CertificateArn, Tags: []types.Tag{{Key: aws.String("kcstack:stack")}}}); err != nil {
		t.Fatalf("RemoveTagsFromCertificate: %v", err)
	}
	listed, err := client.ListTagsForCertificate(ctx, &awsacm.ListTagsForCertificateInput{CertificateArn: req.CertificateArn})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}, listed.Tags, cmp.AllowUnexported(types.Tag{})); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	res, err := tags.GetResources(ctx, &rgt.GetResourcesInput{ResourceTypeFilters: []string{"acm:certificate"}})
	if err != nil || len(res.ResourceTagMappingList) != 1 {
		t.Errorf("tagging GetResources acm:certificate: %+v, %v", res, err)
	}
	if _, err := client.DeleteCertificate(ctx, &awsacm.DeleteCertificateInput{CertificateArn: req.CertificateArn}); err != nil {
		t.Fatalf("DeleteCertificate: %v", err)
	}
	errs := map[string]string{}
	for name, arn := range map[string]string{"deleted": aws.ToString(req.CertificateArn), "malformed": "arn:aws:acm:eu-west-1:1:cert"} {
		_, err := client.DescribeCertificate(ctx, &awsacm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
		errs[name] = sandboxtest.Code(err)
	}
	if diff := cmp.Diff(map[string]string{"deleted": "ResourceNotFoundException", "malformed": "InvalidArnException"}, errs); diff != "" {
		t.Errorf("DescribeCertificate errors (-want +got):\n%s", diff)
	}
}

func TestSeed(t *testing.T) {
	client, _, srv := newClients(t, time.Hour)
	arn := "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
	added := make([]bool, 2)
	for i := range added {
		srv.Inspect(acm.ServiceName, func(st any) { added[i] = st.(*acm.State).Seed(arn, "auth.example.com", time.Now()) })
	}
	if diff := cmp.Diff([]bool{true, false}, added); diff != "" {
		t.Errorf("Seed twice (-want +got):\n%s", diff)
	}
	if got := status(t, client, aws.String(arn)); got != "ISSUED" {
		t.Errorf("a seeded certificate: status %s, want ISSUED", got)
	}
}

// selfSigned returns a PEM certificate for domain.
func selfSigned(t *testing.T, domain string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: domain}, DNSNames: []string{domain},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(0, 3, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
