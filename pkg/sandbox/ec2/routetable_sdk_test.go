package ec2_test

import (
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
)

func TestRouteTableAssociations(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	sub := e.subnet(vpcID, "10.0.1.0/24")
	rt := e.routeTable(vpcID)
	assoc := must(e.ec2.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt), SubnetId: aws.String(sub)}))(t)
	if assoc.AssociationState.State != types.RouteTableAssociationStateCodeAssociated {
		t.Errorf("association state: got %q, want associated", assoc.AssociationState.State)
	}
	got := must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("association.subnet-id", sub)}}))(t).RouteTables
	if len(got) != 1 || aws.ToString(got[0].RouteTableId) != rt {
		t.Fatalf("route table of subnet: got %d tables, want %s", len(got), rt)
	}
	want := []types.RouteTableAssociation{{
		RouteTableAssociationId: assoc.AssociationId, RouteTableId: aws.String(rt), SubnetId: aws.String(sub), Main: aws.Bool(false),
		AssociationState: &types.RouteTableAssociationState{State: types.RouteTableAssociationStateCodeAssociated},
	}}
	if diff := cmp.Diff(want, got[0].Associations, sdkTypes); diff != "" {
		t.Errorf("associations (-want +got):\n%s", diff)
	}

	other := e.routeTable(vpcID)
	_, err := e.ec2.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(other), SubnetId: aws.String(sub)})
	checkCode(t, "associate an associated subnet", err, "Resource.AlreadyAssociated")
	_, err = e.ec2.DeleteRouteTable(e.ctx, &ec2.DeleteRouteTableInput{RouteTableId: aws.String(rt)})
	checkCode(t, "delete an associated table", err, "DependencyViolation")

	replaced := must(e.ec2.ReplaceRouteTableAssociation(e.ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: assoc.AssociationId, RouteTableId: aws.String(other)}))(t)
	got = must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("association.subnet-id", sub)}}))(t).RouteTables
	if len(got) != 1 || aws.ToString(got[0].RouteTableId) != other || aws.ToString(got[0].Associations[0].RouteTableAssociationId) != aws.ToString(replaced.NewAssociationId) {
		t.Errorf("after ReplaceRouteTableAssociation the subnet should use %s under %s, got %+v", other, aws.ToString(replaced.NewAssociationId), got)
	}
	_, err = e.ec2.DisassociateRouteTable(e.ctx, &ec2.DisassociateRouteTableInput{AssociationId: assoc.AssociationId})
	checkCode(t, "disassociate a replaced association", err, "InvalidAssociationID.NotFound")
	must(e.ec2.DisassociateRouteTable(e.ctx, &ec2.DisassociateRouteTableInput{AssociationId: replaced.NewAssociationId}))(t)
	must(e.ec2.DeleteRouteTable(e.ctx, &ec2.DeleteRouteTableInput{RouteTableId: aws.String(rt)}))(t)
	_, err = e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{rt}})
	checkCode(t, "describe a deleted table", err, "InvalidRouteTableID.NotFound")
}

func TestMainRouteTableAssociation(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	main := e.mainRouteTable(vpcID)
	mainAssoc := main.Associations[0].RouteTableAssociationId
	_, err := e.ec2.DisassociateRouteTable(e.ctx, &ec2.DisassociateRouteTableInput{AssociationId: mainAssoc})
	checkCode(t, "disassociate the main association", err, "InvalidParameterValue")
	_, err = e.ec2.DeleteRouteTable(e.ctx, &ec2.DeleteRouteTableInput{RouteTableId: main.RouteTableId})
	checkCode(t, "delete the main table", err, "DependencyViolation")

	next := e.routeTable(vpcID)
	must(e.ec2.ReplaceRouteTableAssociation(e.ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: mainAssoc, RouteTableId: aws.String(next)}))(t)
	if got := aws.ToString(e.mainRouteTable(vpcID).RouteTableId); got != next {
		t.Errorf("main table after replace: got %s, want %s", got, next)
	}
	must(e.ec2.DeleteRouteTable(e.ctx, &ec2.DeleteRouteTableInput{RouteTableId: main.RouteTableId}))(t)
	must(e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpcID)}))(t)
}

