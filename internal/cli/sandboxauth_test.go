package cli

import (
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestEmbeddedSandboxChecksSignatures: the embedded sandbox answers the
// clients of its own run, and refuses one signing with other credentials.
func TestEmbeddedSandboxChecksSignatures(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx := context.Background()
	sess, err := startEmbeddedSandbox(ctx, "eu-west-1", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if _, err := sts.NewFromConfig(sess.cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("the run's own client: %v", err)
	}
	other := sess.cfg.Copy()
	other.Credentials = credentials.NewStaticCredentialsProvider("sandbox", "sandbox", "")
	_, err = sts.NewFromConfig(other).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if got := sandboxtest.Failure(err); got != "InvalidClientTokenId 403" {
		t.Errorf("a client with other credentials: got %q, want InvalidClientTokenId 403", got)
	}
}
