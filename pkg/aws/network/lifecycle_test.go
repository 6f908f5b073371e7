package network_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

const stack = "net-test"

func ref(a string) resource.Ref { return resource.Ref{Address: a, Attr: "id"} }

func tags(addr string) map[string]string {
	return map[string]string{resource.TagStack: stack, resource.TagAddress: addr, "Name": addr, "team": "platform", "env": "test"}
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
		{Address: "a.rule[egress]", Kind: resource.KindSecurityGroupRule, Props: resource.Props{"group_id": ref("a.sg"), "type": "egress", "protocol": "tcp", "from_port": int64(5432), "to_port": int64(5432), "cidr_ipv4": "192.168.0.0/24", "description": "database"}, DependsOn: []string{"a.sg"}},
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
	api := ec2.NewFromConfig(sandboxtest.AWSConfig(t, srv))
	set := &clients.Set{}
	network.Register(set, &clients.Clients{EC2: api}, clients.Options{Stack: stack})
	c := awstest.NewCycle(t, stack, set.Handlers, set.Observers)
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
	ruleByHand(t, c, api, ds)
	ds = retag(t, c, api, ds)
	untagByHand(t, c, api, ds)
	c.DestroyAll(ds)
}

// ruleByHand checks that the group holds exactly its desired rules (EC2's
// default egress rule revoked at create), then adds a rule through the
// SDK and checks that the plan deletes it, and only it, and that apply
// revokes it.
func ruleByHand(t *testing.T, c *awstest.Cycle, api *ec2.Client, ds []resource.Desired) {
	t.Helper()
	ids := liveIDs(t, c, ds)
	want := []string{ids["a.rule[cidr]"], ids["a.rule[egress]"], ids["a.rule[self]"]}
	sort.Strings(want)
	if diff := cmp.Diff(want, groupRules(t, api, ids["a.sg"])); diff != "" {
		t.Errorf("rules of the group after create -want +got:\n%s", diff)
	}
	out, err := api.AuthorizeSecurityGroupIngress(context.Background(), &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(ids["a.sg"]), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("0.0.0.0/0"),
	})
	if err != nil || len(out.SecurityGroupRules) != 1 {
		t.Fatalf("authorize ssh by hand: %v", err)
	}
	byHand := "a.sg.rule[" + aws.ToString(out.SecurityGroupRules[0].SecurityGroupRuleId) + "]"
	p := c.Plan(ds, false)
	if diff := cmp.Diff(map[string]plan.Action{byHand: plan.ActionDelete}, awstest.Changes(p)); diff != "" {
		t.Fatalf("rule added by hand: changes -want +got:\n%s", diff)
	}
	c.Apply(p)
	if diff := cmp.Diff(want, groupRules(t, api, ids["a.sg"])); diff != "" {
		t.Errorf("rules of the group after apply -want +got:\n%s", diff)
	}
}

// groupRules returns the ids of every rule of group, sorted.
func groupRules(t *testing.T, api *ec2.Client, group string) []string {
	t.Helper()
	out, err := api.DescribeSecurityGroupRules(context.Background(), &ec2.DescribeSecurityGroupRulesInput{
		Filters: []types.Filter{{Name: aws.String("group-id"), Values: []string{group}}},
	})
	if err != nil {
		t.Fatalf("describe rules of %s: %v", group, err)
	}
	var ids []string
	for _, r := range out.SecurityGroupRules {
		ids = append(ids, aws.ToString(r.SecurityGroupRuleId))
	}
	sort.Strings(ids)
	return ids
}

// retagDiffs are the diffs of every taggable resource once retag changed
// its desired tags: owner added, team changed, env removed.
var retagDiffs = []resource.FieldDiff{
	{Path: "tags.owner", After: "network"},
	{Path: "tags.team", Before: "platform", After: "identity"},
	{Path: "tags.env", Before: "test"},
}

// retag changes the desired tags of every taggable resource (those with
// tags: associations and routes have none in EC2), checks that the plan
// updates exactly those tags, applies it and reads the tags back with
// DescribeTags. It returns the retagged resources.
func retag(t *testing.T, c *awstest.Cycle, api *ec2.Client, ds []resource.Desired) []resource.Desired {
	t.Helper()
	ds = append([]resource.Desired(nil), ds...)
	want := map[string]plan.Action{}
	for i := range ds {
		if ds[i].Tags != nil {
			ds[i].Tags = resource.WithTags(ds[i].Tags, map[string]string{"owner": "network", "team": "identity"}, []string{"env"})
			want[ds[i].Address] = plan.ActionUpdate
		}
	}
	p := c.Plan(ds, false)
	if diff := cmp.Diff(want, awstest.Changes(p)); diff != "" {
		t.Fatalf("retagged: changes -want +got:\n%s", diff)
	}
	for _, ch := range p.Changes {
		if ch.Action != plan.ActionUpdate {
			continue
		}
		if diff := cmp.Diff(retagDiffs, ch.Diffs); diff != "" {
			t.Errorf("retagged %s: diffs -want +got:\n%s", ch.Address, diff)
		}
	}
	c.Apply(p)
	checkLiveTags(t, c, api, ds)
	return ds
}

