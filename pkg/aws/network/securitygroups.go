package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// securityGroupKind describes ec2:security-group. Its rules, the rules
// of other groups that name it as their source, and the clusters, load
// balancers and services using it refer to it, so they go first. A
// retried CreateSecurityGroup fails on the group's unique name, and
// Create adopts the group tagged for the address.
var securityGroupKind = resource.Descriptor{
	Kind:         resource.KindSecurityGroup,
	TaggingTypes: []string{"ec2:security-group"},
	References:   []resource.Reference{{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Fields: resource.Fields{
		propVPCID:       {ForcesReplace: true, Reason: "a security group cannot move to another VPC"},
		propGroupName:   {ForcesReplace: true, Reason: "a security group's name cannot change"},
		propDescription: {ForcesReplace: true, Reason: "a security group's description cannot change"},
	},
	UniqueBy: []string{propVPCID, propGroupName},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateSecurityGroup"}, Idempotent: true},
}

// SecurityGroupHandler manages security groups.
type SecurityGroupHandler struct{ fixed }

var (
	_ resource.Handler = (*SecurityGroupHandler)(nil)
	_ resource.Tagger  = (*SecurityGroupHandler)(nil)
	_ resource.Finder  = (*SecurityGroupHandler)(nil)
)

// Create makes the group, tagged at creation, without the allow-all egress
// rule EC2 gives every new VPC security group (kcstack's groups allow the
// egress their rules name, nothing more); a group of that name already
// tagged for this address (an earlier ambiguous create) is adopted, and
// loses that rule too.
func (h *SecurityGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	ob, err := h.create(ctx, d)
	if err != nil {
		return ob, err
	}
	return ob, h.revokeDefaultEgress(ctx, ob.ID)
}

// defaultEgress is the rule EC2 adds to every new VPC security group.
var defaultEgress = types.IpPermission{IpProtocol: aws.String("-1"), IpRanges: []types.IpRange{{CidrIp: aws.String(defaultDestination)}}}

// revokeDefaultEgress revokes defaultEgress from group id; already gone
// is success.
func (h *SecurityGroupHandler) revokeDefaultEgress(ctx context.Context, id string) error {
	_, err := h.api.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{defaultEgress}})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("revoke the default egress rule of security group %s: %w", id, err)
	}
	return nil
}

// create makes or adopts the group.
func (h *SecurityGroupHandler) create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	vpc, name, desc := r.String(propVPCID), r.String(propGroupName), r.String(propDescription)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		VpcId: aws.String(vpc), GroupName: aws.String(name),
		Description: aws.String(desc), TagSpecifications: tagSpec(types.ResourceTypeSecurityGroup, d.Tags),
	})
	if awserr.Is(err, "InvalidGroup.Duplicate") {
		if ob, ferr := h.FindByAddress(ctx, h.stack, d.Address); ferr == nil && ob.Exists {
			return ob, nil
		}
		return resource.Observation{}, fmt.Errorf("security group %s already exists in %s and is not tagged for this stack; rename it or remove it: %w", name, vpc, err)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create security group %s: %w", name, err)
	}
	return observed(resource.KindSecurityGroup, d.Address, aws.ToString(out.GroupId), d.Tags, h.stack, resource.Props{
		propVPCID: vpc, propGroupName: name, propDescription: desc,
	}, nil), nil
}

// Delete removes the group once nothing (a deleted database's interfaces)
// uses it.
func (h *SecurityGroupHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "security group "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the group tagged with the stack and address.
func (h *SecurityGroupHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: addressFilters(stack, address)})
	return foundByAddress(securityGroupKind.Kind, address, err, func() []types.SecurityGroup { return out.SecurityGroups }, func(x types.SecurityGroup) resource.Observation {
		return sgObservation(x, stack)
	})
}

// sgObservation is the observation of g at its address tag.
func sgObservation(g types.SecurityGroup, stack string) resource.Observation {
	tags := tagMap(g.Tags)
	return observed(resource.KindSecurityGroup, tags[resource.TagAddress], aws.ToString(g.GroupId), tags, stack, resource.Props{
		propVPCID: aws.ToString(g.VpcId), propGroupName: aws.ToString(g.GroupName), propDescription: aws.ToString(g.Description),
	}, nil)
}

// replacedRule is the Field of every prop of a rule.
var replacedRule = resource.Field{ForcesReplace: true, Reason: "kcstack replaces a rule instead of editing it"}

