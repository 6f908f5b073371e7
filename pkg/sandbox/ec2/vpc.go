package ec2

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// createVPC creates a VPC with, as EC2 does, its main route table (holding
// the local route) and its default security group.
func createVPC(e *env, in *ec2.CreateVpcInput) (*ec2.CreateVpcOutput, error) {
	if in.Ipv4IpamPoolId != nil || aws.ToBool(in.AmazonProvidedIpv6CidrBlock) || in.Ipv6CidrBlock != nil {
		return nil, api.Errorf("UnsupportedOperation", "The sandbox supports IPv4 CIDR blocks only.")
	}
	if in.CidrBlock == nil {
		return nil, api.Errorf("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.")
	}
	p, err := parseCIDR("cidrBlock", *in.CidrBlock)
	if err != nil {
		return nil, err
	}
	if p.Bits() < 16 || p.Bits() > 28 {
		return nil, api.Errorf("InvalidVpc.Range", "The CIDR '%s' is invalid.", *in.CidrBlock)
	}
	tags, err := tagSpecs(in.TagSpecifications, "vpc")
	if err != nil {
		return nil, err
	}
	tenancy := string(in.InstanceTenancy)
	if tenancy == "" {
		tenancy = "default"
	}
	v := &vpc{
		ID: api.NewID("vpc"), CIDR: p.String(), CIDRAssocID: api.NewID("vpc-cidr-assoc"),
		Tenancy: tenancy, DNSSupport: true, Created: e.call.Now, Tags: tags,
	}
	e.r.VPCs[v.ID] = v
	e.addMainRouteTable(v)
	e.addDefaultSecurityGroup(v)
	out := e.sdkVPC(v)
	out.State = types.VpcStatePending
	return &ec2.CreateVpcOutput{Vpc: &out}, nil
}

// addMainRouteTable creates v's main route table.
func (e *env) addMainRouteTable(v *vpc) {
	rt := newRouteTable(v)
	rt.Associations = []*rtAssociation{{ID: api.NewID("rtbassoc"), Main: true}}
	e.r.RouteTables[rt.ID] = rt
}

// addDefaultSecurityGroup creates v's default security group: all traffic
// in from members of the group, all traffic out.
func (e *env) addDefaultSecurityGroup(v *vpc) {
	g := newSecurityGroup(v.ID, "default", "default VPC security group", nil)
	g.Rules = append(g.Rules, &sgRule{ID: api.NewID("sgr"), Protocol: "-1", From: -1, To: -1, GroupID: g.ID, UserID: e.call.AccountID})
	e.r.SecurityGroups[g.ID] = g
}

func (e *env) sdkVPC(v *vpc) types.Vpc {
	return types.Vpc{
		VpcId:     aws.String(v.ID),
		CidrBlock: aws.String(v.CIDR),
		CidrBlockAssociationSet: []types.VpcCidrBlockAssociation{{
			AssociationId:  aws.String(v.CIDRAssocID),
			CidrBlock:      aws.String(v.CIDR),
			CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated},
		}},
		DhcpOptionsId:           aws.String("default"),
		InstanceTenancy:         types.Tenancy(v.Tenancy),
		IsDefault:               aws.Bool(false),
		OwnerId:                 aws.String(e.call.AccountID),
		State:                   types.VpcStateAvailable,
		Tags:                    sdkTags(v.Tags),
		BlockPublicAccessStates: &types.BlockPublicAccessStates{InternetGatewayBlockMode: types.BlockPublicAccessModeOff},
	}
}

var vpcFilters = filterSet[*vpc]{
	fields: fields[*vpc]{
		"vpc-id":                                func(v *vpc) []string { return one(v.ID) },
		"cidr":                                  func(v *vpc) []string { return one(v.CIDR) },
		"cidr-block-association.cidr-block":     func(v *vpc) []string { return one(v.CIDR) },
		"cidr-block-association.association-id": func(v *vpc) []string { return one(v.CIDRAssocID) },
		"cidr-block-association.state":          func(*vpc) []string { return one("associated") },
		"dhcp-options-id":                       func(*vpc) []string { return one("default") },
		"is-default":                            func(*vpc) []string { return boolValue(false) },
		"state":                                 func(*vpc) []string { return one("available") },
	},
	tags: func(v *vpc) map[string]string { return v.Tags },
}

