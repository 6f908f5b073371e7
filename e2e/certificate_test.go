package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// TestPlanChecksTheCertificate is issue 12's "plan checks what only AWS
// knows before creating anything (the certificate exists and is issued,
// in the region)": plan and apply of an ECS example whose certificate is
// missing or pending validation fail, naming the field and the reason,
// and nothing is created (checked through the aws CLI).
func TestPlanChecksTheCertificate(t *testing.T) {
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
			for _, args := range [][]string{{"plan", "-f", file}, {"apply", "-f", file, "--auto-approve"}} {
				r := e.kcstack(t, args...)
				field := "spec.targets[0].ecs.loadBalancer.certificateArn (target ecs-main): certificate " + tc.arn
				if r.Code != 1 || !strings.Contains(r.Stderr, field) || !strings.Contains(r.Stderr, tc.want) {
					t.Errorf("%s: kcstack %s: exit %d, stderr:\n%s\nwant exit 1 naming %q and %q", tc.reason, args[0], r.Code, r.Stderr, field, tc.want)
				}
			}
			if vpcs := awsJSON(t, e, "ec2", "describe-vpcs", "--query", "Vpcs[].VpcId"); strings.TrimSpace(vpcs) != "[]" {
				t.Errorf("%s: VPCs were created: %s", tc.reason, vpcs)
			}
		})
	}
}
