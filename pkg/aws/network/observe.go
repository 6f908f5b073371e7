package network

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads VPCs, security groups, security group rules and peering
// connections (round 1): one call per kind filtered by the stack tag (the
// rules by the ids of the stack's groups), plus one call for the VPCs the
// stack references.
type Observer struct{ API API }

// RouteObserver reads subnets, route tables with their associations, and
// the peering routes (round 2): one call each, filtered by the ids of the
// VPCs round 1 found.
type RouteObserver struct{ API API }

var (
	_ resource.Observer = (*Observer)(nil)
	_ resource.Observer = (*RouteObserver)(nil)
)

// Round is 1.
func (o *Observer) Round() int { return 1 }

// Round is 2.
func (o *RouteObserver) Round() int { return 2 }

// Observe reads round 1.
func (o *Observer) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	c := &ownership.Collector{}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return o.ownedVPCs(ctx, q, c) })
	g.Go(func() error { return o.lookupVPCs(ctx, q, c) })
	g.Go(func() error { return o.securityGroups(ctx, q, c) })
	g.Go(func() error { return o.peerings(ctx, q, c) })
	g.Go(func() error { return o.internetGateways(ctx, q, c) })
	g.Go(func() error { return o.addresses(ctx, q, c) })
	g.Go(func() error { return o.natGateways(ctx, q, c) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return complete(q, c.Observations(), resource.KindVPC, resource.KindSecurityGroup, resource.KindSecurityGroupRule, resource.KindPeering,
		resource.KindInternetGateway, resource.KindElasticIP, resource.KindNATGateway), nil
}

// complete adds an Exists:false observation for every desired resource of
// the kinds that was not observed.
func complete(q resource.Query, obs []resource.Observation, kinds ...resource.Kind) []resource.Observation {
	seen := map[string]bool{}
	for _, ob := range obs {
		seen[ob.Address] = true
	}
	for _, d := range q.Desired {
		if seen[d.Address] || !hasKind(kinds, d.Kind) {
			continue
		}
		obs = append(obs, resource.Observation{Address: d.Address, Kind: d.Kind, Found: d.Lookup != nil})
	}
	return obs
}

func hasKind(kinds []resource.Kind, k resource.Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

func (o *Observer) ownedVPCs(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	p := ec2.NewDescribeVpcsPaginator(o.API, &ec2.DescribeVpcsInput{Filters: []types.Filter{ownedBy(q.Stack)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe vpcs: %w", err)
		}
		for _, v := range page.Vpcs {
			tags := tagMap(v.Tags)
			c.Add(vpcObservation(v, tags[resource.TagAddress], q.Stack))
		}
	}
	return nil
}

// lookupVPCs finds referenced VPCs: one call for all ids, one per set of
// tag keys (ROSA VPCs share the Name key, so usually one).
func (o *Observer) lookupVPCs(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	groups := map[string][]resource.Desired{}
	for _, d := range q.Desired {
		if d.Kind != resource.KindVPC || d.Lookup == nil {
			continue
		}
		key := "id"
		if d.Lookup.ID == "" {
			key = "tags:" + strings.Join(resource.SortedKeys(d.Lookup.Tags), ",")
		}
		groups[key] = append(groups[key], d)
	}
	for _, ds := range groups {
		vpcs, err := o.describeLookups(ctx, ds)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if ob, ok := matchLookup(d, vpcs, q.Stack); ok {
				c.Add(ob)
			}
		}
	}
	return nil
}

func (o *Observer) describeLookups(ctx context.Context, ds []resource.Desired) ([]types.Vpc, error) {
	var filters []types.Filter
	if ds[0].Lookup.ID != "" {
		var ids []string
		for _, d := range ds {
			ids = append(ids, d.Lookup.ID)
		}
		filters = append(filters, filter("vpc-id", ids...))
	} else {
		for _, k := range resource.SortedKeys(ds[0].Lookup.Tags) {
			var vals []string
			for _, d := range ds {
				vals = append(vals, d.Lookup.Tags[k])
			}
			filters = append(filters, filter("tag:"+k, vals...))
		}
	}
	var vpcs []types.Vpc
	p := ec2.NewDescribeVpcsPaginator(o.API, &ec2.DescribeVpcsInput{Filters: filters})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("look up vpcs: %w", err)
		}
		vpcs = append(vpcs, page.Vpcs...)
	}
	return vpcs, nil
}

func matchLookup(d resource.Desired, vpcs []types.Vpc, stack string) (resource.Observation, bool) {
	for _, v := range vpcs {
		if d.Lookup.ID != "" && aws.ToString(v.VpcId) != d.Lookup.ID {
			continue
		}
		if !tagsMatch(tagMap(v.Tags), d.Lookup.Tags) {
			continue
		}
		ob := vpcObservation(v, d.Address, stack)
		ob.Found, ob.Owned = true, false
		return ob, true
	}
	return resource.Observation{}, false
}

