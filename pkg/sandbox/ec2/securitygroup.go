package ec2

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// newSecurityGroup returns a group of the VPC that, like every new EC2
// group, allows all outbound IPv4 traffic.
func newSecurityGroup(vpcID, name, description string, tags map[string]string) *securityGroup {
	return &securityGroup{
		ID: api.NewID("sg"), VPCID: vpcID, Name: name, Description: description, Tags: tags,
		Rules: []*sgRule{{ID: api.NewID("sgr"), Egress: true, Protocol: "-1", From: -1, To: -1, CIDRv4: "0.0.0.0/0"}},
	}
}

// createSecurityGroup creates a security group with a name unique in its
// VPC. The sandbox has no default VPC, so a VPC id is required.
func createSecurityGroup(e *env, in *ec2.CreateSecurityGroupInput) (*ec2.CreateSecurityGroupOutput, error) {
	name, err := required("GroupName", in.GroupName)
	if err != nil {
		return nil, err
	}
	desc, err := required("GroupDescription", in.Description)
	if err != nil {
		return nil, err
	}
	if in.VpcId == nil {
		return nil, api.Errorf("VPCIdNotSpecified", "No default VPC for this user")
	}
	v, err := lookup(kindVPC, e.r.VPCs, *in.VpcId)
	if err != nil {
		return nil, err
	}
	if err := e.checkGroupName(v.ID, name); err != nil {
		return nil, err
	}
	if len(desc) > 255 {
		return nil, invalidValue("GroupDescription", desc, "Length must be at most 255 characters.")
	}
	tags, err := tagSpecs(in.TagSpecifications, "security-group")
	if err != nil {
		return nil, err
	}
	g := newSecurityGroup(v.ID, name, desc, tags)
	e.r.SecurityGroups[g.ID] = g
	return &ec2.CreateSecurityGroupOutput{
		GroupId:          aws.String(g.ID),
		SecurityGroupArn: aws.String(arn(e.call.Region, e.call.AccountID, kindSecurityGroup, g.ID)),
		Tags:             sdkTags(g.Tags),
	}, nil
}

// checkGroupName answers EC2's errors for a reserved, malformed or taken
// group name.
func (e *env) checkGroupName(vpcID, name string) error {
	switch {
	case name == "default":
		return api.Errorf("InvalidGroup.Reserved", "The security group 'default' is reserved")
	case strings.HasPrefix(strings.ToLower(name), "sg-"):
		return invalidValue("GroupName", name, "Group names may not be in the format sg-*.")
	case len(name) > 255:
		return invalidValue("GroupName", name, "Length must be at most 255 characters.")
	}
	if e.groupByName(vpcID, name) != nil {
		return api.Errorf("InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, vpcID)
	}
	return nil
}

// groupByName returns the VPC's group with the name, nil if none.
func (e *env) groupByName(vpcID, name string) *securityGroup {
	for _, g := range e.r.SecurityGroups {
		if g.VPCID == vpcID && g.Name == name {
			return g
		}
	}
	return nil
}

// group resolves a group named by id, or by name, which EC2 resolves only
// in the default VPC — which the sandbox does not have.
func (e *env) group(id, name *string) (*securityGroup, error) {
	if aws.ToString(id) != "" {
		return lookup(kindSecurityGroup, e.r.SecurityGroups, *id)
	}
	if aws.ToString(name) != "" {
		return nil, api.Errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC 'none'", *name)
	}
	return nil, missingParameter("groupId")
}

func (e *env) sdkSecurityGroup(g *securityGroup) types.SecurityGroup {
	return types.SecurityGroup{
		GroupId:             aws.String(g.ID),
		GroupName:           aws.String(g.Name),
		Description:         aws.String(g.Description),
		VpcId:               aws.String(g.VPCID),
		OwnerId:             aws.String(e.call.AccountID),
		SecurityGroupArn:    aws.String(arn(e.call.Region, e.call.AccountID, kindSecurityGroup, g.ID)),
		IpPermissions:       permissions(g.rules(false)),
		IpPermissionsEgress: permissions(g.rules(true)),
		Tags:                sdkTags(g.Tags),
	}
}

// rules returns g's ingress or egress rules in creation order.
func (g *securityGroup) rules(egress bool) []*sgRule {
	var out []*sgRule
	for _, r := range g.Rules {
		if r.Egress == egress {
			out = append(out, r)
		}
	}
	return out
}

// permissions folds rules into EC2's IpPermission form: one permission per
// protocol and port range, listing every peer.
func permissions(rules []*sgRule) []types.IpPermission {
	out := []types.IpPermission{}
	index := map[string]int{}
	for _, r := range rules {
		k := r.Protocol + "|" + itoa(r.From) + "|" + itoa(r.To)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, r.permission())
		}
		r.addPeer(&out[i])
	}
	return out
}

// permission returns an IpPermission with r's protocol and ports and no
// peers. EC2 omits the ports of rules that have none.
func (r *sgRule) permission() types.IpPermission {
	p := types.IpPermission{
		IpProtocol: aws.String(r.Protocol), IpRanges: []types.IpRange{}, Ipv6Ranges: []types.Ipv6Range{},
		PrefixListIds: []types.PrefixListId{}, UserIdGroupPairs: []types.UserIdGroupPair{},
	}
	if hasPorts(r.Protocol) {
		p.FromPort, p.ToPort = aws.Int32(r.From), aws.Int32(r.To)
	}
	return p
}

