package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/kcstack/kcstack/pkg/sandbox/sigv4"
)

var creds = sigv4.Credentials{AccessKeyID: "AKIDKCSTACKTEST", Secret: "the-secret"}

// verifier serves Verify's answer: 200, or the refusal's kind as status
// 400+kind.
func verifier(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := sigv4.Verify(r, body, creds, time.Now()); err != nil {
			w.WriteHeader(400 + int(err.Kind))
			_, _ = io.WriteString(w, err.Message)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

type request struct {
	method, path, body string
	header             map[string]string
	service            string
	key, secret        string
	at                 time.Time
	presign            bool
	tamper             func(*http.Request)
}

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func send(t *testing.T, url string, q request) int {
	t.Helper()
	req, err := http.NewRequest(q.method, url+q.path, bytes.NewReader([]byte(q.body)))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range q.header {
		req.Header.Set(k, v)
	}
	payload := req.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = hashOf(q.body)
	}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = q.service == "s3" })
	ac := aws.Credentials{AccessKeyID: q.key, SecretAccessKey: q.secret}
	if q.presign {
		signed, headers, err := signer.PresignHTTP(context.Background(), ac, req, "UNSIGNED-PAYLOAD", q.service, "eu-west-1", q.at)
		if err != nil {
			t.Fatal(err)
		}
		req, _ = http.NewRequest(q.method, signed, nil)
		req.Header = headers
	} else if err := signer.SignHTTP(context.Background(), ac, req, payload, q.service, "eu-west-1", q.at); err != nil {
		t.Fatal(err)
	}
	if q.tamper != nil {
		q.tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestVerify(t *testing.T) {
	now := time.Now().UTC()
	good := request{method: http.MethodPost, path: "/", body: "Action=DescribeVpcs&Version=2016-11-15", service: "ec2", key: creds.AccessKeyID, secret: creds.Secret, at: now,
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}}
	with := func(edit func(*request)) request {
		q := good
		edit(&q)
		return q
	}
	cases := map[string]struct {
		reason string
		req    request
		want   sigv4.Kind // 0 for accepted
	}{
		"signed":         {reason: "a request signed with the key pair is accepted", req: good},
		"wrong secret":   {reason: "another secret gives another signature", req: with(func(q *request) { q.secret = "not-the-secret" }), want: sigv4.BadSignature},
		"unknown key":    {reason: "another access key id is unknown", req: with(func(q *request) { q.key = "AKIDOTHER" }), want: sigv4.UnknownKey},
		"old":            {reason: "a request signed 16 minutes ago is refused", req: with(func(q *request) { q.at = now.Add(-16 * time.Minute) }), want: sigv4.Skewed},
		"future":         {reason: "a request signed 16 minutes ahead is refused", req: with(func(q *request) { q.at = now.Add(16 * time.Minute) }), want: sigv4.Skewed},
		"within skew":    {reason: "14 minutes of skew are allowed", req: with(func(q *request) { q.at = now.Add(-14 * time.Minute) })},
		"body changed":   {reason: "a body changed after signing", req: with(func(q *request) { q.tamper = replaceBody("Action=DeleteVpc&VpcId=vpc-1") }), want: sigv4.BadSignature},
		"header changed": {reason: "a signed header changed after signing", req: with(func(q *request) { q.tamper = func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") } }), want: sigv4.BadSignature},
		"unsigned":       {reason: "no signature at all", req: with(func(q *request) { q.tamper = func(r *http.Request) { r.Header.Del("Authorization") } }), want: sigv4.Missing},
		"json target": {reason: "a JSON 1.1 call with X-Amz-Target signed", req: with(func(q *request) {
			q.service, q.body = "ssm", `{"Name":"/a b"}`
			q.header = map[string]string{"X-Amz-Target": "AmazonSSM.GetParameter", "Content-Type": "application/x-amz-json-1.1"}
		})},
		"s3 key":      {reason: "an S3 key with characters to encode, unsigned payload", req: s3Request(now, "/bucket/dir/a%20b%2Bc~%24.txt", "UNSIGNED-PAYLOAD", "data")},
		"s3 hash":     {reason: "an S3 body with its hash", req: s3Request(now, "/bucket/k?tagging=", hashOf("data"), "data")},
		"s3 bad hash": {reason: "an S3 body whose declared hash is another's", req: s3Request(now, "/bucket/k", hashOf("other"), "data"), want: sigv4.PayloadMismatch},
		"query":       {reason: "query parameters sorted and encoded", req: with(func(q *request) { q.method, q.path, q.body = http.MethodGet, "/?b=2&a=x%2Fy&a=1&Action=List", "" })},
		"presigned": {reason: "a presigned S3 GET", req: with(func(q *request) {
			q.service, q.method, q.path, q.body, q.presign = "s3", http.MethodGet, "/bucket/k?X-Amz-Expires=900", "", true
		})},
		"presigned expired": {reason: "a presigned GET past its 15 minutes", req: with(func(q *request) {
			q.service, q.method, q.path, q.body, q.presign, q.at = "s3", http.MethodGet, "/bucket/k?X-Amz-Expires=900", "", true, now.Add(-16*time.Minute)
		}), want: sigv4.Skewed},
		"presigned bad": {reason: "a presigned GET with another secret", req: with(func(q *request) {
			q.service, q.method, q.path, q.body, q.presign, q.secret = "s3", http.MethodGet, "/bucket/k?X-Amz-Expires=900", "", true, "x"
		}), want: sigv4.BadSignature},
	}
	srv := verifier(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			want := http.StatusOK
			if tc.want != 0 {
				want = 400 + int(tc.want)
			}
			if got := send(t, srv.URL, tc.req); got != want {
				t.Errorf("%s: status %d, want %d", tc.reason, got, want)
			}
		})
	}
}

func s3Request(at time.Time, path, payload, body string) request {
	return request{method: http.MethodPut, path: path, body: body, service: "s3", key: creds.AccessKeyID, secret: creds.Secret, at: at,
		header: map[string]string{"X-Amz-Content-Sha256": payload}}
}

func replaceBody(body string) func(*http.Request) {
	return func(r *http.Request) {
		r.Body = io.NopCloser(bytes.NewReader([]byte(body)))
		r.ContentLength = int64(len(body))
	}
}
