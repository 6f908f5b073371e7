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

// createSubnet creates a subnet inside its VPC's CIDR block that overlaps
// no other subnet of the VPC.
func createSubnet(e *env, in *ec2.CreateSubnetInput) (*ec2.CreateSubnetOutput, error) {
	vpcID, err := required("VpcId", in.VpcId)
	if err != nil {
		return nil, err
	}
	if in.Ipv4IpamPoolId != nil || in.Ipv6CidrBlock != nil || aws.ToBool(in.Ipv6Native) {
		return nil, api.Errorf("UnsupportedOperation", "The sandbox supports IPv4 CIDR blocks only.")
	}
	cidr, err := required("CidrBlock", in.CidrBlock)
	if err != nil {
		return nil, err
	}
	v, err := lookup(kindVPC, e.r.VPCs, vpcID)
	if err != nil {
		return nil, err
	}
	p, err := e.subnetRange(v, cidr)
	if err != nil {
		return nil, err
	}
	z, err := e.subnetZone(v, in)
	if err != nil {
		return nil, err
	}
	tags, err := tagSpecs(in.TagSpecifications, "subnet")
	if err != nil {
		return nil, err
	}
	s := &subnet{ID: api.NewID("subnet"), VPCID: v.ID, CIDR: p.String(), Zone: z.name, Tags: tags}
	e.r.Subnets[s.ID] = s
	out := e.sdkSubnet(s)
	return &ec2.CreateSubnetOutput{Subnet: &out}, nil
}

// subnetRange checks a new subnet's block: a valid /16 to /28 inside the
// VPC's block, overlapping no other subnet of the VPC.
func (e *env) subnetRange(v *vpc, cidr string) (netip.Prefix, error) {
	p, err := parseCIDR("cidrBlock", cidr)
	if err != nil {
		return p, err
	}
	vp := netip.MustParsePrefix(v.CIDR)
	if p.Bits() < 16 || p.Bits() > 28 || !contains(vp, p) {
		return p, api.Errorf("InvalidSubnet.Range", "The CIDR '%s' is invalid.", cidr)
	}
	for _, s := range sortedValues(e.r.Subnets) {
		if s.VPCID == v.ID && cidrOverlap(s.CIDR, p.String()) {
			return p, api.Errorf("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", cidr)
		}
	}
	return p, nil
}

// subnetZone picks the zone a new subnet asks for, or spreads subnets over
// the region's zones when it asks for none.
func (e *env) subnetZone(v *vpc, in *ec2.CreateSubnetInput) (zone, error) {
	name, id := aws.ToString(in.AvailabilityZone), aws.ToString(in.AvailabilityZoneId)
	if name == "" && id == "" {
		n := 0
		for _, s := range e.r.Subnets {
			if s.VPCID == v.ID {
				n++
			}
		}
		all := zones(e.call.Region)
		return all[n%len(all)], nil
	}
	z, ok := findZone(e.call.Region, name, id)
	if !ok {
		param, value := "availabilityZone", name
		if name == "" {
			param, value = "availabilityZoneId", id
		}
		return z, invalidValue(param, value, "Subnets can currently only be created in the following availability zones: "+zoneNames(e.call.Region)+".")
	}
	return z, nil
}

func zoneNames(region string) string {
	var names []string
	for _, z := range zones(region) {
		names = append(names, z.name)
	}
	return strings.Join(names, ", ")
}

func (e *env) sdkSubnet(s *subnet) types.Subnet {
	z, _ := findZone(e.call.Region, s.Zone, "")
	return types.Subnet{
		SubnetId:                    aws.String(s.ID),
		SubnetArn:                   aws.String(arn(e.call.Region, e.call.AccountID, kindSubnet, s.ID)),
		VpcId:                       aws.String(s.VPCID),
		CidrBlock:                   aws.String(s.CIDR),
		AvailabilityZone:            aws.String(s.Zone),
		AvailabilityZoneId:          aws.String(z.id),
		AvailableIpAddressCount:     aws.Int32(e.availableIPs(s)),
		DefaultForAz:                aws.Bool(false),
		MapPublicIpOnLaunch:         aws.Bool(s.MapPublicIP),
		MapCustomerOwnedIpOnLaunch:  aws.Bool(false),
		AssignIpv6AddressOnCreation: aws.Bool(false),
		EnableDns64:                 aws.Bool(false),
		Ipv6Native:                  aws.Bool(false),
		Ipv6CidrBlockAssociationSet: []types.SubnetIpv6CidrBlockAssociation{},
		OwnerId:                     aws.String(e.call.AccountID),
		State:                       types.SubnetStateAvailable,
		BlockPublicAccessStates:     &types.BlockPublicAccessStates{InternetGatewayBlockMode: types.BlockPublicAccessModeOff},
		PrivateDnsNameOptionsOnLaunch: &types.PrivateDnsNameOptionsOnLaunch{
			HostnameType: types.HostnameTypeIpName, EnableResourceNameDnsARecord: aws.Bool(false), EnableResourceNameDnsAAAARecord: aws.Bool(false),
		},
		Tags: sdkTags(s.Tags),
	}
}