// ruleKind describes ec2:security-group-rule, ingress and egress. Rules
// are tagged (by their sgr- ids) and read with DescribeSecurityGroupRules
// filtered by the ids of the stack's groups (so that rules on them the
// stack file does not name are read too, and deleted); the tagging API
// lists them under ec2:security-group-rule. A retried authorize fails as
// a duplicate, and Create adopts the identical rule.
var ruleKind = resource.Descriptor{
	Kind:         resource.KindSecurityGroupRule,
	TaggingTypes: []string{"ec2:security-group-rule"},
	References: []resource.Reference{
		{Prop: propGroupID, Kind: resource.KindSecurityGroup, Attr: "id"},
		{Prop: propSourceGroupID, Kind: resource.KindSecurityGroup, Attr: "id"},
	},
	Fields: resource.Fields{
		propGroupID: replacedRule, propType: replacedRule, propProtocol: replacedRule, propFromPort: replacedRule,
		propToPort: replacedRule, propCIDRIPv4: replacedRule, propSourceGroupID: replacedRule, propDescription: replacedRule,
	},
	// EC2 keeps one rule per group, direction, protocol, ports and source.
	UniqueBy: []string{propGroupID, propType, propProtocol, propFromPort, propToPort, propCIDRIPv4, propSourceGroupID},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"}, Idempotent: true},
}

// RuleHandler manages security group rules. Props: group_id, type
// (ingress or egress), protocol, from_port, to_port, description, and the
// other end of the rule: cidr_ipv4 or source_group_id (the group traffic
// comes from, for ingress; goes to, for egress).
type RuleHandler struct{ fixed }

var (
	_ resource.Handler = (*RuleHandler)(nil)
	_ resource.Tagger  = (*RuleHandler)(nil)
	_ resource.Finder  = (*RuleHandler)(nil)
)

// Rule directions, the values of the type prop.
const (
	ruleIngress = "ingress"
	ruleEgress  = "egress"
)

// ruleSpec is a desired rule: to or from a CIDR or a group.
type ruleSpec struct {
	group, protocol, description string
	egress                       bool
	from, to                     int32
	cidr, source                 string
}

// readRule reads a desired rule's resolved props.
func readRule(p resource.Props) (ruleSpec, error) {
	r := resource.Read(p)
	typ := r.String(propType)
	s := ruleSpec{
		group: r.String(propGroupID), protocol: r.String(propProtocol), description: r.OptString(propDescription),
		egress: typ == ruleEgress, from: int32(r.Int(propFromPort)), to: int32(r.Int(propToPort)),
		cidr: r.OptString(propCIDRIPv4), source: r.OptString(propSourceGroupID),
	}
	if err := r.Err(); err != nil {
		return s, err
	}
	if typ != ruleIngress && typ != ruleEgress {
		return s, fmt.Errorf("%s is %q, want %s or %s", propType, typ, ruleIngress, ruleEgress)
	}
	return s, nil
}

// Create authorizes the rule, tagged at creation. An identical untagged
// rule (made by hand, or by an ambiguous earlier call) is tagged and adopted.
func (h *RuleHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	s, err := readRule(d.Props)
	if err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	rules, err := h.authorize(ctx, s, tagSpec(types.ResourceTypeSecurityGroupRule, d.Tags))
	if awserr.Is(err, "InvalidPermission.Duplicate") {
		return h.adopt(ctx, d, s)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("authorize %s on %s: %w", d.Name, s.group, err)
	}
	if len(rules) == 0 {
		return resource.Observation{}, fmt.Errorf("authorize %s on %s: AWS returned no rule", d.Name, s.group)
	}
	return ruleObservation(rules[0], d.Address, h.stack), nil
}

// authorize adds s to its group, in its direction.
func (h *RuleHandler) authorize(ctx context.Context, s ruleSpec, tags []types.TagSpecification) ([]types.SecurityGroupRule, error) {
	perms := []types.IpPermission{permission(s)}
	if s.egress {
		out, err := h.api.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(s.group), IpPermissions: perms, TagSpecifications: tags})
		if err != nil {
			return nil, err
		}
		return out.SecurityGroupRules, nil
	}
	out, err := h.api.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(s.group), IpPermissions: perms, TagSpecifications: tags})
	if err != nil {
		return nil, err
	}
	return out.SecurityGroupRules, nil
}

// permission is the rule's IpPermission: to or from a CIDR or a group.
func permission(s ruleSpec) types.IpPermission {
	perm := types.IpPermission{IpProtocol: aws.String(s.protocol), FromPort: aws.Int32(s.from), ToPort: aws.Int32(s.to)}
	desc := aws.String(s.description)
	if s.source != "" {
		perm.UserIdGroupPairs = []types.UserIdGroupPair{{GroupId: aws.String(s.source), Description: desc}}
		return perm
	}
	perm.IpRanges = []types.IpRange{{CidrIp: aws.String(s.cidr), Description: desc}}
	return perm
}