// describeVPCs lists VPCs by id, filters and page.
func describeVPCs(e *env, in *ec2.DescribeVpcsInput) (*ec2.DescribeVpcsOutput, error) {
	q := query{ids: in.VpcIds, filters: in.Filters, max: in.MaxResults, token: in.NextToken, bounds: bounds5to1000}
	vs, next, err := describe(kindVPC, e.r.VPCs, vpcFilters.withOwner(e.call.AccountID), q, func(v *vpc) string { return v.ID }, e.sdkVPC)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeVpcsOutput{NextToken: next, Vpcs: vs}, nil
}

// deleteVPC deletes a VPC that holds nothing but its main route table and
// default security group, which go with it. Peering connections of the
// VPC are deleted too.
func deleteVPC(e *env, in *ec2.DeleteVpcInput) (*ec2.DeleteVpcOutput, error) {
	v, err := lookupParam(kindVPC, e.r.VPCs, "VpcId", in.VpcId)
	if err != nil {
		return nil, err
	}
	if e.vpcInUse(v.ID) {
		return nil, dependencyViolation("vpc", v.ID)
	}
	for _, rt := range e.r.RouteTables {
		if rt.VPCID == v.ID {
			delete(e.r.RouteTables, rt.ID)
		}
	}
	for _, g := range e.r.SecurityGroups {
		if g.VPCID == v.ID {
			delete(e.r.SecurityGroups, g.ID)
		}
	}
	e.endPeeringsOf(v.ID)
	delete(e.r.VPCs, v.ID)
	return &ec2.DeleteVpcOutput{}, nil
}

// vpcInUse reports whether the VPC holds anything that blocks its
// deletion: subnets, non-main route tables, non-default security groups or
// an attached internet gateway.
func (e *env) vpcInUse(id string) bool {
	for _, s := range e.r.Subnets {
		if s.VPCID == id {
			return true
		}
	}
	for _, rt := range e.r.RouteTables {
		if rt.VPCID == id && !rt.isMain() {
			return true
		}
	}
	for _, g := range e.r.SecurityGroups {
		if g.VPCID == id && g.Name != "default" {
			return true
		}
	}
	for _, igw := range e.r.InternetGateways {
		if igw.VPCID == id {
			return true
		}
	}
	return false
}

// modifyVPCAttribute changes one DNS or metrics attribute of a VPC.
func modifyVPCAttribute(e *env, in *ec2.ModifyVpcAttributeInput) (*ec2.ModifyVpcAttributeOutput, error) {
	v, err := lookupParam(kindVPC, e.r.VPCs, "VpcId", in.VpcId)
	if err != nil {
		return nil, err
	}
	set := 0
	for _, a := range []*types.AttributeBooleanValue{in.EnableDnsSupport, in.EnableDnsHostnames, in.EnableNetworkAddressUsageMetrics} {
		if a != nil {
			set++
		}
	}
	if set != 1 {
		return nil, api.Errorf("InvalidParameterCombination", "Exactly one of enableDnsSupport, enableDnsHostnames and enableNetworkAddressUsageMetrics must be specified.")
	}
	switch {
	case in.EnableDnsSupport != nil:
		v.DNSSupport = aws.ToBool(in.EnableDnsSupport.Value)
	case in.EnableDnsHostnames != nil:
		v.DNSHostnames = aws.ToBool(in.EnableDnsHostnames.Value)
	default:
		v.NAUMetrics = aws.ToBool(in.EnableNetworkAddressUsageMetrics.Value)
	}
	return &ec2.ModifyVpcAttributeOutput{}, nil
}

// describeVPCAttribute reports one attribute of a VPC.
func describeVPCAttribute(e *env, in *ec2.DescribeVpcAttributeInput) (*ec2.DescribeVpcAttributeOutput, error) {
	id, err := required("VpcId", in.VpcId)
	if err != nil {
		return nil, err
	}
	if in.Attribute == "" {
		return nil, missingParameter("Attribute")
	}
	v, err := lookup(kindVPC, e.r.VPCs, id)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeVpcAttributeOutput{VpcId: aws.String(v.ID)}
	switch in.Attribute {
	case types.VpcAttributeNameEnableDnsSupport:
		out.EnableDnsSupport = &types.AttributeBooleanValue{Value: aws.Bool(v.DNSSupport)}
	case types.VpcAttributeNameEnableDnsHostnames:
		out.EnableDnsHostnames = &types.AttributeBooleanValue{Value: aws.Bool(v.DNSHostnames)}
	case types.VpcAttributeNameEnableNetworkAddressUsageMetrics:
		out.EnableNetworkAddressUsageMetrics = &types.AttributeBooleanValue{Value: aws.Bool(v.NAUMetrics)}
	default:
		return nil, invalidValue("attribute", string(in.Attribute), "Unknown attribute.")
	}
	return out, nil
}
