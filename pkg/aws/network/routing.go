package network

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// associationKind describes ec2:route-table-association. A retried
// AssociateRouteTable cannot associate twice: the subnet is then already
// associated, and Create adopts that association.
var associationKind = resource.Descriptor{
	Kind: resource.KindRouteTableAssoc,
	Untagged: "an association is no resource of its own in the tagging API: it carries no tags " +
		"and is read from the route tables, owned when its subnet is",
	References: []resource.Reference{
		{Prop: propRouteTableID, Kind: resource.KindRouteTable, Attr: "id"},
		{Prop: propSubnetID, Kind: resource.KindSubnet, Attr: "id"},
	},
	Fields: resource.Fields{propSubnetID: {ForcesReplace: true, Reason: "an association belongs to one subnet"}},
	// Moving a subnet to another table (ReplaceRouteTableAssociation, one
	// atomic call, no moment without a table) gives the association a new id.
	UpdatedAttrs: []string{"id"},
	DataLoss:     resource.NoDataLoss,
	Create:       resource.Creation{Operations: []string{"AssociateRouteTable"}, Idempotent: true},
}

// AssociationHandler manages route table associations of owned subnets.
type AssociationHandler struct{ base }

var _ resource.Handler = (*AssociationHandler)(nil)

// Create associates the table with the subnet; a subnet already
// associated elsewhere is moved with ReplaceRouteTableAssociation.
func (h *AssociationHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	table, subnet := r.String(propRouteTableID), r.String(propSubnetID)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(table), SubnetId: aws.String(subnet)})
	if awserr.Is(err, "Resource.AlreadyAssociated") {
		return h.move(ctx, d, subnet, table)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("associate route table %s with subnet %s: %w", table, subnet, err)
	}
	return h.observation(d.Address, aws.ToString(out.AssociationId), table, subnet), nil
}

// move adopts the subnet's association with table, or moves the subnet's
// association with another table to table.
func (h *AssociationHandler) move(ctx context.Context, d resource.Desired, subnet, table string) (resource.Observation, error) {
	out, err := h.api.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("association.subnet-id", subnet)}})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("find association of subnet %s: %w", subnet, err)
	}
	for _, t := range out.RouteTables {
		for _, a := range t.Associations {
			if aws.ToString(a.SubnetId) != subnet {
				continue
			}
			if aws.ToString(t.RouteTableId) == table {
				return h.observation(d.Address, aws.ToString(a.RouteTableAssociationId), table, subnet), nil
			}
			return h.Update(ctx, d, h.observation(d.Address, aws.ToString(a.RouteTableAssociationId), aws.ToString(t.RouteTableId), subnet), nil)
		}
	}
	return resource.Observation{}, fmt.Errorf("subnet %s is associated but its association was not found; run again", subnet)
}

func (h *AssociationHandler) observation(address, id, table, subnet string) resource.Observation {
	return associationObservation(address, id, table, subnet, h.stack)
}

// associationObservation is the observation of association id of subnet
// with table; it is owned, as its subnet is.
func associationObservation(address, id, table, subnet, stack string) resource.Observation {
	ob := observed(resource.KindRouteTableAssoc, address, id, nil, stack, resource.Props{propRouteTableID: table, propSubnetID: subnet}, nil)
	ob.Owned = true
	return ob
}

// Update moves the subnet to the desired route table.
func (h *AssociationHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	want, have := resource.Read(d.Props), resource.Read(o.Props)
	table, subnet := want.String(propRouteTableID), have.String(propSubnetID)
	if err := want.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	if err := have.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("association %s as observed: %w", o.ID, err)
	}
	out, err := h.api.ReplaceRouteTableAssociation(ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: aws.String(o.ID), RouteTableId: aws.String(table)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("move association %s to %s: %w", o.ID, table, err)
	}
	return h.observation(d.Address, aws.ToString(out.NewAssociationId), table, subnet), nil
}

// Delete disassociates.
func (h *AssociationHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: aws.String(o.ID)})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("disassociate %s: %w", o.ID, err)
	}
	return nil
}