// addPeer appends r's peer to p.
func (r *sgRule) addPeer(p *types.IpPermission) {
	desc := optional(r.Description)
	switch {
	case r.CIDRv4 != "":
		p.IpRanges = append(p.IpRanges, types.IpRange{CidrIp: aws.String(r.CIDRv4), Description: desc})
	case r.CIDRv6 != "":
		p.Ipv6Ranges = append(p.Ipv6Ranges, types.Ipv6Range{CidrIpv6: aws.String(r.CIDRv6), Description: desc})
	case r.PrefixList != "":
		p.PrefixListIds = append(p.PrefixListIds, types.PrefixListId{PrefixListId: aws.String(r.PrefixList), Description: desc})
	default:
		p.UserIdGroupPairs = append(p.UserIdGroupPairs, types.UserIdGroupPair{GroupId: aws.String(r.GroupID), UserId: aws.String(r.UserID), Description: desc})
	}
}

// groupFilters lists the documented DescribeSecurityGroups filters. Rule
// filters match a group when any of its rules has the value.
func (e *env) groupFilters() filterSet[*securityGroup] {
	f := fields[*securityGroup]{
		"description": func(g *securityGroup) []string { return one(g.Description) },
		"group-id":    func(g *securityGroup) []string { return one(g.ID) },
		"group-name":  func(g *securityGroup) []string { return one(g.Name) },
		"vpc-id":      func(g *securityGroup) []string { return one(g.VPCID) },
	}
	for _, dir := range []struct {
		prefix string
		egress bool
	}{{"ip-permission.", false}, {"egress.ip-permission.", true}} {
		for name, get := range e.ruleFields() {
			f[dir.prefix+name] = ruleValues(dir.egress, get)
		}
	}
	return filterSet[*securityGroup]{fields: f, tags: func(g *securityGroup) map[string]string { return g.Tags }}
}

// ruleFields are the per-rule values the ip-permission.* filters match.
func (e *env) ruleFields() map[string]func(*sgRule) string {
	return map[string]func(*sgRule) string{
		"cidr":           func(r *sgRule) string { return r.CIDRv4 },
		"ipv6-cidr":      func(r *sgRule) string { return r.CIDRv6 },
		"prefix-list-id": func(r *sgRule) string { return r.PrefixList },
		"group-id":       func(r *sgRule) string { return r.GroupID },
		"user-id":        func(r *sgRule) string { return r.UserID },
		"protocol":       func(r *sgRule) string { return r.Protocol },
		"from-port":      func(r *sgRule) string { return itoa(r.From) },
		"to-port":        func(r *sgRule) string { return itoa(r.To) },
		"group-name": func(r *sgRule) string {
			if g := e.r.SecurityGroups[r.GroupID]; g != nil {
				return g.Name
			}
			return ""
		},
	}
}

func ruleValues(egress bool, get func(*sgRule) string) func(*securityGroup) []string {
	return func(g *securityGroup) []string {
		var out []string
		for _, r := range g.rules(egress) {
			if v := get(r); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
}

// describeSecurityGroups lists groups by id, filters and page.
func describeSecurityGroups(e *env, in *ec2.DescribeSecurityGroupsInput) (*ec2.DescribeSecurityGroupsOutput, error) {
	if len(in.GroupNames) > 0 {
		return nil, api.Errorf("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC 'none'", in.GroupNames[0])
	}
	q := query{ids: in.GroupIds, filters: in.Filters, max: in.MaxResults, token: in.NextToken, bounds: bounds5to1000}
	gs, next, err := describe(kindSecurityGroup, e.r.SecurityGroups, e.groupFilters().withOwner(e.call.AccountID), q, func(g *securityGroup) string { return g.ID }, e.sdkSecurityGroup)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeSecurityGroupsOutput{NextToken: next, SecurityGroups: gs}, nil
}

// deleteSecurityGroup deletes a group that is not the VPC's default, not
// referenced by another group's rules and not used by another service.
func deleteSecurityGroup(e *env, in *ec2.DeleteSecurityGroupInput) (*ec2.DeleteSecurityGroupOutput, error) {
	if aws.ToString(in.GroupId) == "" && aws.ToString(in.GroupName) == "" {
		return nil, api.Errorf("MissingParameter", "The request must contain the parameter groupName or groupId")
	}
	g, err := e.group(in.GroupId, in.GroupName)
	if err != nil {
		return nil, err
	}
	if g.Name == "default" {
		return nil, api.Errorf("CannotDelete", "the specified group: \"%s\" name: \"default\" cannot be deleted by a user", g.ID)
	}
	if e.groupReferenced(g.ID) || len(e.dependents(g.ID)) > 0 {
		return nil, api.Errorf("DependencyViolation", "resource %s has a dependent object", g.ID)
	}
	delete(e.r.SecurityGroups, g.ID)
	return &ec2.DeleteSecurityGroupOutput{Return: aws.Bool(true), GroupId: aws.String(g.ID)}, nil
}

// groupReferenced reports whether another group's rule references id.
func (e *env) groupReferenced(id string) bool {
	for _, other := range e.r.SecurityGroups {
		if other.ID == id {
			continue
		}
		for _, r := range other.Rules {
			if r.GroupID == id {
				return true
			}
		}
	}
	return false
}