// adopt tags and returns the existing rule identical to s.
func (h *RuleHandler) adopt(ctx context.Context, d resource.Desired, s ruleSpec) (resource.Observation, error) {
	out, err := h.api.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []types.Filter{filter("group-id", s.group)}})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("find existing rule %s on %s: %w", d.Name, s.group, err)
	}
	for _, r := range out.SecurityGroupRules {
		if !sameRule(r, s) {
			continue
		}
		id := aws.ToString(r.SecurityGroupRuleId)
		if _, err := h.api.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: toTags(d.Tags)}); err != nil {
			return resource.Observation{}, fmt.Errorf("tag existing rule %s: %w", id, err)
		}
		r.Tags = toTags(d.Tags)
		return ruleObservation(r, d.Address, h.stack), nil
	}
	return resource.Observation{}, fmt.Errorf("rule %s on %s is reported duplicate but was not found; run again", d.Name, s.group)
}

// sameRule reports whether an existing rule is the desired one.
func sameRule(r types.SecurityGroupRule, s ruleSpec) bool {
	source := ""
	if r.ReferencedGroupInfo != nil {
		source = aws.ToString(r.ReferencedGroupInfo.GroupId)
	}
	return aws.ToBool(r.IsEgress) == s.egress && aws.ToString(r.IpProtocol) == s.protocol &&
		aws.ToString(r.CidrIpv4) == s.cidr && source == s.source &&
		aws.ToInt32(r.FromPort) == s.from && aws.ToInt32(r.ToPort) == s.to
}

// Delete revokes the rule by its id, in its direction.
func (h *RuleHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := resource.Read(o.Props)
	group, typ := r.String(propGroupID), r.String(propType)
	if err := r.Err(); err != nil {
		return fmt.Errorf("rule %s as observed: %w", o.ID, err)
	}
	var err error
	if typ == ruleEgress {
		_, err = h.api.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(group), SecurityGroupRuleIds: []string{o.ID}})
	} else {
		_, err = h.api.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(group), SecurityGroupRuleIds: []string{o.ID}})
	}
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("revoke rule %s: %w", o.ID, err)
	}
	return nil
}

// FindByAddress finds the rule tagged with the stack and address.
func (h *RuleHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: addressFilters(stack, address)})
	return foundByAddress(ruleKind.Kind, address, err, func() []types.SecurityGroupRule { return out.SecurityGroupRules }, func(x types.SecurityGroupRule) resource.Observation {
		return ruleObservation(x, address, stack)
	})
}

// ruleObservation is the observation of r at address.
func ruleObservation(r types.SecurityGroupRule, address, stack string) resource.Observation {
	typ := ruleIngress
	if aws.ToBool(r.IsEgress) {
		typ = ruleEgress
	}
	props := resource.Props{
		propGroupID: aws.ToString(r.GroupId), propType: typ, propProtocol: aws.ToString(r.IpProtocol),
		propFromPort: int64(aws.ToInt32(r.FromPort)), propToPort: int64(aws.ToInt32(r.ToPort)),
		propCIDRIPv4: aws.ToString(r.CidrIpv4), propDescription: aws.ToString(r.Description),
	}
	if r.ReferencedGroupInfo != nil {
		props[propSourceGroupID] = aws.ToString(r.ReferencedGroupInfo.GroupId)
	}
	return observed(resource.KindSecurityGroupRule, address, aws.ToString(r.SecurityGroupRuleId), tagMap(r.Tags), stack, props, nil)
}

// groupRuleObservation observes a rule read on one of the stack's groups
// (groups: their ids → addresses): at its address tag when it carries the
// stack's tags; otherwise it is a rule the stack file does not name (added
// by hand, or a default egress rule), at an address of its own under its
// group's, the stack's through the group (Parent), so the plan deletes it.
func groupRuleObservation(r types.SecurityGroupRule, groups map[string]string, stack string) resource.Observation {
	tags := tagMap(r.Tags)
	if tags[resource.TagStack] == stack && tags[resource.TagAddress] != "" {
		return ruleObservation(r, tags[resource.TagAddress], stack)
	}
	group := groups[aws.ToString(r.GroupId)]
	ob := ruleObservation(r, unknownRuleAddress(group, aws.ToString(r.SecurityGroupRuleId)), stack)
	ob.Owned, ob.Parent = true, group
	return ob
}

// unknownRuleAddress is the address of rule id, not named by the stack
// file, on the group at address group.
func unknownRuleAddress(group, id string) string {
	return group + ".rule[" + id + "]"
}
