package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func TestCreateSubnet(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	out := must(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{
		VpcId: aws.String(vpcID), CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("eu-west-1b"),
		TagSpecifications: tagSpec(types.ResourceTypeSubnet, "tier", "db"),
	}))(t)
	id := aws.ToString(out.Subnet.SubnetId)
	want := types.Subnet{
		SubnetId: aws.String(id), SubnetArn: aws.String("arn:aws:ec2:eu-west-1:123456789012:subnet/" + id),
		VpcId: aws.String(vpcID), CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("eu-west-1b"),
		AvailabilityZoneId: aws.String("euw1-az2"), AvailableIpAddressCount: aws.Int32(251), DefaultForAz: aws.Bool(false),
		MapPublicIpOnLaunch: aws.Bool(false), MapCustomerOwnedIpOnLaunch: aws.Bool(false), AssignIpv6AddressOnCreation: aws.Bool(false),
		EnableDns64: aws.Bool(false), Ipv6Native: aws.Bool(false), OwnerId: aws.String("123456789012"),
		State: types.SubnetStateAvailable, Tags: tags("tier", "db"),
		BlockPublicAccessStates:       &types.BlockPublicAccessStates{InternetGatewayBlockMode: types.BlockPublicAccessModeOff},
		PrivateDnsNameOptionsOnLaunch: &types.PrivateDnsNameOptionsOnLaunch{HostnameType: types.HostnameTypeIpName, EnableResourceNameDnsARecord: aws.Bool(false), EnableResourceNameDnsAAAARecord: aws.Bool(false)},
	}
	if diff := cmp.Diff(want, *out.Subnet, sdkTypes); diff != "" {
		t.Errorf("CreateSubnet output (-want +got):\n%s", diff)
	}
	if err := ec2.NewSubnetAvailableWaiter(e.ec2).Wait(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{id}}, shortWait); err != nil {
		t.Errorf("SubnetAvailable waiter: %v", err)
	}
}

func TestCreateSubnetSpreadsOverZones(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	var got []string
	for _, cidr := range []string{"10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"} {
		id := e.subnet(vpcID, cidr)
		s := must(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{id}}))(t).Subnets[0]
		got = append(got, aws.ToString(s.AvailabilityZone))
	}
	if diff := cmp.Diff([]string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, got); diff != "" {
		t.Errorf("zones of subnets created without one (-want +got):\n%s", diff)
	}
}

func TestCreateSubnetErrors(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     func(vpcID string) *ec2.CreateSubnetInput
		want   string
	}{
		"outside the VPC": {
			reason: "a subnet lies inside its VPC's block",
			in:     func(v string) *ec2.CreateSubnetInput { return subnetIn(v, "10.1.0.0/24") },
			want:   "InvalidSubnet.Range",
		},
		"larger than the VPC": {
			reason: "a subnet lies inside its VPC's block",
			in:     func(v string) *ec2.CreateSubnetInput { return subnetIn(v, "10.0.0.0/15") },
			want:   "InvalidSubnet.Range",
		},
		"too small": {
			reason: "subnets are /16 to /28",
			in:     func(v string) *ec2.CreateSubnetInput { return subnetIn(v, "10.0.0.0/29") },
			want:   "InvalidSubnet.Range",
		},
		"overlapping": {
			reason: "subnets of a VPC do not overlap (10.0.0.0/24 exists)",
			in:     func(v string) *ec2.CreateSubnetInput { return subnetIn(v, "10.0.0.128/25") },
			want:   "InvalidSubnet.Conflict",
		},
		"same block": {
			reason: "subnets of a VPC do not overlap (10.0.0.0/24 exists)",
			in:     func(v string) *ec2.CreateSubnetInput { return subnetIn(v, "10.0.0.0/24") },
			want:   "InvalidSubnet.Conflict",
		},
		"bad CIDR": {
			reason: "the block must be CIDR notation",
			in:     func(v string) *ec2.CreateSubnetInput { return subnetIn(v, "ten/24") },
			want:   "InvalidParameterValue",
		},
		"missing CIDR": {
			reason: "an IPv4 subnet needs a block",
			in:     func(v string) *ec2.CreateSubnetInput { return &ec2.CreateSubnetInput{VpcId: aws.String(v)} },
			want:   "MissingParameter",
		},
		"unknown VPC": {
			reason: "the VPC must exist",
			in:     func(string) *ec2.CreateSubnetInput { return subnetIn("vpc-0123456789abcdef0", "10.0.1.0/24") },
			want:   "InvalidVpcID.NotFound",
		},
		"unknown zone": {
			reason: "the zone must be one of the region's",
			in: func(v string) *ec2.CreateSubnetInput {
				in := subnetIn(v, "10.0.1.0/24")
				in.AvailabilityZone = aws.String("us-east-1a")
				return in
			},
			want: "InvalidParameterValue",
		},
		"wrong tag type": {
			reason: "TagSpecifications must name the created resource's type",
			in: func(v string) *ec2.CreateSubnetInput {
				in := subnetIn(v, "10.0.1.0/24")
				in.TagSpecifications = tagSpec(types.ResourceTypeVpc, "a", "b")
				return in
			},
			want: "InvalidParameterValue",
		},
	}
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	e.subnet(vpcID, "10.0.0.0/24")
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.CreateSubnet(e.ctx, tc.in(vpcID))
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
}