func TestAssociateRouteTableErrors(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	otherSubnet := e.subnet(e.vpc("10.1.0.0/16"), "10.1.1.0/24")
	rt := e.routeTable(vpcID)
	cases := map[string]struct {
		reason string
		in     *ec2.AssociateRouteTableInput
		want   string
	}{
		"other VPC's subnet": {"a table serves subnets of its own VPC", &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt), SubnetId: aws.String(otherSubnet)}, "InvalidParameterValue"},
		"unknown subnet":     {"the subnet must exist", &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt), SubnetId: aws.String("subnet-0123456789abcdef0")}, "InvalidSubnetID.NotFound"},
		"unknown table":      {"the table must exist", &ec2.AssociateRouteTableInput{RouteTableId: aws.String("rtb-0123456789abcdef0"), SubnetId: aws.String(otherSubnet)}, "InvalidRouteTableID.NotFound"},
		"malformed table":    {"table ids have the form rtb-<hex>", &ec2.AssociateRouteTableInput{RouteTableId: aws.String("table-1"), SubnetId: aws.String(otherSubnet)}, "InvalidRouteTableId.Malformed"},
		"no target":          {"a subnet or a gateway is needed", &ec2.AssociateRouteTableInput{RouteTableId: aws.String(rt)}, "InvalidParameterCombination"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.AssociateRouteTable(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	igw := e.igw(vpcID)
	peer := e.vpc("10.1.0.0/16")
	pcx := aws.ToString(must(e.ec2.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(vpcID), PeerVpcId: aws.String(peer)}))(t).VpcPeeringConnection.VpcPeeringConnectionId)
	must(e.ec2.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(pcx)}))(t)
	rt := e.routeTable(vpcID)

	must(e.ec2.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw)}))(t)
	must(e.ec2.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: aws.String(pcx)}))(t)
	want := []types.Route{
		{DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw), Origin: types.RouteOriginCreateRoute, State: types.RouteStateActive},
		{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local"), Origin: types.RouteOriginCreateRouteTable, State: types.RouteStateActive},
		{DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: aws.String(pcx), Origin: types.RouteOriginCreateRoute, State: types.RouteStateActive},
	}
	if diff := cmp.Diff(want, e.routes(rt), sdkTypes); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	byRoute := must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
		filter("route.destination-cidr-block", "10.1.0.0/16"), filter("route.vpc-peering-connection-id", pcx),
	}}))(t).RouteTables
	if len(byRoute) != 1 || aws.ToString(byRoute[0].RouteTableId) != rt {
		t.Errorf("tables routing to the peering: got %d, want %s", len(byRoute), rt)
	}

	must(e.ec2.ReplaceRoute(e.ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("10.1.0.0/16"), GatewayId: aws.String(igw)}))(t)
	must(e.ec2.DeleteRoute(e.ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("10.1.0.0/16")}))(t)
	must(e.ec2.DetachInternetGateway(e.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(igw), VpcId: aws.String(vpcID)}))(t)
	want = []types.Route{
		{DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw), Origin: types.RouteOriginCreateRoute, State: types.RouteStateBlackhole},
		{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local"), Origin: types.RouteOriginCreateRouteTable, State: types.RouteStateActive},
	}
	if diff := cmp.Diff(want, e.routes(rt), sdkTypes); diff != "" {
		t.Errorf("routes after replace, delete and detach (-want +got):\n%s", diff)
	}
}

// routes returns the routes of a table sorted by destination.
func (e *env) routes(rt string) []types.Route {
	e.t.Helper()
	got := must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{rt}}))(e.t).RouteTables[0].Routes
	sort.Slice(got, func(i, j int) bool {
		return aws.ToString(got[i].DestinationCidrBlock) < aws.ToString(got[j].DestinationCidrBlock)
	})
	return got
}