// routeKind describes ec2:route, a route set: one destination through
// one target in one or more route tables. Its subnets_within and
// destination_cidr_block hold a looked-up VPC's CIDR block when the file
// gives none. A retried CreateRoute fails with RouteAlreadyExists, which
// Update accepts.
var routeKind = resource.Descriptor{
	Kind: resource.KindRoute,
	Untagged: "a route is an entry of its route table, not a resource of its own: EC2 cannot tag it " +
		"and the tagging API does not list it; routes are read from the route tables",
	References: []resource.Reference{
		{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"},
		{Prop: propRouteTableID, Kind: resource.KindRouteTable, Attr: "id"},
		{Prop: propRouteTableIDs, Kind: resource.KindRouteTable, Attr: "id"},
		{Prop: propGatewayID, Kind: resource.KindInternetGateway, Attr: "id"},
		{Prop: propNATGatewayID, Kind: resource.KindNATGateway, Attr: "id"},
		{Prop: propPeeringID, Kind: resource.KindPeering, Attr: "id"},
		{Prop: propSubnetsWithin, Kind: resource.KindVPC, Attr: "cidr_block"},
		{Prop: propDestination, Kind: resource.KindVPC, Attr: "cidr_block"},
	},
	Fields: resource.Fields{
		propVPCID:       {ForcesReplace: true, Reason: "routes belong to one VPC"},
		propDestination: {ForcesReplace: true, Reason: "the destination identifies the route"},
	},
	// A route goes only once no subnet moving to another table still
	// uses its table: a NAT gateway route deleted first would cut the
	// tasks' way out until their subnets move.
	Deletion: resource.Deletion{InUseThrough: []string{propRouteTableID, propRouteTableIDs}},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateRoute"}, Idempotent: true},
}

// RouteHandler manages the peering routes of one side: a route to the far
// CIDR through the peering in every route table associated with the
// subnets in use.
type RouteHandler struct{ base }

var _ resource.Handler = (*RouteHandler)(nil)

// Diff compares the VPC and destination (replace), the peering (in place)
// and the set of route tables holding the route with the set that should.
func (h *RouteHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	props := resource.Props{}
	for k, v := range d.Props {
		if k != propSubnetsWithin && k != propRouteTableID && k != propRouteTableIDs {
			props[k] = v
		}
	}
	diffs := resource.DiffProps(props, o.Props, routeKind.Fields, d.Sensitive)
	want := splitList(o.Attrs["wanted_route_table_ids"])
	if have := resource.Normalize(o.Props[propRouteTableIDs]); !equalLists(have, want) {
		diffs = append(diffs, resource.FieldDiff{Path: propRouteTableIDs, Before: have, After: want})
	}
	return diffs
}

func splitList(s string) []any {
	var out []any
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, x)
		}
	}
	return resource.Normalize(out).([]any)
}

func equalLists(a any, b []any) bool {
	l, _ := a.([]any)
	if len(l) != len(b) {
		return false
	}
	for i := range l {
		if l[i] != b[i] {
			return false
		}
	}
	return true
}

// routeSpec is a route set's resolved props.
type routeSpec struct {
	vpc, within, table, dest string
	// tables are the route tables named by route_table_ids, the tables a
	// set belongs in when the desired side knows them (route tables
	// kcstack owns); unknown counts those not made yet (a plan's).
	tables  []string
	unknown int
	// target is the prop naming where the route goes (gateway_id, ...),
	// targetID its value; both "" when none is set.
	target, targetID string
}

// unknownTable stands, in a plan, for a wanted route table not made yet.
const unknownTable = "(known after apply)"

// readRoute reads a route set's props; a missing target is no error here.
func readRoute(p resource.Props) (routeSpec, error) {
	r := resource.Read(p)
	s := routeSpec{vpc: r.String(propVPCID), within: r.OptString(propSubnetsWithin), table: r.OptString(propRouteTableID), dest: r.String(propDestination)}
	for _, k := range routeTargets {
		if v := r.OptString(k); v != "" && s.target == "" {
			s.target, s.targetID = k, v
		}
	}
	ids, _ := p[propRouteTableIDs].([]any)
	for _, v := range ids {
		switch id := v.(type) {
		case string:
			s.tables = append(s.tables, id)
		case resource.Ref:
			s.unknown++
		default:
			return s, fmt.Errorf("%s holds %T, not route table ids", propRouteTableIDs, v)
		}
	}
	slices.Sort(s.tables)
	return s, r.Err()
}

// Create adds the route to every route table in use.
func (h *RouteHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	return h.Update(ctx, d, resource.Observation{}, nil)
}

