package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
)

func TestCreateSecurityGroup(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	out := must(e.ec2.CreateSecurityGroup(e.ctx, &ec2.CreateSecurityGroupInput{
		VpcId: aws.String(vpcID), GroupName: aws.String("keycloak"), Description: aws.String("Keycloak tasks"),
		TagSpecifications: tagSpec(types.ResourceTypeSecurityGroup, "kcstack:stack", "prod"),
	}))(t)
	id := aws.ToString(out.GroupId)
	if got, want := aws.ToString(out.SecurityGroupArn), "arn:aws:ec2:eu-west-1:123456789012:security-group/"+id; got != want {
		t.Errorf("ARN: got %s, want %s", got, want)
	}
	if err := ec2.NewSecurityGroupExistsWaiter(e.ec2).Wait(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}}, shortWait); err != nil {
		t.Errorf("SecurityGroupExists waiter: %v", err)
	}
	g := must(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}}))(t).SecurityGroups[0]
	wantEgress := []types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}
	if diff := cmp.Diff(wantEgress, g.IpPermissionsEgress, sdkTypes); diff != "" {
		t.Errorf("a new group allows all egress (-want +got):\n%s", diff)
	}
	if len(g.IpPermissions) != 0 || aws.ToString(g.GroupName) != "keycloak" || aws.ToString(g.Description) != "Keycloak tasks" {
		t.Errorf("new group: got %+v", g)
	}
}

func TestCreateSecurityGroupErrors(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	e.group(vpcID, "taken")
	in := func(vpc, name string) *ec2.CreateSecurityGroupInput {
		return &ec2.CreateSecurityGroupInput{VpcId: aws.String(vpc), GroupName: aws.String(name), Description: aws.String("d")}
	}
	cases := map[string]struct {
		reason string
		in     *ec2.CreateSecurityGroupInput
		want   string
	}{
		"duplicate name": {"names are unique per VPC", in(vpcID, "taken"), "InvalidGroup.Duplicate"},
		"reserved name":  {"every VPC has its default group", in(vpcID, "default"), "InvalidGroup.Reserved"},
		"sg- name":       {"names may not look like ids", in(vpcID, "sg-app"), "InvalidParameterValue"},
		"no VPC":         {"the sandbox has no default VPC", &ec2.CreateSecurityGroupInput{GroupName: aws.String("x"), Description: aws.String("d")}, "VPCIdNotSpecified"},
		"unknown VPC":    {"the VPC must exist", in("vpc-0123456789abcdef0", "x"), "InvalidVpcID.NotFound"},
		"wrong tag type": {"TagSpecifications must name the created resource's type", &ec2.CreateSecurityGroupInput{VpcId: aws.String(vpcID), GroupName: aws.String("x"), Description: aws.String("d"), TagSpecifications: tagSpec(types.ResourceTypeVpc, "a", "b")}, "InvalidParameterValue"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.CreateSecurityGroup(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
	// The same name in another VPC is fine.
	e.group(e.vpc("10.1.0.0/16"), "taken")
}

func TestAuthorizeSecurityGroupIngress(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	db, app := e.group(vpcID, "db"), e.group(vpcID, "app")
	out := must(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(db),
		IpPermissions: []types.IpPermission{
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432),
				UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(app), Description: aws.String("keycloak")}},
				IpRanges:         []types.IpRange{{CidrIp: aws.String("10.1.0.0/16"), Description: aws.String("peer")}}},
			{IpProtocol: aws.String("6"), FromPort: aws.Int32(7800), ToPort: aws.Int32(7800), Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
			{IpProtocol: aws.String("-1"), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-0123abcd")}}},
		},
		TagSpecifications: tagSpec(types.ResourceTypeSecurityGroupRule, "purpose", "db"),
	}))(t)
	if !aws.ToBool(out.Return) || len(out.SecurityGroupRules) != 4 {
		t.Fatalf("AuthorizeSecurityGroupIngress: got Return %v and %d rules, want true and 4", aws.ToBool(out.Return), len(out.SecurityGroupRules))
	}
	first := out.SecurityGroupRules[0]
	want := types.SecurityGroupRule{
		SecurityGroupRuleId: first.SecurityGroupRuleId, SecurityGroupRuleArn: aws.String("arn:aws:ec2:eu-west-1:123456789012:security-group-rule/" + aws.ToString(first.SecurityGroupRuleId)),
		GroupId: aws.String(db), GroupOwnerId: aws.String("123456789012"), IsEgress: aws.Bool(false), IpProtocol: aws.String("tcp"),
		FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), CidrIpv4: aws.String("10.1.0.0/16"), Description: aws.String("peer"), Tags: tags("purpose", "db"),
	}
	if diff := cmp.Diff(want, first, sdkTypes); diff != "" {
		t.Errorf("first rule (-want +got):\n%s", diff)
	}
	g := must(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{db}}))(t).SecurityGroups[0]
	wantPerms := []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432),
			IpRanges:         []types.IpRange{{CidrIp: aws.String("10.1.0.0/16"), Description: aws.String("peer")}},
			UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(app), UserId: aws.String("123456789012"), Description: aws.String("keycloak")}}},
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(7800), ToPort: aws.Int32(7800), Ipv6Ranges: []types.Ipv6Range{{CidrIpv6: aws.String("::/0")}}},
		{IpProtocol: aws.String("-1"), PrefixListIds: []types.PrefixListId{{PrefixListId: aws.String("pl-0123abcd")}}},
	}
	if diff := cmp.Diff(wantPerms, g.IpPermissions, sdkTypes); diff != "" {
		t.Errorf("ingress permissions folded by protocol and ports (-want +got):\n%s", diff)
	}

	_, err := e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(db), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), CidrIp: aws.String("10.1.0.0/16")})
	checkCode(t, "authorize an existing rule (legacy form)", err, "InvalidPermission.Duplicate")
}

