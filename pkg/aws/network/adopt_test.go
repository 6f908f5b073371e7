package network_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestInternetGatewayAttachAdopts creates an internet gateway through the
// handler, with the SDK's own retries (no ambiguity guard), on a sandbox
// that loses the answer of the first AttachInternetGateway: the SDK's
// retry is refused with Resource.AlreadyAssociated, and the attachment the
// first call made is adopted. A VPC that already holds another gateway
// keeps the refusal.
func TestInternetGatewayAttachAdopts(t *testing.T) {
	cases := map[string]struct {
		reason   string
		lose     int
		occupied bool
		wantErr  string
	}{
		"LostAnswer": {
			reason: "the retry finds the gateway attached to the VPC it asked for",
			lose:   1,
		},
		"OtherGateway": {
			reason:   "a VPC holding a gateway kcstack did not make is not adopted",
			occupied: true,
			wantErr:  "Resource.AlreadyAssociated",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv := sandboxtest.New(t, sandbox.WithLostAnswers(map[string]int{"AttachInternetGateway": tc.lose}))
			api := ec2.NewFromConfig(sandboxtest.AWSConfig(t, srv))
			vpc := aws.ToString(must(api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId)
			if tc.occupied {
				other := must(api.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId
				must(api.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: other, VpcId: aws.String(vpc)}))(t)
			}
			h := handler(t, api, resource.KindInternetGateway)
			ob, err := h.Create(ctx, resource.Desired{Address: "a.igw", Kind: resource.KindInternetGateway, Tags: tags("a.igw"), Props: resource.Props{"vpc_id": vpc}})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("%s\ncreate: error %v, want %s", tc.reason, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s\ncreate: %v", tc.reason, err)
			}
			if left := srv.AnswersToLose(); len(left) > 0 {
				t.Fatalf("answers left to lose: %v: the test lost nothing", left)
			}
			attached := must(api.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{vpc}}}}))(t)
			var ids []string
			for _, g := range attached.InternetGateways {
				ids = append(ids, aws.ToString(g.InternetGatewayId))
			}
			if diff := cmp.Diff([]string{ob.ID}, ids); diff != "" {
				t.Errorf("%s\ngateways attached to %s (-want +got):\n%s", tc.reason, vpc, diff)
			}
			if got := ob.Props["vpc_id"]; got != vpc {
				t.Errorf("%s\nobserved vpc_id %v, want %s", tc.reason, got, vpc)
			}
		})
	}
}
