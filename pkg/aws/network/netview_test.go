package network

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

func subnet(id, vpc, cidr string) types.Subnet {
	return types.Subnet{SubnetId: aws.String(id), VpcId: aws.String(vpc), CidrBlock: aws.String(cidr)}
}

func table(id, vpc string, main bool, subnets ...string) types.RouteTable {
	t := types.RouteTable{RouteTableId: aws.String(id), VpcId: aws.String(vpc)}
	if main {
		t.Associations = append(t.Associations, types.RouteTableAssociation{Main: aws.Bool(true)})
	}
	for _, s := range subnets {
		t.Associations = append(t.Associations, types.RouteTableAssociation{Main: aws.Bool(false), SubnetId: aws.String(s)})
	}
	return t
}

func TestTablesInUse(t *testing.T) {
	subnets := []types.Subnet{
		subnet("subnet-a", "vpc-1", "10.0.0.0/19"), subnet("subnet-b", "vpc-1", "10.0.32.0/19"),
		subnet("subnet-c", "vpc-1", "10.0.64.0/19"), subnet("subnet-x", "vpc-2", "10.0.0.0/19"),
	}
	cases := map[string]struct {
		reason string
		tables []types.RouteTable
		within string
		want   []string
	}{
		"explicit associations": {
			reason: "each subnet's own table, never the main one when every subnet has its own",
			tables: []types.RouteTable{table("rtb-main", "vpc-1", true), table("rtb-a", "vpc-1", false, "subnet-a"), table("rtb-bc", "vpc-1", false, "subnet-b", "subnet-c")},
			within: "10.0.0.0/16", want: []string{"rtb-a", "rtb-bc"},
		},
		"implicit main": {
			reason: "a subnet without an explicit association really uses the main table",
			tables: []types.RouteTable{table("rtb-main", "vpc-1", true), table("rtb-a", "vpc-1", false, "subnet-a")},
			within: "10.0.0.0/16", want: []string{"rtb-a", "rtb-main"},
		},
		"outside the cidr": {
			reason: "subnets outside the routed range do not count",
			tables: []types.RouteTable{table("rtb-main", "vpc-1", true), table("rtb-a", "vpc-1", false, "subnet-a")},
			within: "10.0.0.0/19", want: []string{"rtb-a"},
		},
		"name match is irrelevant": {
			reason: "tables of another VPC are never used, whatever they are called",
			tables: []types.RouteTable{table("rtb-other", "vpc-2", false, "subnet-x"), table("rtb-a", "vpc-1", false, "subnet-a", "subnet-b", "subnet-c")},
			within: "10.0.0.0/16", want: []string{"rtb-a"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, TablesInUse("vpc-1", tc.within, subnets, tc.tables)); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestRouteSetObservation(t *testing.T) {
	tables := []types.RouteTable{
		table("rtb-a", "vpc-1", false, "subnet-a"), table("rtb-b", "vpc-1", false, "subnet-b"),
	}
	tables[0].Routes = []types.Route{{DestinationCidrBlock: aws.String("192.168.0.0/24"), VpcPeeringConnectionId: aws.String("pcx-1")}}
	tables[1].Routes = []types.Route{{DestinationCidrBlock: aws.String("192.168.0.0/24"), VpcPeeringConnectionId: aws.String("pcx-old")}}
	n := &netView{subnets: []types.Subnet{subnet("subnet-a", "vpc-1", "10.0.0.0/19"), subnet("subnet-b", "vpc-1", "10.0.32.0/19")}, tables: tables}
	d := resource.Desired{Props: resource.Props{"vpc_id": "vpc-1", "subnets_within": "10.0.0.0/16", "destination_cidr_block": "192.168.0.0/24", "vpc_peering_connection_id": "pcx-1"}}
	ob, ok := n.routeSet("targets.a.routes-to-database", d.Props)
	if !ok {
		t.Fatal("route set not observed although rtb-a holds the route")
	}
	got := (&RouteHandler{}).Diff(d, ob)
	want := []resource.FieldDiff{{Path: "route_table_ids", Before: []any{"rtb-a"}, After: []any{"rtb-a", "rtb-b"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("a table routing through another peering must get the route: -want +got:\n%s", diff)
	}
}

// ruleProps are the props of a desired tcp rule of direction typ on
// group, for port, to or from peer (the prop and its value).
func ruleProps(group, typ string, port int64, peer, value string) resource.Props {
	return resource.Props{"group_id": group, "type": typ, "protocol": "tcp", "from_port": port, "to_port": port, peer: value}
}

// liveRule is an existing CIDR rule.
func liveRule(egress bool, protocol, cidr string, port int32) types.SecurityGroupRule {
	return types.SecurityGroupRule{IsEgress: aws.Bool(egress), IpProtocol: aws.String(protocol), CidrIpv4: aws.String(cidr), FromPort: aws.Int32(port), ToPort: aws.Int32(port)}
}

func TestPermissionAndSameRule(t *testing.T) {
	cases := map[string]struct {
		reason string
		props  resource.Props
		rule   types.SecurityGroupRule
		same   bool
	}{
		"cidr": {reason: "a CIDR rule matches the same CIDR and port",
			props: ruleProps("sg-db", "ingress", 5432, "cidr_ipv4", "10.0.0.0/16"), rule: liveRule(false, "tcp", "10.0.0.0/16", 5432), same: true},
		"group": {reason: "a group rule matches the same source group, not a CIDR rule",
			props: ruleProps("sg-1", "ingress", 7800, "source_group_id", "sg-1"), rule: liveRule(false, "tcp", "0.0.0.0/0", 7800)},
		"direction": {reason: "an egress rule never matches the ingress rule of the same ports and CIDR",
			props: ruleProps("sg-db", "egress", 5432, "cidr_ipv4", "10.0.0.0/16"), rule: liveRule(false, "tcp", "10.0.0.0/16", 5432)},
		"egress": {reason: "an egress rule matches the same egress rule",
			props: ruleProps("sg-db", "egress", 443, "cidr_ipv4", "0.0.0.0/0"), rule: liveRule(true, "tcp", "0.0.0.0/0", 443), same: true},
		"protocol": {reason: "an all-traffic rule is not the tcp rule of the same CIDR",
			props: ruleProps("sg-db", "egress", -1, "cidr_ipv4", "0.0.0.0/0"), rule: liveRule(true, "-1", "0.0.0.0/0", -1)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			spec, err := readRule(tc.props)
			if err != nil {
				t.Fatalf("readRule: %v", err)
			}
			if got := sameRule(tc.rule, spec); got != tc.same {
				t.Errorf("%s: sameRule = %v", tc.reason, got)
			}
		})
	}
	if _, err := readRule(resource.Props{"group_id": "sg-1", "type": "sideways", "protocol": "tcp", "from_port": int64(1), "to_port": int64(1)}); err == nil {
		t.Errorf("a rule of type sideways must be refused")
	}
	spec, err := readRule(resource.Props{"group_id": "sg-1", "type": "ingress", "protocol": "tcp", "from_port": int64(7800), "to_port": int64(7800), "source_group_id": "sg-1"})
	if err != nil {
		t.Fatalf("readRule: %v", err)
	}
	p := permission(spec)
	if len(p.IpRanges) != 0 || len(p.UserIdGroupPairs) != 1 || aws.ToString(p.UserIdGroupPairs[0].GroupId) != "sg-1" {
		t.Errorf("a group rule must authorize the group only, got %+v", p)
	}
}