// Update makes every wanted route table hold the route to its target,
// replacing a route kcstack made through another peering.
func (h *RouteHandler) Update(ctx context.Context, d resource.Desired, _ resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	s, err := readRoute(d.Props)
	if err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	subnets, err := describeSubnets(ctx, h.api, []string{s.vpc})
	if err != nil {
		return resource.Observation{}, err
	}
	tables, err := describeRouteTables(ctx, h.api, []string{s.vpc})
	if err != nil {
		return resource.Observation{}, err
	}
	want := wantedTables(s, subnets, tables)
	if s.unknown > 0 {
		return resource.Observation{}, fmt.Errorf("%s: %d of its route tables are not made yet", d.Address, s.unknown)
	}
	if len(want) == 0 {
		return resource.Observation{}, fmt.Errorf("no route table is associated with the subnets of %s inside %s: nothing would route to %s", s.vpc, s.within, s.dest)
	}
	for _, t := range want {
		if err := h.ensureRoute(ctx, t, s, tables); err != nil {
			return resource.Observation{}, err
		}
	}
	return routeObservation(d.Address, s, want, want), nil
}

// ensureRoute makes table hold the route s, adding it or replacing a
// route to the same destination through another target.
func (h *RouteHandler) ensureRoute(ctx context.Context, table string, s routeSpec, tables []types.RouteTable) error {
	r, found := routeTo(table, s.dest, tables)
	if found && routeGoesTo(r, s.target, s.targetID) {
		return nil
	}
	if found {
		return h.replaceRoute(ctx, table, s, r)
	}
	in := &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String(s.dest)}
	setTarget(s.target, s.targetID, &in.VpcPeeringConnectionId, &in.GatewayId, &in.NatGatewayId)
	_, err := h.api.CreateRoute(ctx, in)
	if err != nil && !awserr.Is(err, "RouteAlreadyExists") {
		return fmt.Errorf("add route %s via %s to %s: %w", s.dest, s.targetID, table, err)
	}
	return nil
}

// replaceRoute points the route r of table to s's target, unless r is a
// route kcstack did not make that a peering route would take over.
func (h *RouteHandler) replaceRoute(ctx context.Context, table string, s routeSpec, r types.Route) error {
	if r.VpcPeeringConnectionId == nil && aws.ToString(r.GatewayId) != "local" && s.target == propPeeringID {
		return fmt.Errorf("route table %s already routes %s to %s, which kcstack does not own; remove that route or choose non-overlapping CIDRs", table, s.dest, routeTarget(r))
	}
	in := &ec2.ReplaceRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String(s.dest)}
	setTarget(s.target, s.targetID, &in.VpcPeeringConnectionId, &in.GatewayId, &in.NatGatewayId)
	if _, err := h.api.ReplaceRoute(ctx, in); err != nil {
		return fmt.Errorf("replace route %s in %s: %w", s.dest, table, err)
	}
	return nil
}

// routeTo returns the route of table to dest, if any.
func routeTo(table, dest string, tables []types.RouteTable) (types.Route, bool) {
	for _, t := range tables {
		if aws.ToString(t.RouteTableId) != table {
			continue
		}
		for _, r := range t.Routes {
			if aws.ToString(r.DestinationCidrBlock) == dest {
				return r, true
			}
		}
	}
	return types.Route{}, false
}

// setTarget sets the field of a route request that matches target prop k.
func setTarget(k, id string, pcx, gw, nat **string) {
	switch k {
	case propPeeringID:
		*pcx = aws.String(id)
	case propGatewayID:
		*gw = aws.String(id)
	case propNATGatewayID:
		*nat = aws.String(id)
	}
}

func routeTarget(r types.Route) string {
	for _, s := range []*string{r.GatewayId, r.NatGatewayId, r.TransitGatewayId, r.NetworkInterfaceId, r.InstanceId} {
		if s != nil {
			return *s
		}
	}
	return "another target"
}

// Delete removes the route from every table that holds it.
func (h *RouteHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := resource.Read(o.Props)
	dest, tables := r.String(propDestination), r.Strings(propRouteTableIDs)
	if err := r.Err(); err != nil {
		return fmt.Errorf("%s as observed: %w", o.Address, err)
	}
	for _, table := range tables {
		_, err := h.api.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String(dest)})
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("delete route %s from %s: %w", dest, table, err)
		}
	}
	return nil
}
