package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestPlanCredentialsAndEndpoints: without credentials, with an endpoint
// nobody listens on, and when AWS denies every call, kcstack plan exits 1
// with a short message saying what it tried and what to do — no stack
// trace, no panic, nothing on stdout.
func TestPlanCredentialsAndEndpoints(t *testing.T) {
	t.Parallel()
	denied := httptest.NewServer(http.HandlerFunc(denyAll))
	t.Cleanup(denied.Close)
	_, self, _, _ := runtime.Caller(0)
	example := filepath.Join(filepath.Dir(self), "..", "examples", "aurora-rosa.yaml")
	keys := []string{"AWS_ACCESS_KEY_ID=AKIDE2ETEST", "AWS_SECRET_ACCESS_KEY=e2e-secret"}

	cases := map[string]struct {
		reason string
		env    []string
		want   []string
	}{
		"no credentials at all": {
			reason: "no keys, no profile, no shared files (an empty HOME), no instance role: name the chain and how to configure it",
			want:   []string{"no AWS credentials", "default chain", "AWS_PROFILE", "aws configure", "--sandbox"},
		},
		"nobody listens on the endpoint": {
			reason: "AWS_ENDPOINT_URL points at a closed port: name the endpoint and the variable",
			// Two attempts: the retry of a refused connection is
			// exercised without waiting for the whole backoff.
			env:  append([]string{"AWS_ENDPOINT_URL=http://127.0.0.1:1", "AWS_MAX_ATTEMPTS=2"}, keys...),
			want: []string{"cannot reach http://127.0.0.1:1", "connection refused", "AWS_ENDPOINT_URL"},
		},
		"access denied": {
			reason: "every call is refused as AWS refuses an identity without permissions: name the call and the permissions",
			env:    append([]string{"AWS_ENDPOINT_URL=" + denied.URL}, keys...),
			want:   []string{"AWS denied", "aws sts get-caller-identity", "ec2:Describe*", "rds:Describe*"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			environ := append(withoutAWS(os.Environ()), "HOME="+home, "AWS_EC2_METADATA_DISABLED=true", "NO_COLOR=1")
			r := runWithEnv(t, home, append(environ, tc.env...), "plan", "-f", example)
			if r.Code != 1 {
				t.Errorf("%s\nexit %d, want 1", tc.reason, r.Code)
			}
			if r.Stdout != "" {
				t.Errorf("%s\nstdout %q, want nothing", tc.reason, r.Stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Stderr, w) {
					t.Errorf("%s\nstderr does not say %q:\n%s", tc.reason, w, r.Stderr)
				}
			}
			for _, bad := range []string{"panic", "goroutine ", ".go:"} {
				if strings.Contains(r.Stderr, bad) {
					t.Errorf("%s\nstderr shows %q (a stack trace?):\n%s", tc.reason, bad, r.Stderr)
				}
			}
			if n := strings.Count(strings.TrimSpace(r.Stderr), "\n") + 1; n > 4 {
				t.Errorf("%s\nstderr has %d lines, want a short message:\n%s", tc.reason, n, r.Stderr)
			}
		})
	}
}

// denyAll answers every AWS call as AWS answers an identity without
// permissions, in the call's protocol: EC2 query (UnauthorizedOperation),
// RDS query (AccessDenied) or JSON (AccessDeniedException, the tagging API).
func denyAll(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	msg := "User: arn:aws:iam::123456789012:user/e2e is not authorized to perform this operation"
	switch auth := r.Header.Get("Authorization"); {
	case r.Header.Get("X-Amz-Target") != "":
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"AccessDeniedException","message":%q}`, msg)
	case strings.Contains(auth, "/ec2/"):
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>%s</Message></Error></Errors><RequestID>e2e</RequestID></Response>`, msg)
	default:
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>%s</Message></Error><RequestId>e2e</RequestId></ErrorResponse>`, msg)
	}
}
