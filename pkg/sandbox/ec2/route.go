package ec2

import (
	"net/netip"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// routeTarget is the target of a CreateRoute or ReplaceRoute request.
type routeTarget struct {
	gateway, peering, nat string
	// unsupported names a target kind the sandbox does not model.
	unsupported []string
}

func targetOfCreate(in *ec2.CreateRouteInput) routeTarget {
	return routeTarget{
		gateway: aws.ToString(in.GatewayId), peering: aws.ToString(in.VpcPeeringConnectionId), nat: aws.ToString(in.NatGatewayId),
		unsupported: present(map[string]*string{
			"instanceId": in.InstanceId, "networkInterfaceId": in.NetworkInterfaceId, "transitGatewayId": in.TransitGatewayId,
			"egressOnlyInternetGatewayId": in.EgressOnlyInternetGatewayId, "localGatewayId": in.LocalGatewayId,
			"carrierGatewayId": in.CarrierGatewayId, "vpcEndpointId": in.VpcEndpointId, "coreNetworkArn": in.CoreNetworkArn,
		}),
	}
}

func targetOfReplace(in *ec2.ReplaceRouteInput) routeTarget {
	return routeTarget{
		gateway: aws.ToString(in.GatewayId), peering: aws.ToString(in.VpcPeeringConnectionId), nat: aws.ToString(in.NatGatewayId),
		unsupported: present(map[string]*string{
			"instanceId": in.InstanceId, "networkInterfaceId": in.NetworkInterfaceId, "transitGatewayId": in.TransitGatewayId,
			"egressOnlyInternetGatewayId": in.EgressOnlyInternetGatewayId, "localGatewayId": in.LocalGatewayId,
			"carrierGatewayId": in.CarrierGatewayId, "vpcEndpointId": in.VpcEndpointId, "coreNetworkArn": in.CoreNetworkArn,
		}),
	}
}

// present lists the names whose values are set.
func present(m map[string]*string) []string {
	var out []string
	for _, k := range sortedKeys(m) {
		if aws.ToString(m[k]) != "" {
			out = append(out, k)
		}
	}
	return out
}

// check validates the target for route table rt: exactly one target, which
// exists and serves rt's VPC.
func (e *env) checkTarget(rt *routeTable, t routeTarget) error {
	if len(t.unsupported) > 0 {
		return api.Errorf("UnsupportedOperation", "The sandbox does not support route targets of type %s.", strings.Join(t.unsupported, ", "))
	}
	n := 0
	for _, v := range []string{t.gateway, t.peering, t.nat} {
		if v != "" {
			n++
		}
	}
	switch {
	case n == 0:
		return missingParameter("gatewayId, natGatewayId or vpcPeeringConnectionId")
	case n > 1:
		return api.Errorf("InvalidParameterCombination", "More than one target specified for the route.")
	case t.gateway != "":
		return e.checkGatewayTarget(rt, t.gateway)
	case t.peering != "":
		return e.checkPeeringTarget(rt, t.peering)
	}
	return e.checkNATTarget(rt, t.nat)
}

func (e *env) checkNATTarget(rt *routeTable, id string) error {
	n := e.r.NATGateways[id]
	if n == nil || n.State == natDeleted || n.State == natFailed {
		return api.Errorf("InvalidNatGatewayID.NotFound", "The natGateway ID '%s' does not exist", id)
	}
	if n.VPCID != rt.VPCID {
		return api.Errorf("InvalidParameterValue", "route table %s and NAT gateway %s belong to different networks", rt.ID, n.ID)
	}
	return nil
}

func (e *env) checkGatewayTarget(rt *routeTable, id string) error {
	if !strings.HasPrefix(id, "igw-") {
		return api.Errorf("InvalidGatewayID.NotFound", "The gateway ID '%s' does not exist", id)
	}
	igw, err := lookup(kindInternetGateway, e.r.InternetGateways, id)
	if err != nil {
		return err
	}
	if igw.VPCID != rt.VPCID {
		return api.Errorf("InvalidParameterValue", "route table %s and network gateway %s belong to different networks", rt.ID, igw.ID)
	}
	return nil
}

func (e *env) checkPeeringTarget(rt *routeTable, id string) error {
	p, err := e.findPeering(id)
	if err != nil {
		return err
	}
	if p.ended() {
		return kindPeering.missing(id)
	}
	if p.sideIn(e.call.Region, rt.VPCID) == "" {
		return api.Errorf("InvalidParameterValue", "route table %s and peering connection %s belong to different networks", rt.ID, p.ID)
	}
	return nil
}

// routeDestination parses the destination of a route request for rt: an
// IPv4 CIDR block that is not inside the VPC's own block.
func routeDestination(vpcCIDR string, dest *string, ipv6, prefixList *string) (string, error) {
	if ipv6 != nil || prefixList != nil {
		return "", api.Errorf("UnsupportedOperation", "The sandbox supports IPv4 route destinations only.")
	}
	d, err := required("DestinationCidrBlock", dest)
	if err != nil {
		return "", err
	}
	p, err := parseCIDR("destinationCidrBlock", d)
	if err != nil {
		return "", err
	}
	local := netip.MustParsePrefix(vpcCIDR)
	if p != local && contains(local, p) {
		return "", api.Errorf("InvalidParameterValue", "The destination CIDR block %s is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance.", d)
	}
	return p.String(), nil
}

// findRoute returns the route of rt with the destination, nil if none.
func (rt *routeTable) findRoute(dest string) *route {
	for _, r := range rt.Routes {
		if r.Destination == dest {
			return r
		}
	}
	return nil
}

// createRoute adds a route to a route table.
func createRoute(e *env, in *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error) {
	rt, dest, err := e.routeRequest(in.RouteTableId, in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId)
	if err != nil {
		return nil, err
	}
	if rt.findRoute(dest) != nil {
		return nil, api.Errorf("RouteAlreadyExists", "The route identified by %s already exists.", dest)
	}
	t := targetOfCreate(in)
	if err := e.checkTarget(rt, t); err != nil {
		return nil, err
	}
	rt.Routes = append(rt.Routes, &route{Destination: dest, GatewayID: t.gateway, PeeringID: t.peering, NATID: t.nat, Origin: string(types.RouteOriginCreateRoute)})
	return &ec2.CreateRouteOutput{Return: aws.Bool(true)}, nil
}

// replaceRoute changes the target of an existing route.
func replaceRoute(e *env, in *ec2.ReplaceRouteInput) (*ec2.ReplaceRouteOutput, error) {
	rt, dest, err := e.routeRequest(in.RouteTableId, in.DestinationCidrBlock, in.DestinationIpv6CidrBlock, in.DestinationPrefixListId)
	if err != nil {
		return nil, err
	}
	r := rt.findRoute(dest)
	if r == nil {
		return nil, api.Errorf("InvalidParameterValue", "There is no route defined for '%s' in the route table. Use CreateRoute instead.", dest)
	}
	if r.GatewayID == "local" {
		return nil, api.Errorf("InvalidParameterValue", "cannot replace local route %s in route table %s", dest, rt.ID)
	}
	t := targetOfReplace(in)
	if err := e.checkTarget(rt, t); err != nil {
		return nil, err
	}
	r.GatewayID, r.PeeringID, r.NATID = t.gateway, t.peering, t.nat
	return &ec2.ReplaceRouteOutput{}, nil
}

// deleteRoute removes a route; the local route cannot be removed.
func deleteRoute(e *env, in *ec2.DeleteRouteInput) (*ec2.DeleteRouteOutput, error) {
	rt, err := lookupParam(kindRouteTable, e.r.RouteTables, "RouteTableId", in.RouteTableId)
	if err != nil {
		return nil, err
	}
	if in.DestinationIpv6CidrBlock != nil || in.DestinationPrefixListId != nil {
		return nil, api.Errorf("InvalidRoute.NotFound", "no matching route in route table %s", rt.ID)
	}
	d, err := required("DestinationCidrBlock", in.DestinationCidrBlock)
	if err != nil {
		return nil, err
	}
	r := rt.findRoute(canonical(d))
	if r == nil {
		return nil, api.Errorf("InvalidRoute.NotFound", "no route with destination-cidr-block %s in route table %s", d, rt.ID)
	}
	if r.GatewayID == "local" {
		return nil, api.Errorf("InvalidParameterValue", "cannot remove local route %s in route table %s", d, rt.ID)
	}
	rt.Routes = dropRoute(rt.Routes, r)
	return &ec2.DeleteRouteOutput{}, nil
}

// routeRequest resolves the route table and destination of a create or
// replace request.
func (e *env) routeRequest(rtID, dest, ipv6, prefixList *string) (*routeTable, string, error) {
	id, err := required("RouteTableId", rtID)
	if err != nil {
		return nil, "", err
	}
	rt, err := lookup(kindRouteTable, e.r.RouteTables, id)
	if err != nil {
		return nil, "", err
	}
	v := e.r.VPCs[rt.VPCID]
	if v == nil {
		return nil, "", kindVPC.missing(rt.VPCID)
	}
	d, err := routeDestination(v.CIDR, dest, ipv6, prefixList)
	return rt, d, err
}

// canonical returns the masked form of a CIDR block, or s unchanged.
func canonical(s string) string {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return s
	}
	return p.Masked().String()
}

func dropRoute(rs []*route, r *route) []*route {
	out := rs[:0]
	for _, x := range rs {
		if x != r {
			out = append(out, x)
		}
	}
	return out
}