func subnetIn(vpcID, cidr string) *ec2.CreateSubnetInput {
	return &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr)}
}

func TestSubnetsInDifferentVpcsMayOverlap(t *testing.T) {
	e := newEnv(t)
	e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/24")
	e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/24")
}

func TestDeleteSubnet(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	id := e.subnet(vpcID, "10.0.1.0/24")
	rt := e.routeTable(vpcID)
	must(e.ec2.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt), SubnetId: aws.String(id)}))(t)
	must(e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)}))(t)
	_, err := e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{id}})
	checkCode(t, "describe deleted subnet", err, "InvalidSubnetID.NotFound")
	got := must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{rt}}))(t).RouteTables[0]
	if len(got.Associations) != 0 {
		t.Errorf("the deleted subnet's association should go with it, got %+v", got.Associations)
	}
	_, err = e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)})
	checkCode(t, "delete deleted subnet", err, "InvalidSubnetID.NotFound")
	_, err = e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String("subnet-nothex")})
	checkCode(t, "delete malformed id", err, "InvalidSubnetID.Malformed")
}

func TestDeleteSubnetUsedByAnotherService(t *testing.T) {
	// A fake RDS whose state claims every EC2 resource it is asked about.
	e := newEnv(t, api.Service{Name: "rds", Ops: map[string]api.Op{}, NewState: func() any { return &claimAll{} }})
	vpcID := e.vpc("10.0.0.0/16")
	id := e.subnet(vpcID, "10.0.1.0/24")
	_, err := e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)})
	checkCode(t, "delete a subnet RDS uses", err, "DependencyViolation")
	g := e.group(vpcID, "db")
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(g)})
	checkCode(t, "delete a group RDS uses", err, "DependencyViolation")
}

// claimAll is a fake service state that uses every EC2 resource.
type claimAll struct{}

func (*claimAll) DependentsOf(id string) []string { return []string{"db-cluster kc uses " + id} }

func TestModifySubnetAttribute(t *testing.T) {
	e := newEnv(t)
	id := e.subnet(e.vpc("10.0.0.0/16"), "10.0.1.0/24")
	must(e.ec2.ModifySubnetAttribute(e.ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(id), MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
	got := must(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("map-public-ip-on-launch", "true")}}))(t).Subnets
	if len(got) != 1 || aws.ToString(got[0].SubnetId) != id {
		t.Errorf("subnets mapping public IPs: got %d, want %s", len(got), id)
	}
}
