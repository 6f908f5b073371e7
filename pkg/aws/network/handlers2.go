package network

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// AssociationHandler manages route table associations of owned subnets.
type AssociationHandler struct{ base }

var _ resource.Handler = (*AssociationHandler)(nil)

// Kind is ec2:route-table-association.
func (h *AssociationHandler) Kind() resource.Kind { return resource.KindRouteTableAssoc }

// Diff compares the subnet (replace) and the route table (in place).
func (h *AssociationHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{"subnet_id": {ForcesReplace: true, Reason: "an association belongs to one subnet"}}, d.Sensitive)
}

// Create associates the table with the subnet; a subnet already
// associated elsewhere is moved with ReplaceRouteTableAssociation.
func (h *AssociationHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	table, subnet := str(d.Props, "route_table_id"), str(d.Props, "subnet_id")
	out, err := h.api.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(table), SubnetId: aws.String(subnet)})
	if errorCode(err) == "Resource.AlreadyAssociated" {
		return h.move(ctx, d, subnet, table)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("associate route table %s with subnet %s: %w", table, subnet, err)
	}
	return h.observation(d.Address, aws.ToString(out.AssociationId), table, subnet), nil
}

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
	ob := observed(resource.KindRouteTableAssoc, address, id, nil, h.stack, resource.Props{"route_table_id": table, "subnet_id": subnet}, nil)
	ob.Owned = true
	return ob
}

// Update moves the subnet to the desired route table.
func (h *AssociationHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	table := str(d.Props, "route_table_id")
	out, err := h.api.ReplaceRouteTableAssociation(ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: aws.String(o.ID), RouteTableId: aws.String(table)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("move association %s to %s: %w", o.ID, table, err)
	}
	return h.observation(d.Address, aws.ToString(out.NewAssociationId), table, str(o.Props, "subnet_id")), nil
}

// Delete disassociates.
func (h *AssociationHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: aws.String(o.ID)})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("disassociate %s: %w", o.ID, err)
	}
	return nil
}

// SecurityGroupHandler manages security groups.
type SecurityGroupHandler struct{ base }

var (
	_ resource.Handler = (*SecurityGroupHandler)(nil)
	_ resource.Tagger  = (*SecurityGroupHandler)(nil)
)

// Kind is ec2:security-group.
func (h *SecurityGroupHandler) Kind() resource.Kind { return resource.KindSecurityGroup }

// Diff compares VPC, name and description, each forcing replacement.
func (h *SecurityGroupHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{
		"vpc_id":      {ForcesReplace: true, Reason: "a security group cannot move to another VPC"},
		"group_name":  {ForcesReplace: true, Reason: "a security group's name cannot change"},
		"description": {ForcesReplace: true, Reason: "a security group's description cannot change"},
	}, d.Sensitive)
}

// Create makes the group, tagged at creation; a group of that name already
// tagged for this address (an earlier ambiguous create) is adopted.
func (h *SecurityGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		VpcId: aws.String(str(d.Props, "vpc_id")), GroupName: aws.String(str(d.Props, "group_name")),
		Description: aws.String(str(d.Props, "description")), TagSpecifications: tagSpec(types.ResourceTypeSecurityGroup, d.Tags),
	})
	if errorCode(err) == "InvalidGroup.Duplicate" {
		if ob, ferr := h.FindByAddress(ctx, h.stack, d.Address); ferr == nil && ob.Exists {
			return ob, nil
		}
		return resource.Observation{}, fmt.Errorf("security group %s already exists in %s and is not tagged for this stack; rename it or remove it: %w", str(d.Props, "group_name"), str(d.Props, "vpc_id"), err)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create security group %s: %w", str(d.Props, "group_name"), err)
	}
	return observed(resource.KindSecurityGroup, d.Address, aws.ToString(out.GroupId), d.Tags, h.stack, resource.Props{
		"vpc_id": str(d.Props, "vpc_id"), "group_name": str(d.Props, "group_name"), "description": str(d.Props, "description"),
	}, nil), nil
}