// untagByHand adds a tag to the VPC through the SDK and checks that the
// plan removes it, and only it.
func untagByHand(t *testing.T, c *awstest.Cycle, api *ec2.Client, ds []resource.Desired) {
	t.Helper()
	ids := liveIDs(t, c, ds)
	if _, err := api.CreateTags(context.Background(), &ec2.CreateTagsInput{
		Resources: []string{ids["a.vpc"]}, Tags: []types.Tag{{Key: aws.String("by-hand"), Value: aws.String("yes")}},
	}); err != nil {
		t.Fatalf("tag vpc by hand: %v", err)
	}
	p := c.Plan(ds, false)
	if diff := cmp.Diff(map[string]plan.Action{"a.vpc": plan.ActionUpdate}, awstest.Changes(p)); diff != "" {
		t.Fatalf("tagged by hand: changes -want +got:\n%s", diff)
	}
	for _, ch := range p.Changes {
		if ch.Address != "a.vpc" {
			continue
		}
		if diff := cmp.Diff([]resource.FieldDiff{{Path: "tags.by-hand", Before: "yes"}}, ch.Diffs); diff != "" {
			t.Errorf("tagged by hand: diffs -want +got:\n%s", diff)
		}
	}
	c.Apply(p)
	checkLiveTags(t, c, api, ds)
}

// checkLiveTags checks that the plan of ds has no changes and that every
// taggable resource's tags, read with EC2's DescribeTags, are the desired ones.
func checkLiveTags(t *testing.T, c *awstest.Cycle, api *ec2.Client, ds []resource.Desired) {
	t.Helper()
	ids := liveIDs(t, c, ds)
	want, got := map[string]map[string]string{}, map[string]map[string]string{}
	var resources []string
	for _, d := range ds {
		if d.Tags != nil {
			want[ids[d.Address]] = d.Tags
			resources = append(resources, ids[d.Address])
		}
	}
	pages := ec2.NewDescribeTagsPaginator(api, &ec2.DescribeTagsInput{Filters: []types.Filter{{Name: aws.String("resource-id"), Values: resources}}})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatalf("describe tags: %v", err)
		}
		for _, tag := range page.Tags {
			id := aws.ToString(tag.ResourceId)
			if got[id] == nil {
				got[id] = map[string]string{}
			}
			got[id][aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("live tags by resource id -want +got:\n%s", diff)
	}
}

// liveIDs plans ds, fails the test unless nothing changes, and returns
// the id of every resource by address.
func liveIDs(t *testing.T, c *awstest.Cycle, ds []resource.Desired) map[string]string {
	t.Helper()
	p := c.Plan(ds, false)
	if changes := awstest.Changes(p); len(changes) > 0 {
		t.Fatalf("after apply: changes %v, want none", changes)
	}
	ids := map[string]string{}
	for _, ch := range p.Changes {
		if ch.Observed != nil {
			ids[ch.Address] = ch.Observed.ID
		}
	}
	return ids
}

// TestInternetGatewayAttachAdopts creates an internet gateway through the
// handler, with the SDK's own retries (no ambiguity guard), on a sandbox
// that loses the answer of the first AttachInternetGateway: the SDK's
// retry is refused with Resource.AlreadyAssociated, and the attachment the
// first call made is adopted. A VPC that already holds another gateway
// keeps the refusal.
func TestInternetGatewayAttachAdopts(t *testing.T) {
	cases := map[string]struct {
		reason   string
		lose     int
		occupied bool
		wantErr  string
	}{
		"LostAnswer": {
			reason: "the retry finds the gateway attached to the VPC it asked for",
			lose:   1,
		},
		"OtherGateway": {
			reason:   "a VPC holding a gateway kcstack did not make is not adopted",
			occupied: true,
			wantErr:  "Resource.AlreadyAssociated",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			srv := sandboxtest.New(t, sandbox.WithLostAnswers(map[string]int{"AttachInternetGateway": tc.lose}))
			api := ec2.NewFromConfig(sandboxtest.AWSConfig(t, srv))
			vpc := aws.ToString(must(api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId)
			if tc.occupied {
				other := must(api.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId
				must(api.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: other, VpcId: aws.String(vpc)}))(t)
			}
			h := handler(t, api, resource.KindInternetGateway)
			ob, err := h.Create(ctx, resource.Desired{Address: "a.igw", Kind: resource.KindInternetGateway, Tags: tags("a.igw"), Props: resource.Props{"vpc_id": vpc}})
			switch {
			case tc.wantErr == "" && err != nil, tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("%s\ncreate: error %v, want %q", tc.reason, err, tc.wantErr)
			case err != nil:
				return
			}
			if left := srv.AnswersToLose(); len(left) > 0 {
				t.Fatalf("answers left to lose: %v: the test lost nothing", left)
			}
			attached := must(api.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{{Name: aws.String("attachment.vpc-id"), Values: []string{vpc}}}}))(t)
			var ids []string
			for _, g := range attached.InternetGateways {
				ids = append(ids, aws.ToString(g.InternetGatewayId))
			}
			if diff := cmp.Diff([]string{ob.ID}, ids); diff != "" {
				t.Errorf("%s\ngateways attached to %s (-want +got):\n%s", tc.reason, vpc, diff)
			}
			if got := ob.Props["vpc_id"]; got != vpc {
				t.Errorf("%s\nobserved vpc_id %v, want %s", tc.reason, got, vpc)
			}
		})
	}
}
