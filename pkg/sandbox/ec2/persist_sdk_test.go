package ec2_test

import (
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	sbec2 "github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestRestartKeepsEverything builds one of each resource, restarts the
// sandbox on the same state file, and expects every describe call to
// answer exactly as before.
func TestRestartKeepsEverything(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox.json")
	opts := []sandbox.Option{sandbox.WithDelays(0, 0), sandbox.WithStateFile(file)}
	first, err := sandbox.Start(append(opts, sandbox.WithServices(sbec2.Service()))...)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: first, ec2: ec2.NewFromConfig(sandboxtest.AWSConfig(t, first)), ctx: t.Context()}
	vpcID := e.vpc("10.0.0.0/16", "Name", "db")
	sub := e.subnet(vpcID, "10.0.1.0/24")
	rt := e.routeTable(vpcID)
	must(e.ec2.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt), SubnetId: aws.String(sub)}))(t)
	igw := e.igw(vpcID)
	must(e.ec2.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw)}))(t)
	g := e.group(vpcID, "app")
	must(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), CidrIp: aws.String("0.0.0.0/0")}))(t)
	e.peer(vpcID, e.vpc("10.1.0.0/16"))
	e.nat(sub, e.eip())
	before := snapshot(e)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second := sandboxtest.New(t, append(opts, sandbox.WithServices(sbec2.Service()))...)
	e = &env{t: t, srv: second, ec2: ec2.NewFromConfig(sandboxtest.AWSConfig(t, second)), ctx: t.Context()}
	if diff := cmp.Diff(before, snapshot(e), sdkTypes); diff != "" {
		t.Errorf("describe answers after a restart (-before +after):\n%s", diff)
	}
	// The reloaded state keeps working: the VPC still refuses deletion.
	_, err = e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)})
	checkCode(t, "delete a VPC with subnets after a restart", err, "DependencyViolation")
}

// snapshot gathers what every describe call of the region answers.
type describeAll struct {
	Vpcs      []types.Vpc
	Subnets   []types.Subnet
	Tables    []types.RouteTable
	Gateways  []types.InternetGateway
	Groups    []types.SecurityGroup
	Rules     []types.SecurityGroupRule
	Peerings  []types.VpcPeeringConnection
	NATs      []types.NatGateway
	Addresses []types.Address
	Tags      []types.TagDescription
}

func snapshot(e *env) describeAll {
	e.t.Helper()
	t, c, ctx := e.t, e.ec2, e.ctx
	return describeAll{
		Vpcs:      must(c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}))(t).Vpcs,
		Subnets:   must(c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{}))(t).Subnets,
		Tables:    must(c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{}))(t).RouteTables,
		Gateways:  must(c.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{}))(t).InternetGateways,
		Groups:    must(c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{}))(t).SecurityGroups,
		Rules:     must(c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{}))(t).SecurityGroupRules,
		Peerings:  must(c.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{}))(t).VpcPeeringConnections,
		NATs:      must(c.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{}))(t).NatGateways,
		Addresses: must(c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}))(t).Addresses,
		Tags:      must(c.DescribeTags(ctx, &ec2.DescribeTagsInput{}))(t).Tags,
	}
}

func TestGatewayRouteTableAssociation(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	igw := e.igw(vpcID)
	rt := e.routeTable(vpcID)
	assoc := must(e.ec2.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt), GatewayId: aws.String(igw)}))(t)
	got := must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("association.gateway-id", igw)}}))(t).RouteTables
	if len(got) != 1 || aws.ToString(got[0].Associations[0].RouteTableAssociationId) != aws.ToString(assoc.AssociationId) {
		t.Errorf("table of the gateway edge association: got %+v", got)
	}
	_, err := e.ec2.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(e.routeTable(vpcID)), GatewayId: aws.String(igw)})
	checkCode(t, "a second edge association of the gateway", err, "Resource.AlreadyAssociated")
	_, err = e.ec2.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt), GatewayId: aws.String(e.igw(""))})
	checkCode(t, "associate a detached gateway", err, "InvalidParameterValue")
}