// Update fails: nothing of a group changes in place (rules are their own
// resources).
func (h *SecurityGroupHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(h.Kind(), diffs)
}

// SetTags changes the security group's tags with CreateTags and DeleteTags.
func (h *SecurityGroupHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete removes the group once nothing (a deleted database's interfaces)
// uses it.
func (h *SecurityGroupHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return retryDependency(ctx, "security group "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the group tagged with the stack and address.
func (h *SecurityGroupHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.SecurityGroups) == 0 {
		return resource.Observation{Address: address, Kind: h.Kind()}, err
	}
	return sgObservation(out.SecurityGroups[0], stack), nil
}

// RuleHandler manages security group ingress rules.
type RuleHandler struct{ base }

var (
	_ resource.Handler = (*RuleHandler)(nil)
	_ resource.Tagger  = (*RuleHandler)(nil)
)

// Kind is ec2:security-group-rule.
func (h *RuleHandler) Kind() resource.Kind { return resource.KindSecurityGroupRule }

// Diff compares every field; kcstack replaces a rule rather than editing it.
func (h *RuleHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	f := resource.Field{ForcesReplace: true, Reason: "kcstack replaces a rule instead of editing it"}
	return resource.DiffProps(d.Props, o.Props, resource.Fields{
		"group_id": f, "type": f, "protocol": f, "from_port": f, "to_port": f, "cidr_ipv4": f, "source_group_id": f, "description": f,
	}, d.Sensitive)
}

// Create authorizes the rule, tagged at creation. An identical untagged
// rule (made by hand, or by an ambiguous earlier call) is tagged and adopted.
func (h *RuleHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	group := str(d.Props, "group_id")
	out, err := h.api.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(group), IpPermissions: []types.IpPermission{permission(d.Props)},
		TagSpecifications: tagSpec(types.ResourceTypeSecurityGroupRule, d.Tags),
	})
	if errorCode(err) == "InvalidPermission.Duplicate" {
		return h.adopt(ctx, d)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("authorize %s on %s: %w", d.Name, group, err)
	}
	if len(out.SecurityGroupRules) == 0 {
		return resource.Observation{}, fmt.Errorf("authorize %s on %s: AWS returned no rule", d.Name, group)
	}
	return ruleObservation(out.SecurityGroupRules[0], d.Address, h.stack), nil
}

// permission is the rule's IpPermission: from a CIDR or from a group.
func permission(p resource.Props) types.IpPermission {
	perm := types.IpPermission{IpProtocol: aws.String(str(p, "protocol")), FromPort: aws.Int32(int32Prop(p, "from_port")), ToPort: aws.Int32(int32Prop(p, "to_port"))}
	desc := aws.String(str(p, "description"))
	if g := str(p, "source_group_id"); g != "" {
		perm.UserIdGroupPairs = []types.UserIdGroupPair{{GroupId: aws.String(g), Description: desc}}
		return perm
	}
	perm.IpRanges = []types.IpRange{{CidrIp: aws.String(str(p, "cidr_ipv4")), Description: desc}}
	return perm
}

func (h *RuleHandler) adopt(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	group := str(d.Props, "group_id")
	out, err := h.api.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("group-id", group)}})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("find existing rule %s on %s: %w", d.Name, group, err)
	}
	for _, r := range out.SecurityGroupRules {
		if !sameRule(r, d.Props) {
			continue
		}
		id := aws.ToString(r.SecurityGroupRuleId)
		if _, err := h.api.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: toTags(d.Tags)}); err != nil {
			return resource.Observation{}, fmt.Errorf("tag existing rule %s: %w", id, err)
		}
		r.Tags = toTags(d.Tags)
		return ruleObservation(r, d.Address, h.stack), nil
	}
	return resource.Observation{}, fmt.Errorf("rule %s on %s is reported duplicate but was not found; run again", d.Name, group)
}

