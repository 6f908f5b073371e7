package ec2_test

import (
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
)

func TestCreateVpc(t *testing.T) {
	e := newEnv(t)
	out := must(e.ec2.CreateVpc(e.ctx, &ec2.CreateVpcInput{
		CidrBlock:         aws.String("10.0.0.0/16"),
		TagSpecifications: tagSpec(types.ResourceTypeVpc, "Name", "db"),
	}))(t)
	v := out.Vpc
	id := aws.ToString(v.VpcId)
	want := types.Vpc{
		VpcId: aws.String(id), CidrBlock: aws.String("10.0.0.0/16"), State: types.VpcStatePending,
		CidrBlockAssociationSet: []types.VpcCidrBlockAssociation{{
			AssociationId: v.CidrBlockAssociationSet[0].AssociationId, CidrBlock: aws.String("10.0.0.0/16"),
			CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated},
		}},
		DhcpOptionsId: aws.String("default"), InstanceTenancy: types.TenancyDefault, IsDefault: aws.Bool(false),
		OwnerId: aws.String("123456789012"), Tags: tags("Name", "db"),
		Ipv6CidrBlockAssociationSet: []types.VpcIpv6CidrBlockAssociation{},
		BlockPublicAccessStates:     &types.BlockPublicAccessStates{InternetGatewayBlockMode: types.BlockPublicAccessModeOff},
	}
	if diff := cmp.Diff(want, *v, sdkTypes); diff != "" {
		t.Errorf("CreateVpc output (-want +got):\n%s", diff)
	}
	got := must(e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{id}}))(t).Vpcs
	if len(got) != 1 || got[0].State != types.VpcStateAvailable {
		t.Fatalf("DescribeVpcs: got %+v, want one available VPC", got)
	}
	waiter := ec2.NewVpcAvailableWaiter(e.ec2)
	if err := waiter.Wait(e.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{id}}, shortWait); err != nil {
		t.Errorf("VpcAvailable waiter: %v", err)
	}
	if err := ec2.NewVpcExistsWaiter(e.ec2).Wait(e.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{id}}, shortWait); err != nil {
		t.Errorf("VpcExists waiter: %v", err)
	}
}

func TestCreateVpcErrors(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     *ec2.CreateVpcInput
		want   string
	}{
		"missing CIDR": {
			reason: "a VPC needs an IPv4 block (or an IPAM pool)",
			in:     &ec2.CreateVpcInput{},
			want:   "MissingParameter",
		},
		"unparsable CIDR": {
			reason: "the block must be CIDR notation",
			in:     &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0")},
			want:   "InvalidParameterValue",
		},
		"host bits set": {
			reason: "the block must be a network address",
			in:     &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.1/16")},
			want:   "InvalidParameterValue",
		},
		"too large": {
			reason: "VPC blocks are /16 to /28",
			in:     &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/8")},
			want:   "InvalidVpc.Range",
		},
		"too small": {
			reason: "VPC blocks are /16 to /28",
			in:     &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/29")},
			want:   "InvalidVpc.Range",
		},
		"wrong tag resource type": {
			reason: "TagSpecifications must name the created resource's type",
			in:     &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tagSpec(types.ResourceTypeSubnet, "a", "b")},
			want:   "InvalidParameterValue",
		},
		"reserved tag key": {
			reason: "aws: tag keys are reserved",
			in:     &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tagSpec(types.ResourceTypeVpc, "aws:x", "b")},
			want:   "InvalidParameterValue",
		},
		"dry run": {
			reason: "DryRun answers DryRunOperation for a permitted caller",
			in:     &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), DryRun: aws.Bool(true)},
			want:   "DryRunOperation",
		},
	}
	e := newEnv(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.CreateVpc(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
	if n := len(must(e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs); n != 0 {
		t.Errorf("failed creates left %d VPCs behind", n)
	}
}

func TestCreateVpcCreatesMainRouteTableAndDefaultGroup(t *testing.T) {
	e := newEnv(t)
	id := e.vpc("10.1.0.0/16")
	rt := e.mainRouteTable(id)
	wantRoutes := []types.Route{{DestinationCidrBlock: aws.String("10.1.0.0/16"), GatewayId: aws.String("local"), Origin: types.RouteOriginCreateRouteTable, State: types.RouteStateActive}}
	if diff := cmp.Diff(wantRoutes, rt.Routes, sdkTypes); diff != "" {
		t.Errorf("main route table routes (-want +got):\n%s", diff)
	}
	if len(rt.Associations) != 1 || !aws.ToBool(rt.Associations[0].Main) || rt.Associations[0].SubnetId != nil {
		t.Errorf("main route table associations: got %+v, want one main association", rt.Associations)
	}
	groups := must(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", id)}}))(t).SecurityGroups
	if len(groups) != 1 {
		t.Fatalf("security groups of a new VPC: got %d, want the default one", len(groups))
	}
	g := groups[0]
	gid := aws.ToString(g.GroupId)
	want := types.SecurityGroup{
		GroupId: g.GroupId, GroupName: aws.String("default"), Description: aws.String("default VPC security group"),
		VpcId: aws.String(id), OwnerId: aws.String("123456789012"), SecurityGroupArn: aws.String("arn:aws:ec2:eu-west-1:123456789012:security-group/" + gid),
		IpPermissions: []types.IpPermission{{
			IpProtocol: aws.String("-1"), IpRanges: []types.IpRange{}, Ipv6Ranges: []types.Ipv6Range{}, PrefixListIds: []types.PrefixListId{},
			UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(gid), UserId: aws.String("123456789012")}},
		}},
		IpPermissionsEgress: []types.IpPermission{{
			IpProtocol: aws.String("-1"), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}, Ipv6Ranges: []types.Ipv6Range{},
			PrefixListIds: []types.PrefixListId{}, UserIdGroupPairs: []types.UserIdGroupPair{},
		}},
	}
	if diff := cmp.Diff(want, g, sdkTypes); diff != "" {
		t.Errorf("default security group (-want +got):\n%s", diff)
	}
}