func TestAuthorizeErrors(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	g := e.group(vpcID, "app")
	perm := func(proto string, from, to int32, cidr string) []types.IpPermission {
		return []types.IpPermission{{IpProtocol: aws.String(proto), FromPort: aws.Int32(from), ToPort: aws.Int32(to), IpRanges: []types.IpRange{{CidrIp: aws.String(cidr)}}}}
	}
	cases := map[string]struct {
		reason string
		in     *ec2.AuthorizeSecurityGroupIngressInput
		want   string
	}{
		"unknown group":     {"the group must exist", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("sg-0123456789abcdef0"), IpPermissions: perm("tcp", 1, 2, "10.0.0.0/8")}, "InvalidGroup.NotFound"},
		"malformed group":   {"group ids have the form sg-<hex>", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("app"), IpPermissions: perm("tcp", 1, 2, "10.0.0.0/8")}, "InvalidGroupId.Malformed"},
		"group by name":     {"names resolve only in the default VPC, which the sandbox lacks", &ec2.AuthorizeSecurityGroupIngressInput{GroupName: aws.String("app"), IpPermissions: perm("tcp", 1, 2, "10.0.0.0/8")}, "InvalidGroup.NotFound"},
		"bad protocol":      {"protocols are names or numbers", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: perm("carrier-pigeon", 1, 2, "10.0.0.0/8")}, "InvalidParameterValue"},
		"reversed ports":    {"from must not exceed to", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: perm("tcp", 9, 2, "10.0.0.0/8")}, "InvalidParameterValue"},
		"bad CIDR":          {"peers are CIDR blocks", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: perm("tcp", 1, 2, "10.0.0.0/33")}, "InvalidParameterValue"},
		"unknown peer":      {"a referenced group must exist", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(2), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String("sg-0123456789abcdef0")}}}}}, "InvalidGroup.NotFound"},
		"no peer":           {"a rule needs a peer", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(1), ToPort: aws.Int32(2)}}}, "MissingParameter"},
		"duplicate in call": {"one request may not hold the same rule twice", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: append(perm("tcp", 1, 2, "10.0.0.0/8"), perm("tcp", 1, 2, "10.0.0.0/8")...)}, "InvalidPermission.Duplicate"},
		"wrong tag type":    {"rule tags use security-group-rule", &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: perm("tcp", 1, 2, "10.0.0.0/8"), TagSpecifications: tagSpec(types.ResourceTypeSecurityGroup, "a", "b")}, "InvalidParameterValue"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.AuthorizeSecurityGroupIngress(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
	rules := must(e.ec2.DescribeSecurityGroupRules(e.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("group-id", g)}}))(t).SecurityGroupRules
	if len(rules) != 1 {
		t.Errorf("failed authorizations must change nothing: got %d rules, want the default egress rule", len(rules))
	}
}