// sameRule reports whether an existing ingress rule is the desired one.
func sameRule(r types.SecurityGroupRule, p resource.Props) bool {
	source := ""
	if r.ReferencedGroupInfo != nil {
		source = aws.ToString(r.ReferencedGroupInfo.GroupId)
	}
	return !aws.ToBool(r.IsEgress) && aws.ToString(r.CidrIpv4) == str(p, "cidr_ipv4") && source == str(p, "source_group_id") &&
		aws.ToInt32(r.FromPort) == int32Prop(p, "from_port") && aws.ToInt32(r.ToPort) == int32Prop(p, "to_port")
}

// Update fails: rules are replaced.
func (h *RuleHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(h.Kind(), diffs)
}

// SetTags changes the security group rule's tags (by its sgr- id) with
// CreateTags and DeleteTags.
func (h *RuleHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete revokes the rule by its id.
func (h *RuleHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(str(o.Props, "group_id")), SecurityGroupRuleIds: []string{o.ID}})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("revoke rule %s: %w", o.ID, err)
	}
	return nil
}

// FindByAddress finds the rule tagged with the stack and address.
func (h *RuleHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.SecurityGroupRules) == 0 {
		return resource.Observation{Address: address, Kind: h.Kind()}, err
	}
	return ruleObservation(out.SecurityGroupRules[0], address, stack), nil
}

// PeeringHandler manages VPC peering connections within one account.
type PeeringHandler struct{ base }

var (
	_ resource.Handler = (*PeeringHandler)(nil)
	_ resource.Tagger  = (*PeeringHandler)(nil)
)

// Kind is ec2:vpc-peering-connection.
func (h *PeeringHandler) Kind() resource.Kind { return resource.KindPeering }

// Diff compares both VPCs and the peer region (each forcing replacement)
// and reports a connection not yet active as an in-place change.
func (h *PeeringHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	f := resource.Field{ForcesReplace: true, Reason: "a peering connection joins fixed VPCs"}
	diffs := resource.DiffProps(d.Props, o.Props, resource.Fields{"vpc_id": f, "peer_vpc_id": f, "peer_region": f}, d.Sensitive)
	if st := o.Attrs["status"]; st != "" && st != string(types.VpcPeeringConnectionStateReasonCodeActive) {
		diffs = append(diffs, resource.FieldDiff{Path: "status", Before: st, After: "active"})
	}
	return diffs
}

// Create requests the connection (tagged at creation), accepts it and
// waits until it is active.
func (h *PeeringHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{
		VpcId: aws.String(str(d.Props, "vpc_id")), PeerVpcId: aws.String(str(d.Props, "peer_vpc_id")),
		PeerRegion: aws.String(str(d.Props, "peer_region")), TagSpecifications: tagSpec(types.ResourceTypeVpcPeeringConnection, d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("request peering %s → %s: %w", str(d.Props, "vpc_id"), str(d.Props, "peer_vpc_id"), err)
	}
	ob := peeringObservation(*out.VpcPeeringConnection, h.stack)
	ob.Address = d.Address
	return h.Update(ctx, d, ob, nil)
}

// Resume accepts a connection an ambiguous create requested, and waits
// until it is active.
func (h *PeeringHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	return h.Update(ctx, d, o, nil)
}

var _ resource.Resumer = (*PeeringHandler)(nil)

// Update accepts a pending connection and waits until it is active.
func (h *PeeringHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	var last types.VpcPeeringConnection
	err := poll.Until(ctx, "peering "+o.ID+" to become active", availableWait, func(ctx context.Context) (bool, string, error) {
		pc, found, err := h.describe(ctx, o.ID)
		if err != nil || !found {
			return false, "not visible yet", err
		}
		last = pc
		switch code := last.Status.Code; code {
		case types.VpcPeeringConnectionStateReasonCodeActive:
			return true, string(code), nil
		case types.VpcPeeringConnectionStateReasonCodePendingAcceptance:
			_, err := h.api.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(o.ID)})
			if errorCode(err) == "InvalidStateTransition" {
				// An earlier attempt whose answer was lost accepted it
				// already: the next describe shows where it is.
				return false, string(code), nil
			}
			return false, string(code), err
		case types.VpcPeeringConnectionStateReasonCodeFailed, types.VpcPeeringConnectionStateReasonCodeRejected, types.VpcPeeringConnectionStateReasonCodeExpired:
			return false, string(code), fmt.Errorf("peering %s is %s: %s", o.ID, code, aws.ToString(last.Status.Message))
		default:
			return false, string(code), nil
		}
	})
	if err != nil {
		return resource.Observation{}, err
	}
	ob := peeringObservation(last, h.stack)
	ob.Address = d.Address
	return ob, nil
}

