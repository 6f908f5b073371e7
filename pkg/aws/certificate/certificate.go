package certificate

import (
	"context"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
)

// API is the ACM call Check makes.
type API interface {
	DescribeCertificate(context.Context, *acm.DescribeCertificateInput, ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error)
}

// Check reports why the certificate arn cannot serve an HTTPS listener in
// region: it is of another region, does not exist, or is not issued
// (pending validation, expired, revoked, failed). It returns nil for an
// issued certificate of the region, and AWS's error when ACM cannot be
// asked.
func Check(ctx context.Context, client API, arn, region string) error {
	if r := regionOf(arn); r != "" && r != region {
		return fmt.Errorf("the certificate is in %s, but the load balancer is in %s and can only use certificates of its own region: request or import it in ACM in %s", r, region, region)
	}
	out, err := client.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
	switch {
	case awserr.Is(err, "ResourceNotFoundException"):
		return fmt.Errorf("no such certificate in ACM in %s: request or import it (aws acm request-certificate), or correct the ARN", region)
	case awserr.Is(err, "InvalidArnException", "ValidationException"):
		return fmt.Errorf("ACM does not take it as a certificate ARN (%s): use the ARN aws acm list-certificates shows", awserr.Message(err))
	case err != nil:
		return fmt.Errorf("describe ACM certificate %s: %w", arn, err)
	}
	if status := out.Certificate.Status; status != types.CertificateStatusIssued {
		return fmt.Errorf("its status is %s, not ISSUED: %s", status, hint(status))
	}
	return nil
}

// regionOf is the region field of an ARN, "" when it has none.
func regionOf(s string) string {
	a, err := arn.Parse(s)
	if err != nil {
		return ""
	}
	return a.Region
}

func hint(status types.CertificateStatus) string {
	if status == types.CertificateStatusPendingValidation {
		return "create the DNS validation records ACM asks for (aws acm describe-certificate) and wait for it to be issued"
	}
	return "request or import a new certificate and use its ARN"
}