func TestEgressRulesAndRevoke(t *testing.T) {
	e := newEnv(t)
	g := e.group(e.vpc("10.0.0.0/16"), "app")
	jgroups := []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(7800), ToPort: aws.Int32(7800), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}}}
	out := must(e.ec2.AuthorizeSecurityGroupEgress(e.ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(g), IpPermissions: jgroups}))(t)
	if len(out.SecurityGroupRules) != 1 || !aws.ToBool(out.SecurityGroupRules[0].IsEgress) {
		t.Fatalf("egress rules: got %+v", out.SecurityGroupRules)
	}
	_, err := e.ec2.AuthorizeSecurityGroupEgress(e.ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(g), IpPermissions: jgroups})
	checkCode(t, "authorize an existing egress rule", err, "InvalidPermission.Duplicate")
	_, err = e.ec2.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: jgroups})
	checkCode(t, "revoke an egress rule as ingress", err, "InvalidPermission.NotFound")

	revoked := must(e.ec2.RevokeSecurityGroupEgress(e.ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(g), IpPermissions: jgroups}))(t)
	if !aws.ToBool(revoked.Return) || len(revoked.RevokedSecurityGroupRules) != 1 || aws.ToString(revoked.RevokedSecurityGroupRules[0].SecurityGroupRuleId) != aws.ToString(out.SecurityGroupRules[0].SecurityGroupRuleId) {
		t.Errorf("RevokeSecurityGroupEgress: got %+v", revoked)
	}
	_, err = e.ec2.RevokeSecurityGroupEgress(e.ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(g), IpPermissions: jgroups})
	checkCode(t, "revoke a revoked rule", err, "InvalidPermission.NotFound")

	all := must(e.ec2.DescribeSecurityGroupRules(e.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("group-id", g)}}))(t).SecurityGroupRules
	if len(all) != 1 {
		t.Fatalf("rules left: got %d, want the default egress rule", len(all))
	}
	id := aws.ToString(all[0].SecurityGroupRuleId)
	_, err = e.ec2.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(g), SecurityGroupRuleIds: []string{id}})
	checkCode(t, "revoke an egress rule id as ingress", err, "InvalidSecurityGroupRuleId.NotFound")
	must(e.ec2.RevokeSecurityGroupEgress(e.ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(g), SecurityGroupRuleIds: []string{id}}))(t)
	if n := len(must(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{g}}))(t).SecurityGroups[0].IpPermissionsEgress); n != 0 {
		t.Errorf("egress permissions after revoking every rule: got %d, want 0", n)
	}
}