// SetTags changes the tags of the peering connection itself (its pcx- id,
// in this handler's region, where the observer reads them) with
// CreateTags and DeleteTags; neither VPC's tags are touched.
func (h *PeeringHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete deletes the connection; routes through it go first (ordering).
func (h *PeeringHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(o.ID)})
	if err == nil || isNotFound(err) {
		return nil
	}
	if errorCode(err) == "InvalidStateTransition" && h.gone(ctx, o.ID) {
		return nil // an earlier attempt, whose answer was lost, deleted it
	}
	return fmt.Errorf("delete peering %s: %w", o.ID, err)
}

// gone reports whether the connection id is deleting or ended.
func (h *PeeringHandler) gone(ctx context.Context, id string) bool {
	pc, found, err := h.describe(ctx, id)
	if err != nil || !found {
		return err == nil
	}
	return pc.Status != nil && gonePeering[pc.Status.Code]
}

// describe reads the connection id. It picks the connection by its id
// from the answer rather than trusting the request's id to have filtered
// it: moto's server, for one, answers every connection whatever the ids
// and filters asked for.
func (h *PeeringHandler) describe(ctx context.Context, id string) (types.VpcPeeringConnection, bool, error) {
	out, err := h.api.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
	if isNotFound(err) {
		return types.VpcPeeringConnection{}, false, nil
	}
	if err != nil {
		return types.VpcPeeringConnection{}, false, err
	}
	for _, pc := range out.VpcPeeringConnections {
		if aws.ToString(pc.VpcPeeringConnectionId) == id {
			return pc, true, nil
		}
	}
	return types.VpcPeeringConnection{}, false, nil
}

// FindByAddress finds a live connection tagged with the stack and address.
func (h *PeeringHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: addressFilters(stack, address)})
	if err != nil {
		return resource.Observation{Address: address, Kind: h.Kind()}, err
	}
	for _, pc := range out.VpcPeeringConnections {
		tags := tagMap(pc.Tags) // checked here too: moto ignores the filters
		if tags[resource.TagStack] == stack && tags[resource.TagAddress] == address && (pc.Status == nil || !gonePeering[pc.Status.Code]) {
			return peeringObservation(pc, stack), nil
		}
	}
	return resource.Observation{Address: address, Kind: h.Kind()}, nil
}

// RouteHandler manages the peering routes of one side: a route to the far
// CIDR through the peering in every route table associated with the
// subnets in use.
type RouteHandler struct{ base }

var _ resource.Handler = (*RouteHandler)(nil)

// Kind is ec2:route.
func (h *RouteHandler) Kind() resource.Kind { return resource.KindRoute }

