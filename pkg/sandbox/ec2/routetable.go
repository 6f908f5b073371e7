package ec2

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// newRouteTable returns an empty route table of v holding the local route.
func newRouteTable(v *vpc) *routeTable {
	return &routeTable{
		ID:     api.NewID("rtb"),
		VPCID:  v.ID,
		Routes: []*route{{Destination: v.CIDR, GatewayID: "local", Origin: string(types.RouteOriginCreateRouteTable)}},
	}
}

// isMain reports whether rt is its VPC's main route table.
func (rt *routeTable) isMain() bool {
	for _, a := range rt.Associations {
		if a.Main {
			return true
		}
	}
	return false
}

// createRouteTable creates a route table in a VPC.
func createRouteTable(e *env, in *ec2.CreateRouteTableInput) (*ec2.CreateRouteTableOutput, error) {
	v, err := lookupParam(kindVPC, e.r.VPCs, "VpcId", in.VpcId)
	if err != nil {
		return nil, err
	}
	tags, err := tagSpecs(in.TagSpecifications, "route-table")
	if err != nil {
		return nil, err
	}
	rt := newRouteTable(v)
	rt.Tags = tags
	e.r.RouteTables[rt.ID] = rt
	out := e.sdkRouteTable(rt)
	return &ec2.CreateRouteTableOutput{RouteTable: &out}, nil
}

func (e *env) sdkRouteTable(rt *routeTable) types.RouteTable {
	out := types.RouteTable{
		RouteTableId:    aws.String(rt.ID),
		VpcId:           aws.String(rt.VPCID),
		OwnerId:         aws.String(e.call.AccountID),
		Associations:    []types.RouteTableAssociation{},
		Routes:          []types.Route{},
		PropagatingVgws: []types.PropagatingVgw{},
		Tags:            sdkTags(rt.Tags),
	}
	for _, a := range rt.Associations {
		out.Associations = append(out.Associations, sdkAssociation(rt, a))
	}
	for _, r := range rt.Routes {
		out.Routes = append(out.Routes, e.sdkRoute(rt, r))
	}
	return out
}

func sdkAssociation(rt *routeTable, a *rtAssociation) types.RouteTableAssociation {
	return types.RouteTableAssociation{
		RouteTableAssociationId: aws.String(a.ID),
		RouteTableId:            aws.String(rt.ID),
		SubnetId:                optional(a.SubnetID),
		GatewayId:               optional(a.GatewayID),
		Main:                    aws.Bool(a.Main),
		AssociationState:        &types.RouteTableAssociationState{State: types.RouteTableAssociationStateCodeAssociated},
	}
}

func (e *env) sdkRoute(rt *routeTable, r *route) types.Route {
	return types.Route{
		DestinationCidrBlock:   aws.String(r.Destination),
		GatewayId:              optional(r.GatewayID),
		VpcPeeringConnectionId: optional(r.PeeringID),
		NatGatewayId:           optional(r.NATID),
		Origin:                 types.RouteOrigin(r.Origin),
		State:                  e.routeState(rt, r),
	}
}

// routeState is blackhole when the route's target is gone or unusable: a
// detached internet gateway, an inactive peering connection.
func (e *env) routeState(rt *routeTable, r *route) types.RouteState {
	switch {
	case r.GatewayID == "local":
		return types.RouteStateActive
	case r.GatewayID != "":
		if igw := e.r.InternetGateways[r.GatewayID]; igw == nil || igw.VPCID != rt.VPCID {
			return types.RouteStateBlackhole
		}
	case r.PeeringID != "":
		if p := e.st.Peerings[r.PeeringID]; p == nil || p.Status != statusActive {
			return types.RouteStateBlackhole
		}
	case r.NATID != "":
		if n := e.r.NATGateways[r.NATID]; n == nil || n.State != natAvailable {
			return types.RouteStateBlackhole
		}
	}
	return types.RouteStateActive
}