func tagsMatch(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// securityGroups reads the stack's groups, then every rule on them: one
// call each. Rules are read by group, not by tag, so that the groups are
// authoritative: a rule on one of them that the stack file does not name
// is observed too (groupRuleObservation), and the plan deletes it.
func (o *Observer) securityGroups(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	groups := map[string]string{} // id → address, of the stack's groups
	p := ec2.NewDescribeSecurityGroupsPaginator(o.API, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{ownedBy(q.Stack)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe security groups: %w", err)
		}
		for _, g := range page.SecurityGroups {
			ob := sgObservation(g, q.Stack)
			c.Add(ob)
			if ob.Owned && ob.Address != "" {
				groups[ob.ID] = ob.Address
			}
		}
	}
	if len(groups) == 0 {
		return nil
	}
	return o.securityGroupRules(ctx, q, groups, c)
}

// securityGroupRules reads every rule of groups (ids → addresses).
func (o *Observer) securityGroupRules(ctx context.Context, q resource.Query, groups map[string]string, c *ownership.Collector) error {
	in := &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("group-id", resource.SortedKeys(groups)...)}}
	p := ec2.NewDescribeSecurityGroupRulesPaginator(o.API, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe security group rules: %w", err)
		}
		for _, r := range page.SecurityGroupRules {
			c.Add(groupRuleObservation(r, groups, q.Stack))
		}
	}
	return nil
}

func (o *Observer) peerings(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	p := ec2.NewDescribeVpcPeeringConnectionsPaginator(o.API, &ec2.DescribeVpcPeeringConnectionsInput{Filters: []types.Filter{ownedBy(q.Stack)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe vpc peering connections: %w", err)
		}
		for _, pc := range page.VpcPeeringConnections {
			if pc.Status != nil && gonePeering[pc.Status.Code] || tagMap(pc.Tags)[resource.TagStack] != q.Stack {
				continue // the owner is checked here too: moto ignores the filters
			}
			c.Add(peeringObservation(pc, q.Stack))
		}
	}
	return nil
}

// Observe reads round 2: subnets, route tables, associations and routes of
// every VPC round 1 found (owned, referenced, or at the far end of an
// owned peering).
func (o *RouteObserver) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	vpcIDs := knownVPCs(q.Known)
	if len(vpcIDs) == 0 {
		return complete(q, nil, resource.KindSubnet, resource.KindRouteTable, resource.KindRouteTableAssoc, resource.KindRoute), nil
	}
	var subnets []types.Subnet
	var tables []types.RouteTable
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { subnets, err = describeSubnets(gctx, o.API, vpcIDs); return err })
	g.Go(func() (err error) { tables, err = describeRouteTables(gctx, o.API, vpcIDs); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	n := &netView{stack: q.Stack, subnets: subnets, tables: tables}
	obs := n.subnetObservations(q)
	obs = append(obs, n.tableObservations(obs)...)
	obs = append(obs, n.routeSets(q, withObserved(q.Known, obs))...)
	return complete(q, obs, resource.KindSubnet, resource.KindRouteTable, resource.KindRouteTableAssoc, resource.KindRoute), nil
}

// knownVPCs returns the ids of every VPC in round 1's observations and at
// either end of an owned peering, sorted.
func knownVPCs(known map[string]resource.Observation) []string {
	set := map[string]bool{}
	for _, ob := range known {
		switch {
		case ob.Kind == resource.KindVPC && ob.Exists:
			set[ob.ID] = true
		case ob.Kind == resource.KindPeering && ob.Exists:
			set[ob.Attrs["requester_vpc_id"]] = true
			set[ob.Attrs["accepter_vpc_id"]] = true
		}
	}
	delete(set, "")
	ids := resource.SortedKeys(set)
	sort.Strings(ids)
	return ids
}

func describeSubnets(ctx context.Context, api API, vpcIDs []string) ([]types.Subnet, error) {
	var out []types.Subnet
	p := ec2.NewDescribeSubnetsPaginator(api, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("vpc-id", vpcIDs...)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe subnets: %w", err)
		}
		out = append(out, page.Subnets...)
	}
	return out, nil
}

func describeRouteTables(ctx context.Context, api API, vpcIDs []string) ([]types.RouteTable, error) {
	var out []types.RouteTable
	p := ec2.NewDescribeRouteTablesPaginator(api, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("vpc-id", vpcIDs...)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe route tables: %w", err)
		}
		out = append(out, page.RouteTables...)
	}
	return out, nil
}

func (o *Observer) internetGateways(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	p := ec2.NewDescribeInternetGatewaysPaginator(o.API, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{ownedBy(q.Stack)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe internet gateways: %w", err)
		}
		for _, g := range page.InternetGateways {
			c.Add(igwObservation(g, tagMap(g.Tags)[resource.TagAddress], q.Stack))
		}
	}
	return nil
}

func (o *Observer) addresses(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	out, err := o.API.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: []types.Filter{ownedBy(q.Stack)}})
	if err != nil {
		return fmt.Errorf("describe addresses: %w", err)
	}
	for _, a := range out.Addresses {
		c.Add(eipObservation(a, tagMap(a.Tags)[resource.TagAddress], q.Stack))
	}
	return nil
}

func (o *Observer) natGateways(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	p := ec2.NewDescribeNatGatewaysPaginator(o.API, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{ownedBy(q.Stack), liveNAT}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe NAT gateways: %w", err)
		}
		for _, g := range page.NatGateways {
			// The tags are checked here too: moto's DescribeNatGateways
			// ignores tag filters and answers every live gateway, another
			// stack's with the same address among them.
			tags := tagMap(g.Tags)
			if tags[resource.TagStack] != q.Stack {
				continue
			}
			c.Add(natObservation(g, tags[resource.TagAddress], q.Stack))
		}
	}
	return nil
}

// withObserved adds this round's observations to the known ones, so route
// sets can resolve the route tables observed with them.
func withObserved(known map[string]resource.Observation, obs []resource.Observation) map[string]resource.Observation {
	out := make(map[string]resource.Observation, len(known)+len(obs))
	for k, v := range known {
		out[k] = v
	}
	for _, ob := range obs {
		if ob.Exists {
			out[ob.Address] = ob
		}
	}
	return out
}