func TestRouteErrors(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	igw := e.igw(vpcID)
	detached := e.igw("")
	other := e.vpc("10.1.0.0/16")
	pending := aws.ToString(must(e.ec2.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(other), PeerVpcId: aws.String(e.vpc("10.2.0.0/16"))}))(t).VpcPeeringConnection.VpcPeeringConnectionId)
	rt := e.routeTable(vpcID)
	must(e.ec2.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw)}))(t)
	route := func(dest string) *ec2.CreateRouteInput {
		return &ec2.CreateRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String(dest)}
	}
	withGateway := func(in *ec2.CreateRouteInput, id string) *ec2.CreateRouteInput {
		in.GatewayId = aws.String(id)
		return in
	}
	withPeering := func(in *ec2.CreateRouteInput, id string) *ec2.CreateRouteInput {
		in.VpcPeeringConnectionId = aws.String(id)
		return in
	}
	cases := map[string]struct {
		reason string
		in     *ec2.CreateRouteInput
		want   string
	}{
		"existing destination":  {"one route per destination", withGateway(route("0.0.0.0/0"), igw), "RouteAlreadyExists"},
		"local destination":     {"the local route exists already", withGateway(route("10.0.0.0/16"), igw), "RouteAlreadyExists"},
		"inside the VPC":        {"gateways cannot take traffic for the VPC's own addresses", withGateway(route("10.0.1.0/24"), igw), "InvalidParameterValue"},
		"detached gateway":      {"the gateway must be attached to the table's VPC", withGateway(route("8.8.8.0/24"), detached), "InvalidParameterValue"},
		"unknown gateway":       {"the gateway must exist", withGateway(route("8.8.8.0/24"), "igw-0123456789abcdef0"), "InvalidInternetGatewayID.NotFound"},
		"unknown peering":       {"the peering must exist", withPeering(route("10.9.0.0/16"), "pcx-0123456789abcdef0"), "InvalidVpcPeeringConnectionID.NotFound"},
		"malformed peering":     {"peering ids have the form pcx-<hex>", withPeering(route("10.9.0.0/16"), "pcx-x"), "InvalidVpcPeeringConnectionId.Malformed"},
		"another VPC's peering": {"the peering must join the table's VPC", withPeering(route("10.2.0.0/16"), pending), "InvalidParameterValue"},
		"no target":             {"a route needs a target", route("8.8.8.0/24"), "MissingParameter"},
		"two targets":           {"a route has one target", withPeering(withGateway(route("8.8.8.0/24"), igw), pending), "InvalidParameterCombination"},
		"bad destination":       {"the destination must be CIDR notation", withGateway(route("8.8.8.8"), igw), "InvalidParameterValue"},
		"unknown table":         {"the table must exist", withGateway(&ec2.CreateRouteInput{RouteTableId: aws.String("rtb-0123456789abcdef0"), DestinationCidrBlock: aws.String("8.8.8.0/24")}, igw), "InvalidRouteTableID.NotFound"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.CreateRoute(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
	_, err := e.ec2.ReplaceRoute(e.ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("8.8.8.0/24"), GatewayId: aws.String(igw)})
	checkCode(t, "replace a missing route", err, "InvalidParameterValue")
	_, err = e.ec2.DeleteRoute(e.ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("8.8.8.0/24")})
	checkCode(t, "delete a missing route", err, "InvalidRoute.NotFound")
	_, err = e.ec2.DeleteRoute(e.ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("10.0.0.0/16")})
	checkCode(t, "delete the local route", err, "InvalidParameterValue")
}

func TestRouteToPendingPeeringIsBlackhole(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	pcx := aws.ToString(must(e.ec2.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(vpcID), PeerVpcId: aws.String(e.vpc("10.1.0.0/16"))}))(t).VpcPeeringConnection.VpcPeeringConnectionId)
	rt := e.routeTable(vpcID)
	must(e.ec2.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("10.1.0.0/16"), VpcPeeringConnectionId: aws.String(pcx)}))(t)
	got := must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("route.state", "blackhole")}}))(t).RouteTables
	if len(got) != 1 || aws.ToString(got[0].RouteTableId) != rt {
		t.Errorf("tables with a blackhole route: got %d, want %s (its peering awaits acceptance)", len(got), rt)
	}
}

func TestDescribeRouteTablesMaxResults(t *testing.T) {
	e := newEnv(t)
	_, err := e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(101)})
	checkCode(t, "DescribeRouteTables MaxResults is 5 to 100", err, "InvalidParameterValue")
	vpcID := e.vpc("10.0.0.0/16")
	for i := 0; i < 6; i++ {
		e.routeTable(vpcID)
	}
	n := 0
	p := ec2.NewDescribeRouteTablesPaginator(e.ec2, &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		n += len(must(p.NextPage(e.ctx))(t).RouteTables)
	}
	if n != 7 {
		t.Errorf("route tables over all pages: got %d, want 7 (main + 6)", n)
	}
}