// subnetFilters lists the documented DescribeSubnets filters, with the
// alternative names EC2 accepts.
func subnetFilters(e *env) filterSet[*subnet] {
	region, account := e.call.Region, e.call.AccountID
	zoneID := func(s *subnet) []string {
		z, _ := findZone(region, s.Zone, "")
		return one(z.id)
	}
	zoneName := func(s *subnet) []string { return one(s.Zone) }
	cidr := func(s *subnet) []string { return one(s.CIDR) }
	def := func(*subnet) []string { return boolValue(false) }
	return filterSet[*subnet]{
		fields: fields[*subnet]{
			"availability-zone":          zoneName,
			"availabilityZone":           zoneName,
			"availability-zone-id":       zoneID,
			"availabilityZoneId":         zoneID,
			"available-ip-address-count": func(s *subnet) []string { return one(strconv.Itoa(int(e.availableIPs(s)))) },
			"cidr-block":                 cidr,
			"cidr":                       cidr,
			"cidrBlock":                  cidr,
			"default-for-az":             def,
			"defaultForAz":               def,
			"map-public-ip-on-launch":    func(s *subnet) []string { return boolValue(s.MapPublicIP) },
			"ipv6-native":                func(*subnet) []string { return boolValue(false) },
			"state":                      func(*subnet) []string { return one("available") },
			"subnet-arn":                 func(s *subnet) []string { return one(arn(region, account, kindSubnet, s.ID)) },
			"subnet-id":                  func(s *subnet) []string { return one(s.ID) },
			"vpc-id":                     func(s *subnet) []string { return one(s.VPCID) },
		},
		tags: func(s *subnet) map[string]string { return s.Tags },
	}
}

// describeSubnets lists subnets by id, filters and page.
func describeSubnets(e *env, in *ec2.DescribeSubnetsInput) (*ec2.DescribeSubnetsOutput, error) {
	q := query{ids: in.SubnetIds, filters: in.Filters, max: in.MaxResults, token: in.NextToken, bounds: bounds5to1000}
	ss, next, err := describe(kindSubnet, e.r.Subnets, subnetFilters(e).withOwner(e.call.AccountID), q, func(s *subnet) string { return s.ID }, e.sdkSubnet)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeSubnetsOutput{NextToken: next, Subnets: ss}, nil
}

// deleteSubnet deletes a subnet that no other service uses. Its explicit
// route table association goes with it, as in EC2.
func deleteSubnet(e *env, in *ec2.DeleteSubnetInput) (*ec2.DeleteSubnetOutput, error) {
	s, err := lookupParam(kindSubnet, e.r.Subnets, "SubnetId", in.SubnetId)
	if err != nil {
		return nil, err
	}
	if e.liveNATIn(s.ID) || len(e.dependents(s.ID)) > 0 {
		return nil, dependencyViolation("subnet", s.ID)
	}
	for _, rt := range e.r.RouteTables {
		rt.Associations = dropAssociations(rt.Associations, func(a *rtAssociation) bool { return a.SubnetID == s.ID })
	}
	delete(e.r.Subnets, s.ID)
	return &ec2.DeleteSubnetOutput{}, nil
}

// modifySubnetAttribute sets MapPublicIpOnLaunch; the sandbox accepts and
// ignores the other attributes.
func modifySubnetAttribute(e *env, in *ec2.ModifySubnetAttributeInput) (*ec2.ModifySubnetAttributeOutput, error) {
	s, err := lookupParam(kindSubnet, e.r.Subnets, "SubnetId", in.SubnetId)
	if err != nil {
		return nil, err
	}
	if in.MapPublicIpOnLaunch != nil {
		s.MapPublicIP = aws.ToBool(in.MapPublicIpOnLaunch.Value)
	}
	return &ec2.ModifySubnetAttributeOutput{}, nil
}

// dependents asks every other service what uses the EC2 resource id.
func (e *env) dependents(id string) []string {
	var out []string
	for _, name := range e.call.World.Services() {
		if name == Name {
			continue
		}
		if d, ok := e.call.World.State(name).(api.Dependents); ok {
			out = append(out, d.DependentsOf(id)...)
		}
	}
	return out
}

// availableIPs is the subnet's usable addresses minus those its network
// interfaces hold (NAT gateways' and other services').
func (e *env) availableIPs(s *subnet) int32 {
	return addressCount(netip.MustParsePrefix(s.CIDR)) - e.interfacesIn(s.ID)
}
