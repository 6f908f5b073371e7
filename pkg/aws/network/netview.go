package network

import (
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

// netView is the subnets and route tables of some VPCs, read once and
// used to observe subnets, route tables, associations and peering routes.
type netView struct {
	stack   string
	subnets []types.Subnet
	tables  []types.RouteTable
}

func (n *netView) subnetObservations(q resource.Query) []resource.Observation {
	lookups := map[string]string{}
	for _, d := range q.Desired {
		if d.Kind == resource.KindSubnet && d.Lookup != nil {
			lookups[d.Lookup.ID] = d.Address
		}
	}
	var obs []resource.Observation
	for _, s := range n.subnets {
		tags := tagMap(s.Tags)
		id := aws.ToString(s.SubnetId)
		addr, found := lookups[id]
		if !found && tags[resource.TagStack] != n.stack {
			continue
		}
		if !found {
			addr = tags[resource.TagAddress]
		}
		ob := subnetObservation(s, addr, n.stack)
		ob.Found = found
		obs = append(obs, ob)
	}
	return obs
}

// tableObservations returns the owned route tables and their associations
// with owned subnets (associations carry no tags: they belong to the stack
// when both ends do; their address follows the subnet's).
func (n *netView) tableObservations(subnets []resource.Observation) []resource.Observation {
	subnetAddr := map[string]string{}
	for _, s := range subnets {
		if s.Owned {
			subnetAddr[s.ID] = s.Address
		}
	}
	var obs []resource.Observation
	for _, t := range n.tables {
		tags := tagMap(t.Tags)
		if tags[resource.TagStack] != n.stack {
			continue
		}
		id := aws.ToString(t.RouteTableId)
		obs = append(obs, routeTableObservation(t, tags[resource.TagAddress], n.stack))
		for _, a := range t.Associations {
			addr, ok := subnetAddr[aws.ToString(a.SubnetId)]
			if !ok || aws.ToBool(a.Main) {
				continue
			}
			obs = append(obs, associationObservation(associationAddress(addr), aws.ToString(a.RouteTableAssociationId), id, aws.ToString(a.SubnetId), n.stack))
		}
	}
	return obs
}

// associationAddress derives an association's address from its subnet's:
// database.subnet[eu-west-1a] → database.route-table-association[eu-west-1a].
func associationAddress(subnetAddr string) string {
	return strings.Replace(subnetAddr, ".subnet[", ".route-table-association[", 1)
}

// TablesInUse returns the route tables that actually route the subnets of
// vpcID inside within: each subnet's explicitly associated table, or the
// VPC's main table for a subnet without one. Sorted, without duplicates.
func TablesInUse(vpcID, within string, subnets []types.Subnet, tables []types.RouteTable) []string {
	prefix, err := netip.ParsePrefix(within)
	if err != nil {
		return nil
	}
	explicit, main := map[string]string{}, ""
	for _, t := range tables {
		if aws.ToString(t.VpcId) != vpcID {
			continue
		}
		for _, a := range t.Associations {
			if aws.ToBool(a.Main) {
				main = aws.ToString(t.RouteTableId)
			} else if a.SubnetId != nil {
				explicit[*a.SubnetId] = aws.ToString(t.RouteTableId)
			}
		}
	}
	set := map[string]bool{}
	for _, s := range subnets {
		if aws.ToString(s.VpcId) != vpcID || !inside(prefix, aws.ToString(s.CidrBlock)) {
			continue
		}
		if t, ok := explicit[aws.ToString(s.SubnetId)]; ok {
			set[t] = true
		} else if main != "" {
			set[main] = true
		}
	}
	return resource.SortedKeys(set)
}

func inside(outer netip.Prefix, cidr string) bool {
	p, err := netip.ParsePrefix(cidr)
	return err == nil && outer.Bits() <= p.Bits() && outer.Contains(p.Addr())
}

// routeTargets are the props that name where a route goes.
var routeTargets = []string{propPeeringID, propGatewayID, propNATGatewayID}

// routeGoesTo reports whether r sends its traffic to the target prop k = id.
func routeGoesTo(r types.Route, k, id string) bool {
	switch k {
	case propPeeringID:
		return aws.ToString(r.VpcPeeringConnectionId) == id
	case propGatewayID:
		return aws.ToString(r.GatewayId) == id
	case propNATGatewayID:
		return aws.ToString(r.NatGatewayId) == id
	}
	return false
}

// routesVia returns the tables of vpcID holding a route to dest through
// target k = id, sorted.
func routesVia(vpcID, dest, k, id string, tables []types.RouteTable) []string {
	var out []string
	for _, t := range tables {
		if aws.ToString(t.VpcId) != vpcID {
			continue
		}
		for _, r := range t.Routes {
			if aws.ToString(r.DestinationCidrBlock) == dest && id != "" && routeGoesTo(r, k, id) {
				out = append(out, aws.ToString(t.RouteTableId))
			}
		}
	}
	sort.Strings(out)
	return out
}

// wantedTables returns the tables a route set belongs in: the one it
// names, those it lists (with unknownTable for each not made yet), or
// those in use by the subnets inside subnets_within.
func wantedTables(s routeSpec, subnets []types.Subnet, tables []types.RouteTable) []string {
	switch {
	case s.table != "":
		return []string{s.table}
	case len(s.tables) > 0 || s.unknown > 0:
		want := slices.Clone(s.tables)
		for range s.unknown {
			want = append(want, unknownTable)
		}
		return want
	}
	return TablesInUse(s.vpc, s.within, subnets, tables)
}

// routeSets observes the desired peering routes, and the routes through
// owned peerings that no desired route set explains (left behind by a
// target removed from the file), so they are deleted.
func (n *netView) routeSets(q resource.Query, known map[string]resource.Observation) []resource.Observation {
	var obs []resource.Observation
	desired := map[string]bool{}
	for _, d := range q.Desired {
		if d.Kind != resource.KindRoute {
			continue
		}
		desired[d.Address] = true
		props := resource.Resolve(d.Props, knownAttr(known))
		if ob, ok := n.routeSet(d.Address, props); ok {
			obs = append(obs, ob)
		}
	}
	for _, pc := range known {
		if pc.Kind != resource.KindPeering || !pc.Exists || !pc.Owned {
			continue
		}
		prefix := strings.TrimSuffix(pc.Address, ".peering")
		obs = append(obs, n.strayRoutes(prefix+".routes-to-database", pc.Attrs["accepter_vpc_id"], pc.ID, desired)...)
		obs = append(obs, n.strayRoutes(prefix+".routes-from-database", pc.Attrs["requester_vpc_id"], pc.ID, desired)...)
	}
	return append(obs, n.strayDefaultRoutes(desired)...)
}

// defaultDestination is where a default route goes.
const defaultDestination = "0.0.0.0/0"

// strayDefaultRoutes returns the default routes of owned route tables
// whose route set is no longer desired (a target removed from the file):
// they go with their tables, and the plan says so.
func (n *netView) strayDefaultRoutes(desired map[string]bool) []resource.Observation {
	var obs []resource.Observation
	for _, t := range n.tables {
		tags := tagMap(t.Tags)
		table := tags[resource.TagAddress]
		addr := strings.Replace(table, ".route-table[", ".default-route[", 1)
		if tags[resource.TagStack] != n.stack || addr == table || desired[addr] {
			continue
		}
		for _, r := range t.Routes {
			if aws.ToString(r.DestinationCidrBlock) != defaultDestination {
				continue
			}
			props := resource.Props{propVPCID: aws.ToString(t.VpcId), propRouteTableID: aws.ToString(t.RouteTableId), propDestination: defaultDestination,
				propRouteTableIDs: resource.List([]string{aws.ToString(t.RouteTableId)})}
			switch {
			case aws.ToString(r.NatGatewayId) != "":
				props[propNATGatewayID] = aws.ToString(r.NatGatewayId)
			case strings.HasPrefix(aws.ToString(r.GatewayId), "igw-"):
				props[propGatewayID] = aws.ToString(r.GatewayId)
			default:
				continue
			}
			id := aws.ToString(t.VpcId) + ":" + aws.ToString(t.RouteTableId) + ":" + defaultDestination
			obs = append(obs, resource.Observation{Address: addr, Kind: resource.KindRoute, Exists: true, ID: id, Owned: true, Props: props,
				Attrs: map[string]string{"id": id}})
		}
	}
	return obs
}

func (n *netView) routeSet(addr string, p resource.Props) (resource.Observation, bool) {
	s, err := readRoute(p)
	if err != nil || s.target == "" {
		// A prop still unknown (a reference to something not created
		// yet): the route set cannot exist yet either.
		return resource.Observation{}, false
	}
	want := wantedTables(s, n.subnets, n.tables)
	have := intersect(routesVia(s.vpc, s.dest, s.target, s.targetID, n.tables), want, s.table != "")
	if len(have) == 0 {
		// The destination changed (a new CIDR at the other end): the set
		// is the routes through the same target to the old destination,
		// which the plan replaces.
		s.dest = otherDestination(s, n.tables)
		have = intersect(routesVia(s.vpc, s.dest, s.target, s.targetID, n.tables), want, s.table != "")
	}
	if len(have) == 0 {
		return resource.Observation{}, false
	}
	return routeObservation(addr, s, have, want), true
}

// otherDestination returns the first destination, in order, of the routes
// of s's VPC through s's target; "" when there is none.
func otherDestination(s routeSpec, tables []types.RouteTable) string {
	var dests []string
	for _, t := range tables {
		if aws.ToString(t.VpcId) != s.vpc {
			continue
		}
		for _, r := range t.Routes {
			if d := aws.ToString(r.DestinationCidrBlock); d != "" && s.targetID != "" && routeGoesTo(r, s.target, s.targetID) {
				dests = append(dests, d)
			}
		}
	}
	sort.Strings(dests)
	if len(dests) == 0 {
		return ""
	}
	return dests[0]
}

// intersect keeps only the wanted tables when the route set names one.
func intersect(have, want []string, only bool) []string {
	if !only {
		return have
	}
	var out []string
	for _, h := range have {
		for _, w := range want {
			if h == w {
				out = append(out, h)
			}
		}
	}
	return out
}

// routeObservation is a route set found in tables have, of the wanted ones.
func routeObservation(addr string, s routeSpec, have, want []string) resource.Observation {
	props := resource.Props{propRouteTableIDs: resource.List(have)}
	for k, v := range map[string]string{
		propVPCID: s.vpc, propSubnetsWithin: s.within, propRouteTableID: s.table, propDestination: s.dest, s.target: s.targetID,
	} {
		if v != "" {
			props[k] = v
		}
	}
	id := s.vpc + ":" + s.table + ":" + s.dest
	return resource.Observation{
		Address: addr, Kind: resource.KindRoute, Exists: true, ID: id, Owned: true, Props: props,
		Attrs: map[string]string{"id": id, "wanted_route_table_ids": strings.Join(want, ",")},
	}
}

// strayRoutes returns, for a route-set address no longer desired, the
// routes through the owned peering pcx in vpcID's tables.
func (n *netView) strayRoutes(addr, vpcID, pcx string, desired map[string]bool) []resource.Observation {
	if desired[addr] || vpcID == "" {
		return nil
	}
	byDest := map[string][]string{}
	for _, t := range n.tables {
		if aws.ToString(t.VpcId) != vpcID {
			continue
		}
		for _, r := range t.Routes {
			if aws.ToString(r.VpcPeeringConnectionId) == pcx && r.DestinationCidrBlock != nil {
				byDest[*r.DestinationCidrBlock] = append(byDest[*r.DestinationCidrBlock], aws.ToString(t.RouteTableId))
			}
		}
	}
	var obs []resource.Observation
	for _, dest := range resource.SortedKeys(byDest) {
		obs = append(obs, resource.Observation{
			Address: addr, Kind: resource.KindRoute, Exists: true, ID: vpcID + ":" + dest, Owned: true,
			Props: resource.Props{propVPCID: vpcID, propDestination: dest, propPeeringID: pcx, propRouteTableIDs: resource.List(byDest[dest])},
			Attrs: map[string]string{"id": vpcID + ":" + dest},
		})
	}
	return obs
}

// knownAttr resolves Refs against observations that exist.
func knownAttr(known map[string]resource.Observation) func(resource.Ref) (string, bool) {
	return func(r resource.Ref) (string, bool) {
		ob, ok := known[r.Address]
		if !ok || !ob.Exists {
			return "", false
		}
		v, ok := ob.Attrs[r.Attr]
		return v, ok && v != ""
	}
}
