package loadbalancer_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/loadbalancer"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

const stack = "lb-test"

func ref(a, attr string) resource.Ref { return resource.Ref{Address: a, Attr: attr} }

// desired is a VPC with two public subnets and a group, and the load
// balancer, target group and listeners of a target.
func desired(healthPort string, sticky bool) []resource.Desired {
	ds := []resource.Desired{
		{Address: "t.vpc", Kind: resource.KindVPC, Props: resource.Props{"cidr_block": "10.0.0.0/16"}},
		{Address: "t.subnet[a]", Kind: resource.KindSubnet, Props: resource.Props{"vpc_id": ref("t.vpc", "id"), "cidr_block": "10.0.0.0/24", "availability_zone": "eu-west-1a"}, DependsOn: []string{"t.vpc"}},
		{Address: "t.subnet[b]", Kind: resource.KindSubnet, Props: resource.Props{"vpc_id": ref("t.vpc", "id"), "cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1b"}, DependsOn: []string{"t.vpc"}},
		{Address: "t.lb-security-group", Kind: resource.KindSecurityGroup, Props: resource.Props{"vpc_id": ref("t.vpc", "id"), "group_name": "lb", "description": "lb"}, DependsOn: []string{"t.vpc"}},
		{Address: "t.load-balancer", Kind: resource.KindLoadBalancer, Props: resource.Props{
			"name": "lb-test", "scheme": "internet-facing", "type": "application",
			"subnets": []any{ref("t.subnet[a]", "id"), ref("t.subnet[b]", "id")}, "security_groups": []any{ref("t.lb-security-group", "id")},
			"drop_invalid_header_fields": true,
		}, DependsOn: []string{"t.subnet[a]", "t.subnet[b]", "t.lb-security-group"}},
		{Address: "t.target-group", Kind: resource.KindTargetGroup, Props: resource.Props{
			"name": "lb-test", "port": int64(8080), "protocol": "HTTP", "target_type": "ip", "vpc_id": ref("t.vpc", "id"),
			"health_check_path": "/health/ready", "health_check_port": healthPort, "health_check_protocol": "HTTP",
			"stickiness_enabled": sticky, "stickiness_type": "lb_cookie",
		}, DependsOn: []string{"t.vpc"}},
		{Address: "t.listener[https]", Kind: resource.KindListener, Props: resource.Props{
			"load_balancer_arn": ref("t.load-balancer", "arn"), "port": int64(443), "protocol": "HTTPS",
			"certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666",
			"ssl_policy":      "ELBSecurityPolicy-TLS13-1-2-2021-06", "target_group_arn": ref("t.target-group", "arn"),
		}, DependsOn: []string{"t.load-balancer", "t.target-group"}},
		{Address: "t.listener[http]", Kind: resource.KindListener, Props: resource.Props{
			"load_balancer_arn": ref("t.load-balancer", "arn"), "port": int64(80), "protocol": "HTTP", "redirect_to_https": true,
		}, DependsOn: []string{"t.load-balancer"}},
	}
	return awstest.Tagged(ds, stack, ours)
}

// ours reports whether d is of one of this package's kinds.
var ours = awstest.OfKinds(resource.KindLoadBalancer, resource.KindTargetGroup, resource.KindListener)

// checkLiveTags reads the tags of this package's resources with ELBv2's
// DescribeTags, at the ARNs p observed, and compares them with ds's.
func checkLiveTags(t *testing.T, api *elb.Client, p *plan.Plan, ds []resource.Desired) {
	t.Helper()
	want, arns, addrs := map[string]map[string]string{}, []string{}, map[string]string{}
	for _, d := range ds {
		if ours(d) {
			want[d.Address] = d.Tags
		}
	}
	for _, c := range p.Changes {
		if want[c.Address] != nil && c.Observed != nil {
			arns = append(arns, c.Observed.ID)
			addrs[c.Observed.ID] = c.Address
		}
	}
	out, err := api.DescribeTags(context.Background(), &elb.DescribeTagsInput{ResourceArns: arns})
	if err != nil {
		t.Fatalf("describe tags: %v", err)
	}
	got := map[string]map[string]string{}
	for _, td := range out.TagDescriptions {
		got[addrs[aws.ToString(td.ResourceArn)]] = tagMap(td.Tags)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("live tags (-want +got):\n%s", diff)
	}
}

func tagMap(tags []types.Tag) map[string]string {
	return tagged.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}

// applied is a cycle over a new sandbox where desired("9000", false) has
// been applied.
func applied(t *testing.T) (*awstest.Cycle, aws.Config) {
	srv := sandboxtest.New(t)
	cfg := sandboxtest.AWSConfig(t, srv)
	c, _ := awstest.NewSetCycle(t, stack, clients.New(cfg), network.Register, loadbalancer.Register)
	c.Apply(c.Plan(desired("9000", false), false))
	return c, cfg
}

