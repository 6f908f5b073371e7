package network_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

const stack = "net-test"

func ref(a string) resource.Ref { return resource.Ref{Address: a, Attr: "id"} }

func tags(addr string) map[string]string {
	return map[string]string{resource.TagStack: stack, resource.TagAddress: addr, "Name": addr}
}

// desired is one of every kind this package manages, wired as a stack
// would wire them.
func desired() []resource.Desired {
	ds := []resource.Desired{
		{Address: "a.vpc", Kind: resource.KindVPC, Props: resource.Props{"cidr_block": "10.0.0.0/16"}},
		{Address: "b.vpc", Kind: resource.KindVPC, Props: resource.Props{"cidr_block": "192.168.0.0/24"}},
		{Address: "a.subnet[public-x]", Kind: resource.KindSubnet, Props: resource.Props{"vpc_id": ref("a.vpc"), "cidr_block": "10.0.0.0/24", "availability_zone": "eu-west-1a"}, DependsOn: []string{"a.vpc"}},
		{Address: "a.route-table", Kind: resource.KindRouteTable, Props: resource.Props{"vpc_id": ref("a.vpc")}, DependsOn: []string{"a.vpc"}},
		{Address: "a.route-table-association[public-x]", Kind: resource.KindRouteTableAssoc, Props: resource.Props{"route_table_id": ref("a.route-table"), "subnet_id": ref("a.subnet[public-x]")}, DependsOn: []string{"a.route-table", "a.subnet[public-x]"}},
		{Address: "a.sg", Kind: resource.KindSecurityGroup, Props: resource.Props{"vpc_id": ref("a.vpc"), "group_name": "tasks", "description": "tasks"}, DependsOn: []string{"a.vpc"}},
		{Address: "a.rule[cidr]", Kind: resource.KindSecurityGroupRule, Props: resource.Props{"group_id": ref("a.sg"), "type": "ingress", "protocol": "tcp", "from_port": int64(443), "to_port": int64(443), "cidr_ipv4": "0.0.0.0/0", "description": "https"}, DependsOn: []string{"a.sg"}},
		{Address: "a.rule[self]", Kind: resource.KindSecurityGroupRule, Props: resource.Props{"group_id": ref("a.sg"), "type": "ingress", "protocol": "tcp", "from_port": int64(7800), "to_port": int64(7800), "source_group_id": ref("a.sg"), "description": "jgroups"}, DependsOn: []string{"a.sg"}},
		{Address: "a.igw", Kind: resource.KindInternetGateway, Props: resource.Props{"vpc_id": ref("a.vpc")}, DependsOn: []string{"a.vpc"}},
		{Address: "a.eip", Kind: resource.KindElasticIP, Props: resource.Props{"domain": "vpc"}, DependsOn: []string{"a.igw"}},
		{Address: "a.nat", Kind: resource.KindNATGateway, Props: resource.Props{"subnet_id": ref("a.subnet[public-x]"), "allocation_id": resource.Ref{Address: "a.eip", Attr: "allocation_id"}}, DependsOn: []string{"a.subnet[public-x]", "a.eip"}},
		{Address: "a.default-route", Kind: resource.KindRoute, Props: resource.Props{"vpc_id": ref("a.vpc"), "route_table_id": ref("a.route-table"), "destination_cidr_block": "0.0.0.0/0", "gateway_id": ref("a.igw")}, DependsOn: []string{"a.route-table", "a.igw"}},
		{Address: "a.peering", Kind: resource.KindPeering, Props: resource.Props{"vpc_id": ref("b.vpc"), "peer_vpc_id": ref("a.vpc"), "peer_region": "eu-west-1"}, DependsOn: []string{"a.vpc", "b.vpc"}},
		{Address: "a.routes-to-database", Kind: resource.KindRoute, Props: resource.Props{"vpc_id": ref("a.vpc"), "subnets_within": "10.0.0.0/16", "destination_cidr_block": "192.168.0.0/24", "vpc_peering_connection_id": ref("a.peering")}, DependsOn: []string{"a.peering", "a.route-table-association[public-x]"}},
	}
	for i := range ds {
		if ds[i].Kind != resource.KindRouteTableAssoc && ds[i].Kind != resource.KindRoute {
			ds[i].Tags = tags(ds[i].Address)
		}
	}
	return ds
}

func TestLifecycleAgainstSandbox(t *testing.T) {
	srv := sandboxtest.New(t)
	handlers, observers := network.Handlers(ec2.NewFromConfig(sandboxtest.AWSConfig(t, srv)), stack)
	c := awstest.NewCycle(t, stack, handlers, observers)
	ds := desired()
	if p := c.Plan(ds, false); p.Summary.Add != len(ds) {
		t.Fatalf("empty account: %d to add, want %d", p.Summary.Add, len(ds))
	}
	c.Apply(c.Plan(ds, false))
	if p := c.Plan(ds, false); p.HasChanges() {
		for _, ch := range p.Changes {
			if ch.Action != plan.ActionNoOp {
				t.Errorf("after apply %s is %s: %+v", ch.Address, ch.Action, ch.Diffs)
			}
		}
	}
	c.Apply(c.Plan(ds, true))
	if p := c.Plan(ds, false); p.Summary.Add != len(ds) || p.Summary.Destroy != 0 {
		t.Errorf("after destroy: %+v, want everything to add again and nothing left to destroy", p.Summary)
	}
}
