package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/s3"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/tagging"
)

func newClients(t *testing.T) (*awss3.Client, *rgt.Client, *sandbox.Server) {
	t.Helper()
	srv := sandboxtest.New(t, sandbox.WithServices(s3.Service(), tagging.Service()))
	cfg := sandboxtest.AWSConfig(t, srv)
	return awss3.NewFromConfig(cfg, func(o *awss3.Options) { o.UsePathStyle = true }), rgt.NewFromConfig(cfg), srv
}

// createBucket makes the bucket name in eu-west-1 and returns its name
// for the SDK's inputs.
func createBucket(t *testing.T, client *awss3.Client, name string) *string {
	t.Helper()
	_, err := client.CreateBucket(context.Background(), &awss3.CreateBucketInput{
		Bucket:                    aws.String(name),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1},
	})
	if err != nil {
		t.Fatalf("CreateBucket %s: %v", name, err)
	}
	return aws.String(name)
}

func TestBucketLifecycle(t *testing.T) {
	ctx := context.Background()
	client, tagAPI, _ := newClients(t)
	if _, err := client.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("kc-ping")}); sandboxtest.Failure(err) != "IllegalLocationConstraintException 400" {
		t.Errorf("CreateBucket without a constraint outside us-east-1: got %v", sandboxtest.Failure(err))
	}
	createBucket(t, client, "kc-ping")
	if _, err := client.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("kc-ping"), CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}}); sandboxtest.Failure(err) != "BucketAlreadyOwnedByYou 409" {
		t.Errorf("second CreateBucket: got %v", sandboxtest.Failure(err))
	}
	if _, err := client.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("Bad_Name"), CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}}); sandboxtest.Failure(err) != "InvalidBucketName 400" {
		t.Errorf("CreateBucket bad name: got %v", sandboxtest.Failure(err))
	}
	head, err := client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String("kc-ping")})
	if err != nil || aws.ToString(head.BucketRegion) != "eu-west-1" {
		t.Fatalf("HeadBucket: %+v, %v", head, err)
	}
	if _, err := client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: aws.String("nope")}); sandboxtest.Failure(err) != "NotFound 404" {
		t.Errorf("HeadBucket missing: got %v", sandboxtest.Failure(err))
	}
	list, err := client.ListBuckets(ctx, &awss3.ListBucketsInput{})
	if err != nil || len(list.Buckets) != 1 || aws.ToString(list.Buckets[0].Name) != "kc-ping" || list.Buckets[0].CreationDate == nil {
		t.Fatalf("ListBuckets: %+v, %v", list, err)
	}
	tags := []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}, {Key: aws.String("team"), Value: aws.String("iam")}}
	if _, err := client.GetBucketTagging(ctx, &awss3.GetBucketTaggingInput{Bucket: aws.String("kc-ping")}); sandboxtest.Failure(err) != "NoSuchTagSet 404" {
		t.Errorf("GetBucketTagging before tags: got %v", sandboxtest.Failure(err))
	}
	if _, err := client.PutBucketTagging(ctx, &awss3.PutBucketTaggingInput{Bucket: aws.String("kc-ping"), Tagging: &types.Tagging{TagSet: tags}}); err != nil {
		t.Fatalf("PutBucketTagging: %v", err)
	}
	got, err := client.GetBucketTagging(ctx, &awss3.GetBucketTaggingInput{Bucket: aws.String("kc-ping")})
	if err != nil || len(got.TagSet) != 2 || aws.ToString(got.TagSet[1].Value) != "iam" {
		t.Fatalf("GetBucketTagging: %+v, %v", got, err)
	}
	res, err := tagAPI.GetResources(ctx, &rgt.GetResourcesInput{ResourceTypeFilters: []string{"s3:bucket"}})
	if err != nil || len(res.ResourceTagMappingList) != 1 || aws.ToString(res.ResourceTagMappingList[0].ResourceARN) != "arn:aws:s3:::kc-ping" {
		t.Errorf("tagging API s3:bucket: %+v, %v", res, err)
	}
	if _, err := client.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String("kc-ping")}); err != nil {
		t.Fatalf("DeleteBucket: %v", err)
	}
	if _, err := client.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: aws.String("kc-ping")}); sandboxtest.Failure(err) != "NoSuchBucket 404" {
		t.Errorf("second DeleteBucket: got %v", sandboxtest.Failure(err))
	}
}

