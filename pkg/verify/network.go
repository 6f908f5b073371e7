package verify

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/resource"
)

// peerings checks that each peering is active, from the plan's reading.
func (v *verifier) peerings(context.Context) error {
	for _, d := range v.ofKind(resource.KindPeering) {
		ob := v.observed(d.Address)
		if !ob.Exists {
			v.missing("peering active", d.Address)
			continue
		}
		c := Check{Name: "peering active", Address: d.Address, Status: Pass, Message: fmt.Sprintf("%s is active", ob.ID)}
		if st := ob.Attrs["status"]; st != "active" {
			c.Status, c.Message = Fail, fmt.Sprintf("%s is %s", ob.ID, st)
			c.Hint = fmt.Sprintf("aws ec2 describe-vpc-peering-connections --vpc-peering-connection-ids %s; run kcstack apply to accept it", ob.ID)
		}
		v.add(c)
	}
	return nil
}

// routes checks that every route table in use on both sides of each
// peering (the tables a route set lists, or those associated with the
// subnets inside its subnets_within) routes the far CIDR to the peering.
// The subnets and tables of all the VPCs are read in one call each.
func (v *verifier) routes(ctx context.Context) error {
	var sets []resource.Props
	var addrs []string
	vpcs := map[string]bool{}
	for _, d := range v.ofKind(resource.KindRoute) {
		p := v.props(d)
		if _, ok := d.Props["vpc_peering_connection_id"]; !ok {
			continue
		}
		if str(p, "vpc_peering_connection_id") == "" || str(p, "vpc_id") == "" {
			v.missing("peering routes", d.Address)
			continue
		}
		sets, addrs = append(sets, p), append(addrs, d.Address)
		vpcs[str(p, "vpc_id")] = true
	}
	if len(sets) == 0 {
		return nil
	}
	subnets, tables, err := v.network(ctx, resource.SortedKeys(vpcs))
	if err != nil {
		return err
	}
	for i, p := range sets {
		v.routeSet(addrs[i], p, subnets, tables)
	}
	return nil
}

// network reads the subnets and route tables of vpcs.
func (v *verifier) network(ctx context.Context, vpcs []string) ([]types.Subnet, []types.RouteTable, error) {
	filter := []types.Filter{{Name: aws.String("vpc-id"), Values: vpcs}}
	sp := ec2.NewDescribeSubnetsPaginator(v.c.EC2, &ec2.DescribeSubnetsInput{Filters: filter})
	subnets, err := all(ctx, sp.HasMorePages, func(ctx context.Context) (*ec2.DescribeSubnetsOutput, error) { return sp.NextPage(ctx) },
		func(o *ec2.DescribeSubnetsOutput) []types.Subnet { return o.Subnets })
	if err != nil {
		return nil, nil, fmt.Errorf("describe the subnets of %s: %w", strings.Join(vpcs, ", "), err)
	}
	tp := ec2.NewDescribeRouteTablesPaginator(v.c.EC2, &ec2.DescribeRouteTablesInput{Filters: filter})
	tables, err := all(ctx, tp.HasMorePages, func(ctx context.Context) (*ec2.DescribeRouteTablesOutput, error) { return tp.NextPage(ctx) },
		func(o *ec2.DescribeRouteTablesOutput) []types.RouteTable { return o.RouteTables })
	if err != nil {
		return nil, nil, fmt.Errorf("describe the route tables of %s: %w", strings.Join(vpcs, ", "), err)
	}
	return subnets, tables, nil
}

// routeSet checks one desired route set against the tables read.
func (v *verifier) routeSet(address string, p resource.Props, subnets []types.Subnet, tables []types.RouteTable) {
	pcx, dest := str(p, "vpc_peering_connection_id"), str(p, "destination_cidr_block")
	want := strs(p, "route_table_ids")
	if _, listed := p["route_table_ids"]; !listed {
		want = network.TablesInUse(str(p, "vpc_id"), str(p, "subnets_within"), subnets, tables)
	}
	c := Check{Name: "peering routes", Address: address, Status: Pass}
	for _, id := range want {
		if st := routeState(tables, id, dest, pcx); st != "active" {
			c.Details = append(c.Details, fmt.Sprintf("route table %s: %s", id, st))
		}
	}
	c.Message = fmt.Sprintf("%s → %s in %d of %d route tables", dest, pcx, len(want)-len(c.Details), len(want))
	if len(c.Details) > 0 {
		c.Status = Fail
		c.Hint = fmt.Sprintf("aws ec2 describe-route-tables --filters Name=vpc-id,Values=%s; run kcstack apply to add the routes back", str(p, "vpc_id"))
	}
	v.add(c)
}

