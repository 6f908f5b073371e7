package cli

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/aws/smithy-go"
)

// explainAWS turns the errors users meet first — no credentials, no
// network, access denied, an unknown region — into a short message that
// says what kcstack tried and what to do.
func explainAWS(err error, s *session) error {
	if err == nil {
		return nil
	}
	region := s.cfg.Region
	target := "AWS in " + region
	if s.cfg.BaseEndpoint != nil {
		target = *s.cfg.BaseEndpoint
	}
	var apiErr smithy.APIError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case strings.Contains(err.Error(), "failed to retrieve credentials") || strings.Contains(err.Error(), "no EC2 IMDS role found"):
		return fmt.Errorf("no AWS credentials: kcstack tried the SDK's default chain (AWS_ACCESS_KEY_ID, AWS_PROFILE or --profile, SSO, web identity, instance role). Configure one (aws configure, aws sso login), or try kcstack with --sandbox\n(%v)", rootCause(err))
	case errors.As(err, &apiErr) && isDenied(apiErr.ErrorCode()):
		return fmt.Errorf("AWS denied %s (%s): %s\nCheck which identity kcstack runs as (aws sts get-caller-identity): plan needs read access "+
			"(ec2:Describe*, rds:Describe*, tag:GetResources, acm:DescribeCertificate) and apply write access too", operation(err, target), apiErr.ErrorCode(), apiErr.ErrorMessage())
	case errors.As(err, &dnsErr):
		return fmt.Errorf("cannot resolve %s (%s): check the region %q (spec.region, --region, AWS_REGION) and your network, or AWS_ENDPOINT_URL", dnsErr.Name, target, region)
	case errors.As(err, &opErr):
		return fmt.Errorf("cannot reach %s: %v. Check your network or AWS_ENDPOINT_URL", target, opErr.Err)
	}
	return err
}

// operation names the call that failed ("EC2 DescribeVpcs in eu-west-1"),
// or the target when the error does not say.
func operation(err error, target string) string {
	var op *smithy.OperationError
	if !errors.As(err, &op) {
		return "a request to " + target
	}
	return op.ServiceID + " " + op.OperationName + " (" + target + ")"
}

func isDenied(code string) bool {
	switch code {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException", "ExpiredToken", "ExpiredTokenException", "SignatureDoesNotMatch":
		return true
	}
	return false
}

// rootCause follows err's wrapping to the end; in errors joined by
// parallel reads it follows the first, as the others repeat its cause.
func rootCause(err error) error {
	for {
		var next error
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			if errs := j.Unwrap(); len(errs) > 0 {
				next = errs[0]
			}
		} else {
			next = errors.Unwrap(err)
		}
		if next == nil {
			return err
		}
		err = next
	}
}