func TestBucketSecuritySettings(t *testing.T) {
	ctx := context.Background()
	client, _, _ := newClients(t)
	b := createBucket(t, client, "kc-secure")
	enc, err := client.GetBucketEncryption(ctx, &awss3.GetBucketEncryptionInput{Bucket: b})
	if err != nil || enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm != types.ServerSideEncryptionAes256 {
		t.Fatalf("default encryption: %+v, %v", enc, err)
	}
	kms := &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
		ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("alias/kc")},
		BucketKeyEnabled:                   aws.Bool(true),
	}}}
	if _, err := client.PutBucketEncryption(ctx, &awss3.PutBucketEncryptionInput{Bucket: b, ServerSideEncryptionConfiguration: kms}); err != nil {
		t.Fatalf("PutBucketEncryption: %v", err)
	}
	enc, _ = client.GetBucketEncryption(ctx, &awss3.GetBucketEncryptionInput{Bucket: b})
	if r := enc.ServerSideEncryptionConfiguration.Rules[0]; aws.ToString(r.ApplyServerSideEncryptionByDefault.KMSMasterKeyID) != "alias/kc" || !aws.ToBool(r.BucketKeyEnabled) {
		t.Errorf("encryption after put: %+v", r)
	}
	pab, err := client.GetPublicAccessBlock(ctx, &awss3.GetPublicAccessBlockInput{Bucket: b})
	if err != nil || !aws.ToBool(pab.PublicAccessBlockConfiguration.BlockPublicPolicy) || !aws.ToBool(pab.PublicAccessBlockConfiguration.RestrictPublicBuckets) {
		t.Fatalf("default public access block: %+v, %v", pab, err)
	}
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::kc-secure/*"}]}`
	if _, err := client.PutBucketPolicy(ctx, &awss3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(public)}); sandboxtest.Failure(err) != "AccessDenied 403" {
		t.Errorf("public policy with BlockPublicPolicy: got %v", sandboxtest.Failure(err))
	}
	off := &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(true)}
	if _, err := client.PutPublicAccessBlock(ctx, &awss3.PutPublicAccessBlockInput{Bucket: b, PublicAccessBlockConfiguration: off}); err != nil {
		t.Fatalf("PutPublicAccessBlock: %v", err)
	}
	if _, err := client.PutBucketPolicy(ctx, &awss3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(public)}); err != nil {
		t.Fatalf("PutBucketPolicy: %v", err)
	}
	pol, err := client.GetBucketPolicy(ctx, &awss3.GetBucketPolicyInput{Bucket: b})
	if err != nil || aws.ToString(pol.Policy) != public {
		t.Errorf("GetBucketPolicy: %+v, %v", pol, err)
	}
	if _, err := client.PutBucketPolicy(ctx, &awss3.PutBucketPolicyInput{Bucket: b, Policy: aws.String("{nope")}); sandboxtest.Failure(err) != "MalformedPolicy 400" {
		t.Errorf("bad policy: got %v", sandboxtest.Failure(err))
	}
	if _, err := client.DeleteBucketPolicy(ctx, &awss3.DeleteBucketPolicyInput{Bucket: b}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetBucketPolicy(ctx, &awss3.GetBucketPolicyInput{Bucket: b}); sandboxtest.Failure(err) != "NoSuchBucketPolicy 404" {
		t.Errorf("GetBucketPolicy after delete: got %v", sandboxtest.Failure(err))
	}
}

func TestObjects(t *testing.T) {
	ctx := context.Background()
	client, _, _ := newClients(t)
	b := createBucket(t, client, "kc-objects")
	put, err := client.PutObject(ctx, &awss3.PutObjectInput{Bucket: b, Key: aws.String("jgroups/node-1.list"), Body: strings.NewReader("node-1 10.0.1.5:7800"),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"owner": "kc"}})
	if err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	if aws.ToString(put.ETag) != `"`+md5hex("node-1 10.0.1.5:7800")+`"` {
		t.Errorf("ETag %s", aws.ToString(put.ETag))
	}
	got, err := client.GetObject(ctx, &awss3.GetObjectInput{Bucket: b, Key: aws.String("jgroups/node-1.list")})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	body, _ := io.ReadAll(got.Body)
	if string(body) != "node-1 10.0.1.5:7800" || aws.ToString(got.ContentType) != "text/plain" || got.Metadata["owner"] != "kc" || aws.ToInt64(got.ContentLength) != int64(len(body)) {
		t.Errorf("GetObject: body %q, %+v", body, got)
	}
	head, err := client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: b, Key: aws.String("jgroups/node-1.list")})
	if err != nil || aws.ToInt64(head.ContentLength) != int64(len(body)) || head.LastModified == nil {
		t.Errorf("HeadObject: %+v, %v", head, err)
	}
	if _, err := client.GetObject(ctx, &awss3.GetObjectInput{Bucket: b, Key: aws.String("nope")}); sandboxtest.Failure(err) != "NoSuchKey 404" {
		t.Errorf("GetObject missing: got %v", sandboxtest.Failure(err))
	}
	if _, err := client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: b, Key: aws.String("nope")}); sandboxtest.Failure(err) != "NotFound 404" {
		t.Errorf("HeadObject missing: got %v", sandboxtest.Failure(err))
	}
	if _, err := client.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: b}); sandboxtest.Failure(err) != "BucketNotEmpty 409" {
		t.Errorf("DeleteBucket with objects: got %v", sandboxtest.Failure(err))
	}
	if _, err := client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: b, Key: aws.String("jgroups/node-1.list")}); err != nil {
		t.Fatalf("DeleteObject: %v", err)
	}
	if _, err := client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: b, Key: aws.String("jgroups/node-1.list")}); err != nil {
		t.Errorf("DeleteObject again (S3 succeeds): %v", err)
	}
}

func md5hex(s string) string {
	return fmt.Sprintf("%x", md5Sum([]byte(s)))
}

func TestListObjectsV2AndDeleteObjects(t *testing.T) {
	ctx := context.Background()
	client, _, _ := newClients(t)
	b := createBucket(t, client, "kc-list")
	var want []string
	for i := range 7 {
		k := fmt.Sprintf("ping/%02d.list", i)
		want = append(want, k)
		if _, err := client.PutObject(ctx, &awss3.PutObjectInput{Bucket: b, Key: aws.String(k), Body: bytes.NewReader([]byte{byte(i)})}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.PutObject(ctx, &awss3.PutObjectInput{Bucket: b, Key: aws.String("other/x"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	p := awss3.NewListObjectsV2Paginator(client, &awss3.ListObjectsV2Input{Bucket: b, Prefix: aws.String("ping/"), MaxKeys: aws.Int32(3)})
	sandboxtest.CheckPages(t, "ListObjectsV2", want, 3, p.HasMorePages, p.NextPage,
		func(o *awss3.ListObjectsV2Output) []types.Object { return o.Contents }, func(o types.Object) *string { return o.Key })
	top, err := client.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: b, Delimiter: aws.String("/")})
	if err != nil || len(top.CommonPrefixes) != 2 || len(top.Contents) != 0 || aws.ToInt32(top.KeyCount) != 2 {
		t.Errorf("ListObjectsV2 with delimiter: %+v, %v", top, err)
	}
	objs := []types.ObjectIdentifier{{Key: aws.String("other/x")}}
	for _, k := range want {
		objs = append(objs, types.ObjectIdentifier{Key: aws.String(k)})
	}
	del, err := client.DeleteObjects(ctx, &awss3.DeleteObjectsInput{Bucket: b, Delete: &types.Delete{Objects: objs}})
	if err != nil || len(del.Deleted) != 8 {
		t.Fatalf("DeleteObjects: %+v, %v", del, err)
	}
	if _, err := client.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: b}); err != nil {
		t.Errorf("DeleteBucket once empty: %v", err)
	}
	if _, err := client.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: b}); sandboxtest.Failure(err) != "NoSuchBucket 404" {
		t.Errorf("list a deleted bucket: got %v", sandboxtest.Failure(err))
	}
}

// TestErrorDocument checks the raw S3 error XML: code, message, bucket
// name and request id, with the status.
func TestErrorDocument(t *testing.T) {
	_, _, srv := newClients(t)
	resp, body := rawGet(t, srv, "/missing-bucket?list-type=2", "")
	for _, want := range []string{"<Code>NoSuchBucket</Code>", "<BucketName>missing-bucket</BucketName>", "<RequestId>"} {
		if !strings.Contains(body, want) {
			t.Errorf("error document lacks %s:\n%s", want, body)
		}
	}
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", resp.StatusCode)
	}
}

// TestRawObjectResponse checks what the SDK hides: no empty headers for
// unset enums, and keys URL-encoded when the listing asks for it.
func TestRawObjectResponse(t *testing.T) {
	ctx := context.Background()
	client, _, srv := newClients(t)
	createBucket(t, client, "kc-raw")
	if _, err := client.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("kc-raw"), Key: aws.String("a b+c.txt"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	resp, body := rawGet(t, srv, "/kc-raw/a%20b%2Bc.txt", "")
	if body != "x" || resp.Header.Get("ETag") == "" {
		t.Errorf("GetObject: %q, headers %v", body, resp.Header)
	}
	for k, v := range resp.Header {
		if len(v) == 1 && v[0] == "" {
			t.Errorf("empty header %s", k)
		}
	}
	_, body = rawGet(t, srv, "/kc-raw?list-type=2&encoding-type=url", "")
	if !strings.Contains(body, "<Key>a%20b%2Bc.txt</Key>") || strings.Contains(body, "<ChecksumType></ChecksumType>") {
		t.Errorf("listing with encoding-type=url:\n%s", body)
	}
}

// TestVirtualHostStyle reaches a bucket named in the Host header
// (<bucket>.s3.<domain> or <bucket>.localhost), as virtual-host clients do.
func TestVirtualHostStyle(t *testing.T) {
	client, _, srv := newClients(t)
	createBucket(t, client, "kc-vhost")
	for _, host := range []string{"kc-vhost.s3.eu-west-1.amazonaws.com", "kc-vhost.localhost"} {
		resp, body := rawGet(t, srv, "/?list-type=2", host)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<Name>kc-vhost</Name>") {
			t.Errorf("Host %s: %d\n%s", host, resp.StatusCode, body)
		}
	}
}

// rawGet sends srv a GET of target (a path and query), signed as far as
// the sandbox checks, with host as its Host header when not empty, and
// returns the response and its body.
func rawGet(t *testing.T, srv *sandbox.Server, target, host string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}
