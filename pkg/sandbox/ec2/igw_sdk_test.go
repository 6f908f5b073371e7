package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
)

func TestInternetGatewayLifecycle(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	out := must(e.ec2.CreateInternetGateway(e.ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tagSpec(types.ResourceTypeInternetGateway, "Name", "gw")}))(t)
	id := aws.ToString(out.InternetGateway.InternetGatewayId)
	if err := ec2.NewInternetGatewayExistsWaiter(e.ec2).Wait(e.ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{id}}, shortWait); err != nil {
		t.Errorf("InternetGatewayExists waiter: %v", err)
	}
	attach := &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(vpcID)}
	must(e.ec2.AttachInternetGateway(e.ctx, attach))(t)
	got := must(e.ec2.DescribeInternetGateways(e.ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{filter("attachment.vpc-id", vpcID)}}))(t).InternetGateways
	want := []types.InternetGateway{{
		InternetGatewayId: aws.String(id), OwnerId: aws.String("123456789012"), Tags: tags("Name", "gw"),
		Attachments: []types.InternetGatewayAttachment{{VpcId: aws.String(vpcID), State: "available"}},
	}}
	if diff := cmp.Diff(want, got, sdkTypes); diff != "" {
		t.Errorf("gateways attached to the VPC (-want +got):\n%s", diff)
	}

	_, err := e.ec2.AttachInternetGateway(e.ctx, attach)
	checkCode(t, "attach twice", err, "Resource.AlreadyAssociated")
	_, err = e.ec2.AttachInternetGateway(e.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(e.igw("")), VpcId: aws.String(vpcID)})
	checkCode(t, "attach a second gateway to the VPC", err, "Resource.AlreadyAssociated")
	_, err = e.ec2.DeleteInternetGateway(e.ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String(id)})
	checkCode(t, "delete an attached gateway", err, "DependencyViolation")
	_, err = e.ec2.DetachInternetGateway(e.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(e.vpc("10.1.0.0/16"))})
	checkCode(t, "detach from the wrong VPC", err, "Gateway.NotAttached")

	must(e.ec2.DetachInternetGateway(e.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(vpcID)}))(t)
	must(e.ec2.DeleteInternetGateway(e.ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String(id)}))(t)
	_, err = e.ec2.DescribeInternetGateways(e.ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{id}})
	checkCode(t, "describe a deleted gateway", err, "InvalidInternetGatewayID.NotFound")
	_, err = e.ec2.DeleteInternetGateway(e.ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String("gw-1")})
	checkCode(t, "delete a malformed id", err, "InvalidInternetGatewayId.Malformed")
	_, err = e.ec2.CreateInternetGateway(e.ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tagSpec(types.ResourceTypeVpc, "a", "b")})
	checkCode(t, "create with a VPC tag specification", err, "InvalidParameterValue")
}

func TestDescribeInternetGatewaysFilters(t *testing.T) {
	e := newEnv(t)
	attached := e.igw(e.vpc("10.0.0.0/16"))
	detached := e.igw("")
	cases := map[string]struct {
		reason  string
		filters []types.Filter
		want    []string
	}{
		"attached":       {"attachment.state is available once attached", []types.Filter{filter("attachment.state", "available")}, []string{attached}},
		"by id":          {"internet-gateway-id selects by id", []types.Filter{filter("internet-gateway-id", detached)}, []string{detached}},
		"owner wildcard": {"values may hold * wildcards", []types.Filter{filter("owner-id", "1234*")}, sortedIDs(attached, detached)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out := must(e.ec2.DescribeInternetGateways(e.ctx, &ec2.DescribeInternetGatewaysInput{Filters: tc.filters}))(t)
			var got []string
			for _, g := range out.InternetGateways {
				got = append(got, aws.ToString(g.InternetGatewayId))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