// routeState describes the route to dest through pcx in table id:
// "active", "blackhole", or that it is missing.
func routeState(tables []types.RouteTable, id, dest, pcx string) string {
	i := slices.IndexFunc(tables, func(t types.RouteTable) bool { return aws.ToString(t.RouteTableId) == id })
	if i < 0 {
		return "the table does not exist"
	}
	for _, r := range tables[i].Routes {
		if aws.ToString(r.DestinationCidrBlock) == dest && aws.ToString(r.VpcPeeringConnectionId) == pcx {
			return string(r.State)
		}
	}
	return fmt.Sprintf("no route to %s through %s", dest, pcx)
}

// dbPort is the port the database rules open.
const dbPort = 5432

// rules checks that each ingress rule to the database port is on its
// security group, reading the rules of all those groups in one call.
func (v *verifier) rules(ctx context.Context) error {
	var want []resource.Desired
	groups := map[string]bool{}
	for _, d := range v.ofKind(resource.KindSecurityGroupRule) {
		if str(d.Props, "type") != "ingress" || !opens(d.Props, dbPort) {
			continue
		}
		p := v.props(d)
		if str(p, "group_id") == "" {
			v.missing("database ingress rule", d.Address)
			continue
		}
		want = append(want, d)
		groups[str(p, "group_id")] = true
	}
	if len(want) == 0 {
		return nil
	}
	got, err := v.groupRules(ctx, resource.SortedKeys(groups))
	if err != nil {
		return err
	}
	for _, d := range want {
		v.rule(d.Address, v.props(d), got)
	}
	return nil
}

// opens reports whether rule props p open port.
func opens(p resource.Props, port int64) bool {
	from, _ := p["from_port"].(int64)
	to, _ := p["to_port"].(int64)
	return from <= port && port <= to && from > 0
}

// groupRules reads the rules of groups (paginated).
func (v *verifier) groupRules(ctx context.Context, groups []string) ([]types.SecurityGroupRule, error) {
	pages := ec2.NewDescribeSecurityGroupRulesPaginator(v.c.EC2, &ec2.DescribeSecurityGroupRulesInput{
		Filters: []types.Filter{{Name: aws.String("group-id"), Values: groups}}})
	out, err := all(ctx, pages.HasMorePages, func(ctx context.Context) (*ec2.DescribeSecurityGroupRulesOutput, error) { return pages.NextPage(ctx) },
		func(o *ec2.DescribeSecurityGroupRulesOutput) []types.SecurityGroupRule { return o.SecurityGroupRules })
	if err != nil {
		return nil, fmt.Errorf("describe the rules of %s: %w", strings.Join(groups, ", "), err)
	}
	return out, nil
}

// rule checks one desired ingress rule against the rules read.
func (v *verifier) rule(address string, p resource.Props, got []types.SecurityGroupRule) {
	group, source := str(p, "group_id"), str(p, "source_group_id")
	if source == "" {
		source = str(p, "cidr_ipv4")
	}
	port := strconv.Itoa(dbPort)
	c := Check{Name: "database ingress rule", Address: address, Status: Pass,
		Message: fmt.Sprintf("tcp %s from %s on %s", port, source, group)}
	if !slices.ContainsFunc(got, func(r types.SecurityGroupRule) bool { return ruleMatches(r, group, source) }) {
		c.Status = Fail
		c.Message = fmt.Sprintf("no ingress rule for tcp %s from %s on the database security group %s", port, source, group)
		c.Hint = fmt.Sprintf("aws ec2 describe-security-group-rules --filters Name=group-id,Values=%s; run kcstack apply to add the rule back", group)
	}
	v.add(c)
}

// ruleMatches reports whether r lets tcp to the database port in to group
// from source (a security group id or a CIDR).
func ruleMatches(r types.SecurityGroupRule, group, source string) bool {
	if aws.ToBool(r.IsEgress) || aws.ToString(r.GroupId) != group || aws.ToString(r.IpProtocol) != "tcp" {
		return false
	}
	if aws.ToInt32(r.FromPort) > dbPort || aws.ToInt32(r.ToPort) < dbPort {
		return false
	}
	from := aws.ToString(r.CidrIpv4)
	if r.ReferencedGroupInfo != nil {
		from = aws.ToString(r.ReferencedGroupInfo.GroupId)
	}
	return from == source
}