func TestDescribeSecurityGroupRules(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	g := e.group(vpcID, "app")
	for port := int32(8000); port < 8010; port++ {
		must(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: []types.IpPermission{
			{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}},
		}}))(t)
	}
	var ids []string
	pages := 0
	p := ec2.NewDescribeSecurityGroupRulesPaginator(e.ec2, &ec2.DescribeSecurityGroupRulesInput{MaxResults: aws.Int32(5), Filters: []types.Filter{filter("group-id", g)}})
	for p.HasMorePages() {
		pages++
		for _, r := range must(p.NextPage(e.ctx))(t).SecurityGroupRules {
			ids = append(ids, aws.ToString(r.SecurityGroupRuleId))
		}
	}
	if len(ids) != 11 || pages != 3 {
		t.Errorf("rules of the group: got %d in %d pages, want 11 (10 + default egress) in 3", len(ids), pages)
	}
	one := must(e.ec2.DescribeSecurityGroupRules(e.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: ids[:1]}))(t).SecurityGroupRules
	if len(one) != 1 || aws.ToString(one[0].SecurityGroupRuleId) != ids[0] {
		t.Errorf("rule by id: got %+v", one)
	}
	_, err := e.ec2.DescribeSecurityGroupRules(e.ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{"sgr-0123456789abcdef0"}})
	checkCode(t, "unknown rule id", err, "InvalidSecurityGroupRuleId.NotFound")
	_, err = e.ec2.DescribeSecurityGroupRules(e.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("vpc-id", vpcID)}})
	checkCode(t, "vpc-id is not a rule filter", err, "InvalidParameterValue")
}

func TestDeleteSecurityGroup(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	db, app := e.group(vpcID, "db"), e.group(vpcID, "app")
	ref := []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(app)}}}}
	must(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(db), IpPermissions: ref}))(t)
	self := []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(7800), ToPort: aws.Int32(7800), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(app)}}}}
	must(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(app), IpPermissions: self}))(t)

	_, err := e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(app)})
	checkCode(t, "delete a group another group's rule references", err, "DependencyViolation")
	must(e.ec2.RevokeSecurityGroupIngress(e.ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(db), IpPermissions: ref}))(t)
	out := must(e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(app)}))(t)
	if !aws.ToBool(out.Return) || aws.ToString(out.GroupId) != app {
		t.Errorf("DeleteSecurityGroup output: got %+v", out)
	}
	_, err = e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{app}})
	checkCode(t, "describe a deleted group", err, "InvalidGroup.NotFound")

	def := must(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", vpcID), filter("group-name", "default")}}))(t).SecurityGroups[0]
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: def.GroupId})
	checkCode(t, "delete the default group", err, "CannotDelete")
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{})
	checkCode(t, "delete without a group", err, "MissingParameter")
}

func TestDescribeSecurityGroupsFilters(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	db, app := e.group(vpcID, "kc-db"), e.group(vpcID, "kc-app")
	must(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(db), IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String(app)}}},
	}}))(t)
	must(e.ec2.AuthorizeSecurityGroupIngress(e.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(app), IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(7800), ToPort: aws.Int32(7800), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}},
	}}))(t)
	cases := map[string]struct {
		reason  string
		filters []types.Filter
		want    []string
	}{
		"group-name wildcard":     {"* matches any run of characters", []types.Filter{filter("group-name", "kc-*")}, sortedIDs(db, app)},
		"group-name OR":           {"values of one filter OR", []types.Filter{filter("group-name", "kc-db", "kc-app")}, sortedIDs(db, app)},
		"filters AND":             {"filters AND", []types.Filter{filter("group-name", "kc-*"), filter("group-id", db)}, []string{db}},
		"ingress port":            {"ip-permission.from-port matches any ingress rule", []types.Filter{filter("ip-permission.from-port", "7800")}, []string{app}},
		"ingress group reference": {"ip-permission.group-id matches referenced groups", []types.Filter{filter("ip-permission.group-id", app)}, []string{db}},
		"egress cidr":             {"egress.ip-permission.cidr matches egress rules", []types.Filter{filter("egress.ip-permission.cidr", "0.0.0.0/0"), filter("vpc-id", vpcID), filter("group-name", "kc-db")}, []string{db}},
		"no match":                {"an unmatched value selects nothing", []types.Filter{filter("group-name", "nope")}, nil},
		"question mark":           {"? matches one character", []types.Filter{filter("group-name", "kc-d?")}, []string{db}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out := must(e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{Filters: tc.filters}))(t)
			var got []string
			for _, g := range out.SecurityGroups {
				got = append(got, aws.ToString(g.GroupId))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
