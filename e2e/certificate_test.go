package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// TestPlanChecksTheCertificate is issue 12's "plan checks what only AWS
// knows before creating anything (the certificate exists and is issued,
// in the region)": plan and apply of an ECS example whose certificate is
// missing or pending validation fail, naming the file:line:column and
// field and the reason, and nothing is created (checked through the aws
// CLI). A saved plan is checked again when applied: a certificate deleted
// after the plan stops the apply.
func TestPlanChecksTheCertificate(t *testing.T) {
	t.Parallel()
	// Requested certificates stay pending validation for the whole test.
	e, _ := newSandbox(t, sandbox.WithDelays(time.Hour, 10*time.Millisecond))
	var pending struct{ CertificateArn string }
	decode(t, "acm request-certificate", awsJSON(t, e, "acm", "request-certificate", "--domain-name", "auth.example.com"), &pending)
	cases := map[string]struct {
		reason string
		arn    string
		want   string
	}{
		"missing": {reason: "an ARN of the account and region that names no certificate",
			arn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-0000-0000-000000000000", want: "no such certificate in ACM in eu-west-1"},
		"pending": {reason: "a requested certificate not validated yet",
			arn: pending.CertificateArn, want: "its status is PENDING_VALIDATION, not ISSUED"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			file := e.stackFile(t, "ecs-jdbc-ping.yaml", exampleCertificate, tc.arn)
			field := certificateAt(t, file) + ": spec.targets[0].ecs.loadBalancer.certificateArn (target ecs-main): certificate " + tc.arn
			for _, args := range [][]string{{"plan", "-f", file}, {"apply", "-f", file, "--auto-approve"}} {
				r := e.kcstack(t, args...)
				if r.Code != 1 || !strings.Contains(r.Stderr, field) || !strings.Contains(r.Stderr, tc.want) {
					t.Errorf("%s: kcstack %s: exit %d, stderr:\n%s\nwant exit 1 naming %q and %q", tc.reason, args[0], r.Code, r.Stderr, field, tc.want)
				}
			}
			e.nothingCreated(t, tc.reason)
		})
	}
	t.Run("deleted after a saved plan", func(t *testing.T) {
		file := e.stackFile(t, "ecs-jdbc-ping.yaml", exampleCertificate, otherCertificate)
		saved := filepath.Join(e.Dir, "issued.kcplan")
		if r := e.kcstack(t, "plan", "-f", file, "--out", saved); r.Code != 0 {
			t.Fatalf("plan with an issued certificate: exit %d, stderr:\n%s", r.Code, r.Stderr)
		}
		if r := e.aws(t, "acm", "delete-certificate", "--certificate-arn", otherCertificate); r.Code != 0 {
			t.Fatalf("aws acm delete-certificate: exit %d, stderr:\n%s", r.Code, r.Stderr)
		}
		r := e.kcstack(t, "apply", saved, "--auto-approve")
		field := "targets.ecs-main.listener[https] certificate_arn: certificate " + otherCertificate + " cannot serve HTTPS: no such certificate in ACM in eu-west-1"
		if r.Code != 1 || !strings.Contains(r.Stderr, field) || !strings.Contains(r.Stderr, "nothing was applied") {
			t.Errorf("kcstack apply of a saved plan whose certificate was deleted: exit %d, stderr:\n%s\nwant exit 1 naming %q", r.Code, r.Stderr, field)
		}
		e.nothingCreated(t, "a saved plan whose certificate was deleted")
	})
}

// certificateAt is file:line:column of the certificateArn value in file,
// found in its text.
func certificateAt(t *testing.T, file string) string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const key = "certificateArn: "
	for i, line := range strings.Split(string(raw), "\n") {
		if col := strings.Index(line, key); col >= 0 {
			return fmt.Sprintf("%s:%d:%d", file, i+1, col+len(key)+1)
		}
	}
	t.Fatalf("%s has no %q", file, key)
	return ""
}

// nothingCreated fails t when the sandbox holds a VPC.
func (e *env) nothingCreated(t *testing.T, reason string) {
	t.Helper()
	if vpcs := awsJSON(t, e, "ec2", "describe-vpcs", "--query", "Vpcs[].VpcId"); strings.TrimSpace(vpcs) != "[]" {
		t.Errorf("%s: VPCs were created: %s", reason, vpcs)
	}
}
