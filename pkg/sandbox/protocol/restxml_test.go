package protocol

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/model"
)

func TestMatchREST(t *testing.T) {
	m, err := model.Load("s3")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason, method, target string
		header                 http.Header
		wantOp                 string
		wantLabels             map[string]string
	}{
		"list buckets":    {reason: "GET / lists buckets", method: "GET", target: "/", wantOp: "ListBuckets", wantLabels: map[string]string{}},
		"create bucket":   {reason: "PUT /<bucket>", method: "PUT", target: "/b", wantOp: "CreateBucket", wantLabels: map[string]string{"Bucket": "b"}},
		"tagging":         {reason: "a literal query key picks the sub-resource", method: "PUT", target: "/b?tagging", wantOp: "PutBucketTagging", wantLabels: map[string]string{"Bucket": "b"}},
		"list v2":         {reason: "list-type=2 beats the plain GET", method: "GET", target: "/b?list-type=2&prefix=x", wantOp: "ListObjectsV2", wantLabels: map[string]string{"Bucket": "b"}},
		"list v1":         {reason: "the plain GET of a bucket is ListObjects", method: "GET", target: "/b", wantOp: "ListObjects", wantLabels: map[string]string{"Bucket": "b"}},
		"greedy key":      {reason: "{Key+} takes the rest of the path", method: "GET", target: "/b/a/b/c.txt?x-id=GetObject", wantOp: "GetObject", wantLabels: map[string]string{"Bucket": "b", "Key": "a/b/c.txt"}},
		"put object":      {reason: "PutObject, not CopyObject, without x-amz-copy-source", method: "PUT", target: "/b/k", wantOp: "PutObject", wantLabels: map[string]string{"Bucket": "b", "Key": "k"}},
		"copy object":     {reason: "the required copy-source header picks CopyObject", method: "PUT", target: "/b/k", header: http.Header{"X-Amz-Copy-Source": {"/a/k"}}, wantOp: "CopyObject", wantLabels: map[string]string{"Bucket": "b", "Key": "k"}},
		"delete objects":  {reason: "POST ?delete", method: "POST", target: "/b?delete", wantOp: "DeleteObjects", wantLabels: map[string]string{"Bucket": "b"}},
		"head bucket":     {reason: "HEAD /<bucket>", method: "HEAD", target: "/b", wantOp: "HeadBucket", wantLabels: map[string]string{"Bucket": "b"}},
		"delete object":   {reason: "DELETE /<bucket>/<key>", method: "DELETE", target: "/b/k", wantOp: "DeleteObject", wantLabels: map[string]string{"Bucket": "b", "Key": "k"}},
		"public access":   {reason: "?publicAccessBlock", method: "GET", target: "/b?publicAccessBlock", wantOp: "GetPublicAccessBlock", wantLabels: map[string]string{"Bucket": "b"}},
		"bucket encrypt.": {reason: "?encryption", method: "PUT", target: "/b?encryption", wantOp: "PutBucketEncryption", wantLabels: map[string]string{"Bucket": "b"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			u, _ := url.Parse(tc.target)
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			got, ok := MatchREST(m, tc.method, u.Path, u.Query(), h)
			if !ok {
				t.Fatalf("%s: no match", tc.reason)
			}
			if got.Op.Name != tc.wantOp {
				t.Errorf("%s: got %s, want %s", tc.reason, got.Op.Name, tc.wantOp)
			}
			if diff := cmp.Diff(tc.wantLabels, got.Labels); diff != "" {
				t.Errorf("%s: labels (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDecodeAWSChunked(t *testing.T) {
	body := "5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n"
	got, err := DecodeAWSChunked([]byte(body))
	if err != nil || string(got) != "hello world" {
		t.Errorf("DecodeAWSChunked = %q, %v", got, err)
	}
	if _, err := DecodeAWSChunked([]byte("ff\r\nshort")); err == nil {
		t.Error("a truncated chunk decoded without error")
	}
}
