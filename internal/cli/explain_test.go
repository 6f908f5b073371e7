package cli

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// sdkError wraps err the way aws-sdk-go-v2 and the observers do.
func sdkError(service, op string, err error) error {
	return fmt.Errorf("read live AWS: describe vpcs: %w", &smithy.OperationError{ServiceID: service, OperationName: op, Err: err})
}

func TestExplainAWS(t *testing.T) {
	endpoint := "http://127.0.0.1:1"
	cases := map[string]struct {
		reason   string
		err      error
		endpoint *string
		// want are the parts of the message: what kcstack tried, what
		// went wrong, what to do.
		want []string
	}{
		"no credentials": {
			reason: "the default chain found nothing: say which sources were tried and how to configure one",
			err:    sdkError("EC2", "DescribeVpcs", fmt.Errorf("failed to retrieve credentials: %w", errors.New("no EC2 IMDS role found"))),
			want:   []string{"no AWS credentials", "default chain", "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "aws configure", "--sandbox"},
		},
		"access denied by EC2": {
			reason: "name the call AWS refused and the permissions plan needs",
			err:    sdkError("EC2", "DescribeVpcs", &smithy.GenericAPIError{Code: "UnauthorizedOperation", Message: "You are not authorized to perform this operation."}),
			want: []string{"AWS denied EC2 DescribeVpcs (AWS in eu-west-1)", "UnauthorizedOperation", "You are not authorized",
				"aws sts get-caller-identity", "ec2:Describe*", "rds:Describe*", "tag:GetResources"},
		},
		"access denied by RDS among joined errors": {
			reason: "the RDS observer joins the errors of its parallel calls: the first denial is explained",
			err: errors.Join(
				sdkError("RDS", "DescribeDBClusters", &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: rds:DescribeDBClusters"}),
				sdkError("RDS", "DescribeDBInstances", &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized"})),
			want: []string{"AWS denied RDS DescribeDBClusters", "AccessDenied", "rds:DescribeDBClusters", "aws sts get-caller-identity"},
		},
		"expired token": {
			reason: "expired credentials are a denial too",
			err:    sdkError("EC2", "DescribeVpcs", &smithy.GenericAPIError{Code: "ExpiredToken", Message: "The security token included in the request is expired"}),
			want:   []string{"AWS denied EC2 DescribeVpcs", "ExpiredToken", "is expired"},
		},
		"unknown region": {
			reason: "a region that does not exist has no endpoint: name the host, the region and where it came from",
			err:    sdkError("EC2", "DescribeVpcs", &net.DNSError{Name: "ec2.eu-nowhere-1.amazonaws.com", Err: "no such host", IsNotFound: true}),
			want:   []string{"cannot resolve ec2.eu-nowhere-1.amazonaws.com", `region "eu-west-1"`, "spec.region", "--region", "AWS_REGION", "AWS_ENDPOINT_URL"},
		},
		"nobody listens on the endpoint": {
			reason:   "name the endpoint kcstack tried and the variable that set it",
			endpoint: &endpoint,
			err:      sdkError("EC2", "DescribeVpcs", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}),
			want:     []string{"cannot reach http://127.0.0.1:1", "connection refused", "AWS_ENDPOINT_URL"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := &session{cfg: aws.Config{Region: "eu-west-1", BaseEndpoint: tc.endpoint}}
			got := explainAWS(tc.err, s).Error()
			missing := []string{}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					missing = append(missing, w)
				}
			}
			if diff := cmp.Diff([]string{}, missing); diff != "" {
				t.Errorf("%s\nmessage:\n%s\nmissing parts (-want +got):\n%s", tc.reason, got, diff)
			}
			if n := strings.Count(got, "\n"); n > 2 {
				t.Errorf("%s\nmessage has %d lines, want a short one:\n%s", tc.reason, n+1, got)
			}
		})
	}
}

func TestExplainAWSLeavesOtherErrors(t *testing.T) {
	err := sdkError("EC2", "DescribeVpcs", &smithy.GenericAPIError{Code: "InvalidParameterValue", Message: "bad filter"})
	if got := explainAWS(err, &session{cfg: aws.Config{Region: "eu-west-1"}}); got != err {
		t.Errorf("explainAWS(%v) = %v, want the error unchanged", err, got)
	}
	if got := explainAWS(nil, &session{}); got != nil {
		t.Errorf("explainAWS(nil) = %v, want nil", got)
	}
}

func TestExplainAWSNoCredentialsAmongJoinedErrors(t *testing.T) {
	cause := errors.New(`access disabled to EC2 IMDS via client option, or "AWS_EC2_METADATA_DISABLED" environment variable`)
	failed := func(op string) error {
		return sdkError("RDS", op, fmt.Errorf("get identity: get credentials: failed to retrieve credentials: %w", cause))
	}
	err := fmt.Errorf("read live AWS: %w", errors.Join(failed("DescribeDBClusters"), failed("DescribeDBInstances"), failed("DescribeDBSubnetGroups")))
	got := explainAWS(err, &session{cfg: aws.Config{Region: "eu-west-1"}}).Error()
	if n := strings.Count(got, cause.Error()); n != 1 {
		t.Errorf("the cause appears %d times, want once (the parallel reads repeat it):\n%s", n, got)
	}
}