func TestLifecycleAgainstSandbox(t *testing.T) {
	c, cfg := applied(t)
	ds := desired("9000", false)
	c.NoChanges(ds, "after apply")
	checkAttributeDrift(t, c, elb.NewFromConfig(cfg), ds)
	older := desired("8080", true)
	c.Update(older, map[string]plan.Action{"t.target-group": plan.ActionUpdate}, "health check port and stickiness changed")
	retag := awstest.Retag(older, ours)
	checkTags(t, c, elb.NewFromConfig(cfg), retag)
	c.DestroyAll(retag)
}

// checkAttributeDrift checks that the load balancer drops invalid header
// fields, turns that off by hand, and checks that the plan updates exactly
// that attribute and apply sets it back.
func checkAttributeDrift(t *testing.T, c *awstest.Cycle, api *elb.Client, ds []resource.Desired) {
	t.Helper()
	lb := awstest.Observed(t, c.Plan(ds, false), "t.load-balancer").ID
	dropKey := "routing.http.drop_invalid_header_fields.enabled"
	checkDrop := func(want string) {
		t.Helper()
		out, err := api.DescribeLoadBalancerAttributes(context.Background(), &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lb)})
		if err != nil {
			t.Fatalf("describe attributes: %v", err)
		}
		got := "(absent)"
		for _, a := range out.Attributes {
			if aws.ToString(a.Key) == dropKey {
				got = aws.ToString(a.Value)
			}
		}
		if got != want {
			t.Errorf("%s = %s, want %s", dropKey, got, want)
		}
	}
	checkDrop("true")
	if _, err := api.ModifyLoadBalancerAttributes(context.Background(), &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lb),
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String(dropKey), Value: aws.String("false")}}}); err != nil {
		t.Fatalf("modify attributes by hand: %v", err)
	}
	p := c.Plan(ds, false)
	awstest.CheckUpdates(t, p, map[string][]resource.FieldDiff{"t.load-balancer": {{Path: "drop_invalid_header_fields", Before: false, After: true}}})
	c.Apply(p)
	awstest.CheckUpdates(t, c.Plan(ds, false), nil)
	checkDrop("true")
}

// checkTags changes the tags of every load balancing resource to retag's,
// then removes a tag added by hand to the load balancer.
func checkTags(t *testing.T, c *awstest.Cycle, api *elb.Client, retag []resource.Desired) {
	t.Helper()
	p := awstest.ApplyRetag(t, c, retag, ours)
	checkLiveTags(t, api, p, retag)

	lb := awstest.Observed(t, p, "t.load-balancer").ID
	if _, err := api.AddTags(context.Background(), &elb.AddTagsInput{ResourceArns: []string{lb}, Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("someone")}}}); err != nil {
		t.Fatalf("tag the load balancer by hand: %v", err)
	}
	p = c.Plan(retag, false)
	awstest.CheckUpdates(t, p, map[string][]resource.FieldDiff{"t.load-balancer": {{Path: "tags.owner", Before: "someone"}}})
	c.Apply(p)
	p = c.Plan(retag, false)
	awstest.CheckUpdates(t, p, nil)
	checkLiveTags(t, api, p, retag)
}

// TestListenerAdopt: a listener on the desired port that carries none of
// the stack's tags (a create whose answer was lost before its tags were
// read, or one made by hand) is adopted when the create finds it taken:
// tagged and set as desired, so that the next plan has no changes.
func TestListenerAdopt(t *testing.T) {
	c, cfg := applied(t)
	ds := desired("9000", false)
	api := elb.NewFromConfig(cfg)
	listener := awstest.Observed(t, c.Plan(ds, false), "t.listener[http]").ID
	if _, err := api.RemoveTags(t.Context(), &elb.RemoveTagsInput{ResourceArns: []string{listener}, TagKeys: []string{resource.TagStack, resource.TagAddress, "team", "env"}}); err != nil {
		t.Fatal(err)
	}
	p := c.Plan(ds, false)
	if got := awstest.Changes(p); len(got) != 1 || got["t.listener[http]"] != plan.ActionCreate {
		t.Fatalf("untagged listener: %v, want only t.listener[http] created", got)
	}
	c.Apply(p)
	p = c.Plan(ds, false)
	awstest.CheckUpdates(t, p, nil)
	if got := awstest.Observed(t, p, "t.listener[http]").ID; got != listener {
		t.Errorf("the listener is %s, want the adopted %s", got, listener)
	}
}