func TestDescribeVpcsErrors(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     *ec2.DescribeVpcsInput
		want   string
	}{
		"unknown id":     {"an id that names no VPC", &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123456789abcdef0"}}, "InvalidVpcID.NotFound"},
		"malformed id":   {"ids have the form vpc-<hex>", &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-zz"}}, "InvalidVpcID.Malformed"},
		"unknown filter": {"EC2 rejects filter names it does not know", &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("colour", "red")}}, "InvalidParameterValue"},
		"max too small":  {"DescribeVpcs MaxResults is 5 to 1000", &ec2.DescribeVpcsInput{MaxResults: aws.Int32(4)}, "InvalidParameterValue"},
		"max too large":  {"DescribeVpcs MaxResults is 5 to 1000", &ec2.DescribeVpcsInput{MaxResults: aws.Int32(1001)}, "InvalidParameterValue"},
		"garbage token":  {"tokens are opaque and checked", &ec2.DescribeVpcsInput{NextToken: aws.String("%%%")}, "InvalidPaginationToken"},
	}
	e := newEnv(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.DescribeVpcs(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
}

func TestDescribeVpcsPaginates(t *testing.T) {
	e := newEnv(t)
	want := map[string]bool{}
	for i := 0; i < 12; i++ {
		want[e.vpc("10."+strconv.Itoa(i)+".0.0/16", "stack", "s1")] = true
	}
	got := map[string]bool{}
	pages := 0
	p := ec2.NewDescribeVpcsPaginator(e.ec2, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(5), Filters: []types.Filter{filter("tag:stack", "s1")}})
	for p.HasMorePages() {
		out := must(p.NextPage(e.ctx))(t)
		pages++
		for _, v := range out.Vpcs {
			if got[aws.ToString(v.VpcId)] {
				t.Errorf("VPC %s returned twice", aws.ToString(v.VpcId))
			}
			got[aws.ToString(v.VpcId)] = true
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paginated VPCs (-want +got):\n%s", diff)
	}
	if pages != 3 {
		t.Errorf("pages: got %d, want 3 (5+5+2)", pages)
	}
}

func TestDeleteVpc(t *testing.T) {
	cases := map[string]struct {
		reason string
		setup  func(e *env, vpcID string)
		want   string
	}{
		"empty": {
			reason: "the main route table and default group go with the VPC",
			setup:  func(*env, string) {},
		},
		"subnet": {
			reason: "subnets must be deleted first",
			setup:  func(e *env, id string) { e.subnet(id, "10.0.1.0/24") },
			want:   "DependencyViolation",
		},
		"security group": {
			reason: "non-default security groups must be deleted first",
			setup:  func(e *env, id string) { e.group(id, "app") },
			want:   "DependencyViolation",
		},
		"route table": {
			reason: "non-main route tables must be deleted first",
			setup:  func(e *env, id string) { e.routeTable(id) },
			want:   "DependencyViolation",
		},
		"internet gateway": {
			reason: "an attached internet gateway must be detached first",
			setup:  func(e *env, id string) { e.igw(id) },
			want:   "DependencyViolation",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			id := e.vpc("10.0.0.0/16")
			tc.setup(e, id)
			_, err := e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(id)})
			if got := errorCode(err); got != tc.want {
				t.Fatalf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
			if tc.want != "" {
				return
			}
			rts := must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{}))(t).RouteTables
			sgs := must(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{}))(t).SecurityGroups
			if len(rts)+len(sgs) != 0 {
				t.Errorf("after DeleteVpc: %d route tables and %d groups remain, want none", len(rts), len(sgs))
			}
			_, err = e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(id)})
			checkCode(t, "second DeleteVpc", err, "InvalidVpcID.NotFound")
		})
	}
}

func TestVpcAttributes(t *testing.T) {
	e := newEnv(t)
	id := e.vpc("10.0.0.0/16")
	attr := func(a types.VpcAttributeName) *ec2.DescribeVpcAttributeOutput {
		return must(e.ec2.DescribeVpcAttribute(e.ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(id), Attribute: a}))(t)
	}
	if got := aws.ToBool(attr(types.VpcAttributeNameEnableDnsSupport).EnableDnsSupport.Value); !got {
		t.Errorf("default enableDnsSupport: got false, want true")
	}
	if got := aws.ToBool(attr(types.VpcAttributeNameEnableDnsHostnames).EnableDnsHostnames.Value); got {
		t.Errorf("default enableDnsHostnames: got true, want false")
	}
	must(e.ec2.ModifyVpcAttribute(e.ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(id), EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}}))(t)
	if got := aws.ToBool(attr(types.VpcAttributeNameEnableDnsHostnames).EnableDnsHostnames.Value); !got {
		t.Errorf("enableDnsHostnames after modify: got false, want true")
	}
	_, err := e.ec2.ModifyVpcAttribute(e.ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(id),
		EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}, EnableDnsSupport: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
	checkCode(t, "modify two attributes at once", err, "InvalidParameterCombination")
	_, err = e.ec2.DescribeVpcAttribute(e.ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(id), Attribute: "colour"})
	checkCode(t, "unknown attribute", err, "InvalidParameterValue")
	_, err = e.ec2.DescribeVpcAttribute(e.ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String("vpc-0123456789abcdef0"), Attribute: types.VpcAttributeNameEnableDnsSupport})
	checkCode(t, "unknown VPC", err, "InvalidVpcID.NotFound")
}