// optional returns nil for "", a pointer otherwise.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func routeTableFilters(e *env) filterSet[*routeTable] {
	assoc := func(f func(a *rtAssociation) []string) func(*routeTable) []string {
		return func(rt *routeTable) []string {
			var out []string
			for _, a := range rt.Associations {
				out = append(out, f(a)...)
			}
			return out
		}
	}
	routes := func(f func(r *route) []string) func(*routeTable) []string {
		return func(rt *routeTable) []string {
			var out []string
			for _, r := range rt.Routes {
				out = append(out, f(r)...)
			}
			return out
		}
	}
	return filterSet[*routeTable]{
		fields: fields[*routeTable]{
			"association.gateway-id": func(rt *routeTable) []string {
				return assocValues(rt, func(a *rtAssociation) string { return a.GatewayID })
			},
			"association.route-table-association-id": func(rt *routeTable) []string { return assocValues(rt, func(a *rtAssociation) string { return a.ID }) },
			"association.route-table-id":             func(rt *routeTable) []string { return assocValues(rt, func(*rtAssociation) string { return rt.ID }) },
			"association.subnet-id": func(rt *routeTable) []string {
				return assocValues(rt, func(a *rtAssociation) string { return a.SubnetID })
			},
			"association.main":                assoc(func(a *rtAssociation) []string { return boolValue(a.Main) }),
			"route-table-id":                  func(rt *routeTable) []string { return one(rt.ID) },
			"route.destination-cidr-block":    routes(func(r *route) []string { return one(r.Destination) }),
			"route.gateway-id":                routes(func(r *route) []string { return one(r.GatewayID) }),
			"route.nat-gateway-id":            routes(func(r *route) []string { return one(r.NATID) }),
			"route.vpc-peering-connection-id": routes(func(r *route) []string { return one(r.PeeringID) }),
			"route.origin":                    routes(func(r *route) []string { return one(r.Origin) }),
			"vpc-id":                          func(rt *routeTable) []string { return one(rt.VPCID) },
			"route.state": func(rt *routeTable) []string {
				var out []string
				for _, r := range rt.Routes {
					out = append(out, string(e.routeState(rt, r)))
				}
				return out
			},
		},
		tags: func(rt *routeTable) map[string]string { return rt.Tags },
	}
}

// assocValues collects one non-empty string per association of rt.
func assocValues(rt *routeTable, f func(*rtAssociation) string) []string {
	var out []string
	for _, a := range rt.Associations {
		if v := f(a); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// describeRouteTables lists route tables by id, filters and page.
func describeRouteTables(e *env, in *ec2.DescribeRouteTablesInput) (*ec2.DescribeRouteTablesOutput, error) {
	q := query{ids: in.RouteTableIds, filters: in.Filters, max: in.MaxResults, token: in.NextToken, bounds: bounds5to100}
	rts, next, err := describe(kindRouteTable, e.r.RouteTables, routeTableFilters(e).withOwner(e.call.AccountID), q, func(rt *routeTable) string { return rt.ID }, e.sdkRouteTable)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeRouteTablesOutput{NextToken: next, RouteTables: rts}, nil
}

// deleteRouteTable deletes a route table with no associations (the main
// table always has one).
func deleteRouteTable(e *env, in *ec2.DeleteRouteTableInput) (*ec2.DeleteRouteTableOutput, error) {
	rt, err := lookupParam(kindRouteTable, e.r.RouteTables, "RouteTableId", in.RouteTableId)
	if err != nil {
		return nil, err
	}
	if len(rt.Associations) > 0 {
		return nil, dependencyViolation("routeTable", rt.ID)
	}
	delete(e.r.RouteTables, rt.ID)
	return &ec2.DeleteRouteTableOutput{}, nil
}

// dropAssociations returns as without the associations drop selects.
func dropAssociations(as []*rtAssociation, drop func(*rtAssociation) bool) []*rtAssociation {
	out := as[:0]
	for _, a := range as {
		if !drop(a) {
			out = append(out, a)
		}
	}
	return out
}
