package ec2

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// maxRulesPerDirection is EC2's default quota of inbound (and of outbound)
// rules per security group.
const maxRulesPerDirection = 60

// protocols maps the names and numbers EC2 accepts to the form it stores.
var protocols = map[string]string{
	"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp",
	"icmpv6": "icmpv6", "58": "icmpv6", "-1": "-1", "all": "-1",
}

// normalizeProtocol returns EC2's stored form of a protocol.
func normalizeProtocol(p string) (string, error) {
	if v, ok := protocols[strings.ToLower(p)]; ok {
		return v, nil
	}
	if n, err := strconv.Atoi(p); err == nil && n >= 0 && n <= 255 {
		return p, nil
	}
	return "", api.Errorf("InvalidParameterValue", "Invalid value '%s' for IP protocol. Unknown protocol.", p)
}

// hasPorts reports whether rules of the protocol carry ports (or ICMP
// type and code).
func hasPorts(protocol string) bool {
	switch protocol {
	case "tcp", "udp", "icmp", "icmpv6":
		return true
	}
	return false
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// ruleKey identifies a rule for duplicate detection and revocation: every
// field but the id, description and tags.
func (r *sgRule) key() string {
	return strings.Join([]string{strconv.FormatBool(r.Egress), r.Protocol, itoa(r.From), itoa(r.To), r.CIDRv4, r.CIDRv6, r.PrefixList, r.GroupID}, "|")
}

// describe renders a rule the way EC2's duplicate message does.
func (r *sgRule) describe() string {
	peer := r.CIDRv4 + r.CIDRv6 + r.PrefixList
	if r.GroupID != "" {
		peer = r.GroupID
	}
	return "peer: " + peer + ", " + strings.ToUpper(r.Protocol) + ", from port: " + itoa(r.From) + ", to port: " + itoa(r.To) + ", ALLOW"
}

// expandPermissions turns IpPermissions into one rule per peer.
func (e *env) expandPermissions(g *securityGroup, egress bool, perms []types.IpPermission) ([]*sgRule, error) {
	var out []*sgRule
	for _, p := range perms {
		rules, err := e.expandPermission(g, egress, p)
		if err != nil {
			return nil, err
		}
		out = append(out, rules...)
	}
	if len(out) == 0 {
		return nil, missingParameter("ipPermissions")
	}
	return out, nil
}

// expandPermission turns one IpPermission into rules, one per peer.
func (e *env) expandPermission(g *securityGroup, egress bool, p types.IpPermission) ([]*sgRule, error) {
	base, err := ruleBase(egress, p)
	if err != nil {
		return nil, err
	}
	peers, err := cidrPeers(p)
	if err != nil {
		return nil, err
	}
	groups, err := e.groupPeers(g, p)
	if err != nil {
		return nil, err
	}
	peers = append(peers, groups...)
	if len(peers) == 0 {
		return nil, missingParameter("ipPermissions.ipRanges, ipv6Ranges, prefixListIds or groups")
	}
	out := make([]*sgRule, 0, len(peers))
	for _, peer := range peers {
		r := *base
		r.CIDRv4, r.CIDRv6, r.PrefixList, r.GroupID, r.UserID, r.Description = peer.cidrV4, peer.cidrV6, peer.prefixList, peer.groupID, peer.userID, peer.description
		out = append(out, &r)
	}
	return out, nil
}

// peer is the other side of one rule: exactly one of its first four
// fields is set.
type peer struct {
	cidrV4, cidrV6, prefixList, groupID, userID, description string
}

// cidrPeers returns the IPv4, IPv6 and prefix list peers of a permission.
func cidrPeers(p types.IpPermission) ([]peer, error) {
	var out []peer
	for _, ip := range p.IpRanges {
		c, err := ruleCIDR(aws.ToString(ip.CidrIp), false)
		if err != nil {
			return nil, err
		}
		out = append(out, peer{cidrV4: c, description: aws.ToString(ip.Description)})
	}
	for _, ip := range p.Ipv6Ranges {
		c, err := ruleCIDR(aws.ToString(ip.CidrIpv6), true)
		if err != nil {
			return nil, err
		}
		out = append(out, peer{cidrV6: c, description: aws.ToString(ip.Description)})
	}
	for _, pl := range p.PrefixListIds {
		id := aws.ToString(pl.PrefixListId)
		if !strings.HasPrefix(id, "pl-") {
			return nil, api.Errorf("InvalidPrefixListId.Malformed", "The prefix list ID '%s' is malformed", id)
		}
		out = append(out, peer{prefixList: id, description: aws.ToString(pl.Description)})
	}
	return out, nil
}

// groupPeers returns the security group peers of a permission.
func (e *env) groupPeers(g *securityGroup, p types.IpPermission) ([]peer, error) {
	var out []peer
	for _, pair := range p.UserIdGroupPairs {
		ref, err := e.referencedGroup(g, pair)
		if err != nil {
			return nil, err
		}
		user := aws.ToString(pair.UserId)
		if user == "" {
			user = e.call.AccountID
		}
		out = append(out, peer{groupID: ref, userID: user, description: aws.ToString(pair.Description)})
	}
	return out, nil
}

// ruleBase checks a permission's protocol and ports and returns a rule
// with them and no peer.
func ruleBase(egress bool, p types.IpPermission) (*sgRule, error) {
	proto, err := normalizeProtocol(aws.ToString(p.IpProtocol))
	if err != nil {
		return nil, err
	}
	r := &sgRule{Egress: egress, Protocol: proto, From: -1, To: -1}
	if !hasPorts(proto) {
		return r, nil
	}
	if p.FromPort == nil || p.ToPort == nil {
		if proto == "tcp" || proto == "udp" {
			return nil, api.Errorf("InvalidParameterValue", "Invalid value for portRange. Must specify both from and to ports with TCP/UDP.")
		}
		return r, nil
	}
	r.From, r.To = *p.FromPort, *p.ToPort
	if err := checkPorts(proto, r.From, r.To); err != nil {
		return nil, err
	}
	return r, nil
}

// checkPorts answers InvalidParameterValue for an impossible port range
// (or ICMP type and code).
func checkPorts(proto string, from, to int32) error {
	if proto == "icmp" || proto == "icmpv6" {
		if from < -1 || from > 255 || to < -1 || to > 255 {
			return api.Errorf("InvalidParameterValue", "Invalid value '%d' for icmp type or code.", from)
		}
		return nil
	}
	if from < 0 || to > 65535 || from > to {
		return api.Errorf("InvalidParameterValue", "Invalid port range: from port %d must be at most to port %d and both within 0-65535.", from, to)
	}
	return nil
}

// ruleCIDR checks a rule's CIDR block.
func ruleCIDR(c string, v6 bool) (string, error) {
	p, err := netip.ParsePrefix(c)
	if err != nil || p.Addr().Is4() == v6 {
		param := "cidrIp"
		if v6 {
			param = "cidrIpv6"
		}
		return "", invalidValue(param, c, "CIDR block "+c+" is malformed")
	}
	return c, nil
}

// referencedGroup resolves the group a UserIdGroupPair names: by id, or by
// name within g's VPC.
func (e *env) referencedGroup(g *securityGroup, pair types.UserIdGroupPair) (string, error) {
	if id := aws.ToString(pair.GroupId); id != "" {
		ref, err := lookup(kindSecurityGroup, e.r.SecurityGroups, id)
		if err != nil {
			return "", err
		}
		return ref.ID, nil
	}
	if name := aws.ToString(pair.GroupName); name != "" {
		if ref := e.groupByName(g.VPCID, name); ref != nil {
			return ref.ID, nil
		}
		return "", api.Errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in VPC '%s'", name, g.VPCID)
	}
	return "", missingParameter("groupId")
}

// legacyPermission builds the permission of the top-level (pre
// IpPermissions) request form, nil when it is not used.
func legacyPermission(proto *string, from, to *int32, cidr, sourceGroup *string) *types.IpPermission {
	if proto == nil && cidr == nil && sourceGroup == nil {
		return nil
	}
	p := types.IpPermission{IpProtocol: proto, FromPort: from, ToPort: to}
	if proto == nil {
		p.IpProtocol = aws.String("-1")
	}
	if cidr != nil {
		p.IpRanges = []types.IpRange{{CidrIp: cidr}}
	}
	if sourceGroup != nil {
		p.UserIdGroupPairs = []types.UserIdGroupPair{{GroupName: sourceGroup}}
	}
	return &p
}

// ruleRequest resolves the group an authorize or revoke call names (by
// id, or by name for the ingress calls) and the permissions it asks for:
// perms, then the rule the legacy single-rule parameters describe, if any.
func (e *env) ruleRequest(id, name *string, perms []types.IpPermission, legacy *types.IpPermission) (*securityGroup, []types.IpPermission, error) {
	g, err := e.group(id, name)
	if err != nil {
		return nil, nil, err
	}
	if legacy != nil {
		perms = append(perms, *legacy)
	}
	return g, perms, nil
}

// authorize adds rules to g after checking for duplicates and the quota.
func (e *env) authorize(g *securityGroup, egress bool, perms []types.IpPermission, specs []types.TagSpecification) ([]types.SecurityGroupRule, error) {
	rules, err := e.expandPermissions(g, egress, perms)
	if err != nil {
		return nil, err
	}
	tags, err := tagSpecs(specs, "security-group-rule")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, r := range g.Rules {
		seen[r.key()] = true
	}
	for _, r := range rules {
		if seen[r.key()] {
			return nil, api.Errorf("InvalidPermission.Duplicate", "the specified rule \"%s\" already exists", r.describe())
		}
		seen[r.key()] = true
	}
	if len(g.rules(egress))+len(rules) > maxRulesPerDirection {
		return nil, api.Errorf("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.")
	}
	out := []types.SecurityGroupRule{}
	for _, r := range rules {
		r.ID = api.NewID("sgr")
		r.Tags = copyTags(tags)
		g.Rules = append(g.Rules, r)
		out = append(out, e.sdkRule(g, r))
	}
	return out, nil
}

// authorizeSecurityGroupIngress adds inbound rules.
func authorizeSecurityGroupIngress(e *env, in *ec2.AuthorizeSecurityGroupIngressInput) (*ec2.AuthorizeSecurityGroupIngressOutput, error) {
	legacy := legacyPermission(in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp, in.SourceSecurityGroupName)
	g, perms, err := e.ruleRequest(in.GroupId, in.GroupName, in.IpPermissions, legacy)
	if err != nil {
		return nil, err
	}
	rules, err := e.authorize(g, false, perms, in.TagSpecifications)
	if err != nil {
		return nil, err
	}
	return &ec2.AuthorizeSecurityGroupIngressOutput{Return: aws.Bool(true), SecurityGroupRules: rules}, nil
}

// authorizeSecurityGroupEgress adds outbound rules.
func authorizeSecurityGroupEgress(e *env, in *ec2.AuthorizeSecurityGroupEgressInput) (*ec2.AuthorizeSecurityGroupEgressOutput, error) {
	legacy := legacyPermission(in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp, in.SourceSecurityGroupName)
	g, perms, err := e.ruleRequest(in.GroupId, nil, in.IpPermissions, legacy)
	if err != nil {
		return nil, err
	}
	rules, err := e.authorize(g, true, perms, in.TagSpecifications)
	if err != nil {
		return nil, err
	}
	return &ec2.AuthorizeSecurityGroupEgressOutput{Return: aws.Bool(true), SecurityGroupRules: rules}, nil
}

// revoke removes rules from g, named by rule id or by permission. Every
// rule must exist, or nothing is removed.
func (e *env) revoke(g *securityGroup, egress bool, ids []string, perms []types.IpPermission) ([]types.RevokedSecurityGroupRule, error) {
	victims, err := e.revokeTargets(g, egress, ids, perms)
	if err != nil {
		return nil, err
	}
	gone := map[*sgRule]bool{}
	out := []types.RevokedSecurityGroupRule{}
	for _, r := range victims {
		gone[r] = true
		out = append(out, revoked(g, r))
	}
	kept := g.Rules[:0]
	for _, r := range g.Rules {
		if !gone[r] {
			kept = append(kept, r)
		}
	}
	g.Rules = kept
	return out, nil
}

// revokeTargets finds the rules a revoke request names.
func (e *env) revokeTargets(g *securityGroup, egress bool, ids []string, perms []types.IpPermission) ([]*sgRule, error) {
	if len(ids) > 0 {
		return ruleIDsIn(g, egress, ids)
	}
	want, err := e.expandPermissions(g, egress, perms)
	if err != nil {
		return nil, err
	}
	byKey := map[string]*sgRule{}
	for _, r := range g.rules(egress) {
		byKey[r.key()] = r
	}
	var out []*sgRule
	for _, w := range want {
		r, ok := byKey[w.key()]
		if !ok {
			return nil, api.Errorf("InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
		}
		out = append(out, r)
	}
	return out, nil
}

// ruleIDsIn returns g's rules of the direction with the ids.
func ruleIDsIn(g *securityGroup, egress bool, ids []string) ([]*sgRule, error) {
	var out []*sgRule
	for _, id := range ids {
		if err := kindRule.check(id); err != nil {
			return nil, err
		}
		var found *sgRule
		for _, r := range g.rules(egress) {
			if r.ID == id {
				found = r
			}
		}
		if found == nil {
			return nil, api.Errorf("InvalidSecurityGroupRuleId.NotFound", "The security group rule ID '%s' does not exist", id)
		}
		out = append(out, found)
	}
	return out, nil
}

func revoked(g *securityGroup, r *sgRule) types.RevokedSecurityGroupRule {
	out := types.RevokedSecurityGroupRule{
		SecurityGroupRuleId: aws.String(r.ID), GroupId: aws.String(g.ID), IsEgress: aws.Bool(r.Egress),
		IpProtocol: aws.String(r.Protocol), FromPort: aws.Int32(r.From), ToPort: aws.Int32(r.To),
		CidrIpv4: optional(r.CIDRv4), CidrIpv6: optional(r.CIDRv6), PrefixListId: optional(r.PrefixList),
		ReferencedGroupId: optional(r.GroupID), Description: optional(r.Description),
	}
	return out
}

// revokeSecurityGroupIngress removes inbound rules.
func revokeSecurityGroupIngress(e *env, in *ec2.RevokeSecurityGroupIngressInput) (*ec2.RevokeSecurityGroupIngressOutput, error) {
	legacy := legacyPermission(in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp, in.SourceSecurityGroupName)
	g, perms, err := e.ruleRequest(in.GroupId, in.GroupName, in.IpPermissions, legacy)
	if err != nil {
		return nil, err
	}
	rules, err := e.revoke(g, false, in.SecurityGroupRuleIds, perms)
	if err != nil {
		return nil, err
	}
	return &ec2.RevokeSecurityGroupIngressOutput{Return: aws.Bool(true), RevokedSecurityGroupRules: rules}, nil
}

// revokeSecurityGroupEgress removes outbound rules.
func revokeSecurityGroupEgress(e *env, in *ec2.RevokeSecurityGroupEgressInput) (*ec2.RevokeSecurityGroupEgressOutput, error) {
	legacy := legacyPermission(in.IpProtocol, in.FromPort, in.ToPort, in.CidrIp, in.SourceSecurityGroupName)
	g, perms, err := e.ruleRequest(in.GroupId, nil, in.IpPermissions, legacy)
	if err != nil {
		return nil, err
	}
	rules, err := e.revoke(g, true, in.SecurityGroupRuleIds, perms)
	if err != nil {
		return nil, err
	}
	return &ec2.RevokeSecurityGroupEgressOutput{Return: aws.Bool(true), RevokedSecurityGroupRules: rules}, nil
}

func (e *env) sdkRule(g *securityGroup, r *sgRule) types.SecurityGroupRule {
	out := types.SecurityGroupRule{
		SecurityGroupRuleId:  aws.String(r.ID),
		SecurityGroupRuleArn: aws.String(arn(e.call.Region, e.call.AccountID, kindRule, r.ID)),
		GroupId:              aws.String(g.ID),
		GroupOwnerId:         aws.String(e.call.AccountID),
		IsEgress:             aws.Bool(r.Egress),
		IpProtocol:           aws.String(r.Protocol),
		FromPort:             aws.Int32(r.From),
		ToPort:               aws.Int32(r.To),
		CidrIpv4:             optional(r.CIDRv4),
		CidrIpv6:             optional(r.CIDRv6),
		PrefixListId:         optional(r.PrefixList),
		Description:          optional(r.Description),
		Tags:                 sdkTags(r.Tags),
	}
	if r.GroupID != "" {
		out.ReferencedGroupInfo = &types.ReferencedSecurityGroup{GroupId: aws.String(r.GroupID), UserId: aws.String(r.UserID)}
	}
	return out
}

// findRule returns the rule with the id and its group, nils if none.
func (r *Region) findRule(id string) (*securityGroup, *sgRule) {
	for _, g := range r.SecurityGroups {
		for _, rule := range g.Rules {
			if rule.ID == id {
				return g, rule
			}
		}
	}
	return nil, nil
}

// groupRule is a rule with its group, the unit DescribeSecurityGroupRules
// lists.
type groupRule struct {
	g *securityGroup
	r *sgRule
}

var ruleFilters = filterSet[groupRule]{
	fields: fields[groupRule]{
		"group-id":               func(x groupRule) []string { return one(x.g.ID) },
		"security-group-rule-id": func(x groupRule) []string { return one(x.r.ID) },
	},
	tags: func(x groupRule) map[string]string { return x.r.Tags },
}

// describeSecurityGroupRules lists rules by id, filters and page.
func describeSecurityGroupRules(e *env, in *ec2.DescribeSecurityGroupRulesInput) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	all, err := e.selectRules(in.SecurityGroupRuleIds)
	if err != nil {
		return nil, err
	}
	all, err = ruleFilters.apply(all, in.Filters)
	if err != nil {
		return nil, err
	}
	page, next, err := paginate(all, func(x groupRule) string { return x.r.ID }, in.MaxResults, in.NextToken, bounds5to1000)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeSecurityGroupRulesOutput{NextToken: next, SecurityGroupRules: []types.SecurityGroupRule{}}
	for _, x := range page {
		out.SecurityGroupRules = append(out.SecurityGroupRules, e.sdkRule(x.g, x.r))
	}
	return out, nil
}

// selectRules returns the rules with the ids (all when none), sorted by id.
func (e *env) selectRules(ids []string) ([]groupRule, error) {
	byID := map[string]groupRule{}
	for _, g := range e.r.SecurityGroups {
		for _, r := range g.Rules {
			byID[r.ID] = groupRule{g: g, r: r}
		}
	}
	return selectIDs(kindRule, byID, ids)
}
