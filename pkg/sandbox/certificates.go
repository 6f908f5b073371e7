package sandbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/acm"
)

// ExampleCertificateARN is the ACM certificate the ECS examples name
// (examples/ecs-*.yaml), for auth.example.com. The embedded sandbox of
// kcstack --sandbox holds it, issued, so the examples plan and apply;
// any other ARN must be requested or imported first, as in AWS.
const ExampleCertificateARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"

// certificate is an issued certificate WithCertificate puts in ACM.
type certificate struct{ arn, domain string }

// WithCertificate makes New put an issued ACM certificate for domain
// under arn (arn:aws:acm:<region>:<account>:certificate/<id>, of the
// sandbox's account) unless the state holds one with that ARN: a
// certificate made elsewhere, as a load balancer's listener needs one.
func WithCertificate(arn, domain string) Option {
	return func(c *config) { c.certificates = append(c.certificates, certificate{arn, domain}) }
}

// seedCertificates adds the certificates of WithCertificate.
func (s *Server) seedCertificates() error {
	if len(s.cfg.certificates) == 0 {
		return nil
	}
	st, ok := s.states[acm.ServiceName].(*acm.State)
	if !ok {
		return fmt.Errorf("sandbox: WithCertificate needs the acm service")
	}
	for _, c := range s.cfg.certificates {
		parts := strings.Split(c.arn, ":")
		if len(parts) != 6 || parts[2] != "acm" || parts[4] != s.cfg.accountID || !strings.HasPrefix(parts[5], "certificate/") {
			return fmt.Errorf("sandbox: certificate %s is not an ACM certificate ARN of account %s (arn:aws:acm:<region>:%s:certificate/<id>)", c.arn, s.cfg.accountID, s.cfg.accountID)
		}
		st.Seed(c.arn, c.domain, time.Now().UTC())
	}
	return nil
}