// Diff compares the VPC and destination (replace), the peering (in place)
// and the set of route tables holding the route with the set that should.
func (h *RouteHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	props := resource.Props{}
	for k, v := range d.Props {
		if k != "subnets_within" && k != "route_table_id" {
			props[k] = v
		}
	}
	diffs := resource.DiffProps(props, o.Props, resource.Fields{
		"vpc_id":                 {ForcesReplace: true, Reason: "routes belong to one VPC"},
		"destination_cidr_block": {ForcesReplace: true, Reason: "the destination identifies the route"},
	}, d.Sensitive)
	want := splitList(o.Attrs["wanted_route_table_ids"])
	if have := resource.Normalize(o.Props["route_table_ids"]); !equalLists(have, want) {
		diffs = append(diffs, resource.FieldDiff{Path: "route_table_ids", Before: have, After: want})
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

// Create adds the route to every route table in use.
func (h *RouteHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	return h.Update(ctx, d, resource.Observation{}, nil)
}

// Update makes every wanted route table hold the route to its target,
// replacing a route kcstack made through another peering.
func (h *RouteHandler) Update(ctx context.Context, d resource.Desired, _ resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	vpc, dest := str(d.Props, "vpc_id"), str(d.Props, "destination_cidr_block")
	subnets, err := describeSubnets(ctx, h.api, []string{vpc})
	if err != nil {
		return resource.Observation{}, err
	}
	tables, err := describeRouteTables(ctx, h.api, []string{vpc})
	if err != nil {
		return resource.Observation{}, err
	}
	want := wantedTables(d.Props, subnets, tables)
	if len(want) == 0 {
		return resource.Observation{}, fmt.Errorf("no route table is associated with the subnets of %s inside %s: nothing would route to %s", vpc, str(d.Props, "subnets_within"), dest)
	}
	for _, t := range want {
		if err := h.ensureRoute(ctx, t, dest, d.Props, tables); err != nil {
			return resource.Observation{}, err
		}
	}
	return routeObservation(d.Address, d.Props, want, want), nil
}

func (h *RouteHandler) ensureRoute(ctx context.Context, table, dest string, p resource.Props, tables []types.RouteTable) error {
	k, id := targetOf(p)
	for _, t := range tables {
		if aws.ToString(t.RouteTableId) != table {
			continue
		}
		for _, r := range t.Routes {
			if aws.ToString(r.DestinationCidrBlock) != dest {
				continue
			}
			if routeGoesTo(r, k, id) {
				return nil
			}
			if r.VpcPeeringConnectionId == nil && aws.ToString(r.GatewayId) != "local" && k == "vpc_peering_connection_id" {
				return fmt.Errorf("route table %s already routes %s to %s, which kcstack does not own; remove that route or choose non-overlapping CIDRs", table, dest, routeTarget(r))
			}
			in := &ec2.ReplaceRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String(dest)}
			setTarget(k, id, &in.VpcPeeringConnectionId, &in.GatewayId, &in.NatGatewayId)
			if _, err := h.api.ReplaceRoute(ctx, in); err != nil {
				return fmt.Errorf("replace route %s in %s: %w", dest, table, err)
			}
			return nil
		}
	}
	in := &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String(dest)}
	setTarget(k, id, &in.VpcPeeringConnectionId, &in.GatewayId, &in.NatGatewayId)
	_, err := h.api.CreateRoute(ctx, in)
	if err != nil && errorCode(err) != "RouteAlreadyExists" {
		return fmt.Errorf("add route %s via %s to %s: %w", dest, id, table, err)
	}
	return nil
}

// setTarget sets the field of a route request that matches target prop k.
func setTarget(k, id string, pcx, gw, nat **string) {
	switch k {
	case "vpc_peering_connection_id":
		*pcx = aws.String(id)
	case "gateway_id":
		*gw = aws.String(id)
	case "nat_gateway_id":
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
	dest := str(o.Props, "destination_cidr_block")
	list, _ := resource.Normalize(o.Props["route_table_ids"]).([]any)
	for _, t := range list {
		table, _ := t.(string)
		_, err := h.api.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String(dest)})
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("delete route %s from %s: %w", dest, table, err)
		}
	}
	return nil
}
