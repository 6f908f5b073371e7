package sandbox_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/logging"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// benchVPCs is how many VPCs the benchmark's sandbox holds, as a small
// stack's account would.
const benchVPCs = 10

// BenchmarkCallOverhead measures what the sandbox itself adds to one call,
// so it never dominates kcstack's own benchmarks:
//
//   - handler: ServeHTTP in process (routing, decoding, the operation under
//     the state lock, encoding) for DescribeVpcs, no network and no SDK;
//   - sdk: DescribeVpcs from an aws-sdk-go-v2 client over HTTP, minus the
//     same client against an httptest server answering the same bytes
//     canned, which leaves the sandbox's share of the round trip.
//
// Both report overhead-µs/call; it must stay well under 1000.
func BenchmarkCallOverhead(b *testing.B) {
	b.Run("handler", benchHandler)
	b.Run("sdk", benchSDK)
}

func benchHandler(b *testing.B) {
	srv, err := sandbox.New(sandbox.WithDelays(0, 0))
	if err != nil {
		b.Fatal(err)
	}
	for i := range benchVPCs {
		serveQuery(b, srv, fmt.Sprintf("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.%d.0.0%%2F16", i))
	}
	body := "Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag-key&Filter.1.Value.1=Name"
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		serveQuery(b, srv, body)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e3, "overhead-µs/call")
}

// serveQuery sends one EC2 query request to the handler in process.
func serveQuery(b *testing.B, h http.Handler, body string) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261123/eu-west-1/ec2/aws4_request, SignedHeaders=host, Signature=0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: HTTP %d: %s", body, rec.Code, rec.Body)
	}
}

func benchSDK(b *testing.B) {
	srv := sandboxtest.New(b, sandbox.WithDelays(0, 0))
	ctx := context.Background()
	quiet := func(o *ec2.Options) { o.Logger = logging.Nop{} } // servers of earlier rounds close under idle connections
	client := ec2.NewFromConfig(sandboxtest.AWSConfig(b, srv), quiet)
	for i := range benchVPCs {
		_, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", i)),
			TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("bench")}}}}})
		if err != nil {
			b.Fatal(err)
		}
	}
	in := &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag-key"), Values: []string{"Name"}}}}
	canned := cannedServer(b, srv.URL())
	cannedClient := ec2.NewFromConfig(sandboxtest.Config(b, canned.URL), quiet)
	describe := func(c *ec2.Client) {
		out, err := c.DescribeVpcs(ctx, in)
		if err != nil || len(out.Vpcs) != benchVPCs {
			b.Fatalf("describe vpcs: %d vpcs, error %v", len(out.Vpcs), err)
		}
	}
	describe(cannedClient) // warm both connections
	describe(client)
	b.ReportAllocs()
	b.ResetTimer()
	var base time.Duration
	for b.Loop() {
		describe(client)
		start := time.Now()
		describe(cannedClient)
		base += time.Since(start)
	}
	total := b.Elapsed() - base
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "sandbox-ns/call")
	b.ReportMetric(float64(base.Nanoseconds())/float64(b.N), "canned-ns/call")
	b.ReportMetric(float64((total-base).Nanoseconds())/float64(b.N)/1e3, "overhead-µs/call")
}

// cannedServer records the sandbox's answer to the benchmark's
// DescribeVpcs once and serves those bytes to every request.
func cannedServer(b *testing.B, sandboxURL string) *httptest.Server {
	req, _ := http.NewRequest(http.MethodPost, sandboxURL, strings.NewReader("Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag-key&Filter.1.Value.1=Name"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261123/eu-west-1/ec2/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("record canned DescribeVpcs: HTTP %d, %v", resp.StatusCode, err)
	}
	canned := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.Header().Set("X-Amzn-RequestId", "00000000-0000-0000-0000-000000000000")
		_, _ = w.Write(body)
	}))
	b.Cleanup(canned.Close)
	return canned
}
