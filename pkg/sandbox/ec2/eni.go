package ec2

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// The sandbox runs no instances, so it keeps no network interfaces of its
// own: DescribeNetworkInterfaces shows the ones AWS would create for what
// the sandbox does hold, the live NAT gateways here and what other
// services report through api.Interfaces. Their ids come from what holds
// them, so they stay the same from one call to the next.

var kindENI = kind{"eni", "networkInterface", "InvalidNetworkInterfaceID.NotFound", "InvalidNetworkInterfaceID.Malformed", "network-interface", "ec2:network-interface"}

// natInterfaceType is the type EC2 answers for a NAT gateway's interface;
// the SDK's enum spells it natGateway, but the service sends nat_gateway.
const natInterfaceType = "nat_gateway"

// eni is one network interface as EC2 lists it.
type eni struct {
	api.NetworkInterface
	ID        string
	VPCID     string
	Zone      string
	PrivateIP string
	nat       *natGateway
}

// interfaces returns every network interface of the call's region by id,
// with its VPC, zone and private address filled in. Interfaces whose
// subnet is gone are left out.
func (e *env) interfaces() map[string]*eni {
	out := map[string]*eni{}
	for _, n := range sortedValues(e.r.NATGateways) {
		if n.live() {
			out[n.ENI] = &eni{ID: n.ENI, PrivateIP: n.PrivateIP, nat: n, NetworkInterface: api.NetworkInterface{
				SubnetID: n.SubnetID, Description: "Interface for NAT Gateway " + n.ID,
				InterfaceType: natInterfaceType, RequesterID: "amazon-aws",
			}}
		}
	}
	for _, name := range e.call.World.Services() {
		if src, ok := e.call.World.State(name).(api.Interfaces); ok && name != Name {
			for _, ni := range src.NetworkInterfaces(e.call.Region) {
				id := api.InterfaceID(ni.Key)
				out[id] = &eni{ID: id, NetworkInterface: ni, PrivateIP: ni.PrivateIP}
			}
		}
	}
	for id, ni := range out {
		s := e.r.Subnets[ni.SubnetID]
		if s == nil {
			delete(out, id)
			continue
		}
		ni.VPCID, ni.Zone = s.VPCID, s.Zone
	}
	e.assignAddresses(out)
	return out
}

// assignAddresses gives each interface without an address the first free
// one of its subnet after the four EC2 reserves, in id order.
func (e *env) assignAddresses(all map[string]*eni) {
	used := map[string]bool{}
	for _, ni := range all {
		used[ni.PrivateIP] = ni.PrivateIP != ""
	}
	for _, ni := range sortedValues(all) {
		if ni.PrivateIP != "" {
			continue
		}
		p := netip.MustParsePrefix(e.r.Subnets[ni.SubnetID].CIDR)
		ip := p.Addr()
		for i := 0; i < 4; i++ {
			ip = ip.Next()
		}
		for used[ip.String()] && p.Contains(ip.Next()) {
			ip = ip.Next()
		}
		ni.PrivateIP, used[ip.String()] = ip.String(), true
	}
}

// interfacesIn counts the network interfaces in a subnet.
func (e *env) interfacesIn(subnetID string) int32 {
	var n int32
	for _, ni := range e.interfaces() {
		if ni.SubnetID == subnetID {
			n++
		}
	}
	return n
}

// digest returns the hex SHA-256 of s.
func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func (e *env) sdkInterface(ni *eni) types.NetworkInterface {
	z, _ := findZone(e.call.Region, ni.Zone, "")
	d := digest(ni.ID)
	mac := api.MACAddress(ni.ID)
	dns := api.PrivateDNSName(e.call.Region, ni.PrivateIP)
	out := types.NetworkInterface{
		NetworkInterfaceId: aws.String(ni.ID), SubnetId: aws.String(ni.SubnetID), VpcId: aws.String(ni.VPCID),
		AvailabilityZone: aws.String(ni.Zone), AvailabilityZoneId: aws.String(z.id),
		Description: aws.String(ni.Description), InterfaceType: types.NetworkInterfaceType(ni.InterfaceType),
		OwnerId: aws.String(e.call.AccountID), RequesterId: aws.String(ni.RequesterID), RequesterManaged: aws.Bool(true),
		Status: types.NetworkInterfaceStatusInUse, MacAddress: aws.String(mac), SourceDestCheck: aws.Bool(ni.nat == nil),
		PrivateIpAddress: aws.String(ni.PrivateIP), PrivateDnsName: aws.String(dns),
		PrivateIpAddresses: []types.NetworkInterfacePrivateIpAddress{{Primary: aws.Bool(true), PrivateIpAddress: aws.String(ni.PrivateIP), PrivateDnsName: aws.String(dns)}},
		Groups:             e.sdkGroupIdentifiers(ni.SecurityGroups),
		Ipv6Addresses:      []types.NetworkInterfaceIpv6Address{}, TagSet: []types.Tag{},
		Attachment: &types.NetworkInterfaceAttachment{
			AttachmentId: aws.String("ela-attach-" + d[10:27]), InstanceOwnerId: aws.String(ni.RequesterID),
			Status: types.AttachmentStatusAttached, DeviceIndex: aws.Int32(1), DeleteOnTermination: aws.Bool(false),
		},
	}
	if a := e.natAddressOf(ni); a != nil {
		out.Association = &types.NetworkInterfaceAssociation{
			AllocationId: aws.String(a.ID), AssociationId: aws.String(a.AssociationID), IpOwnerId: aws.String("amazon"), PublicIp: aws.String(a.PublicIP),
		}
		out.PrivateIpAddresses[0].Association = out.Association
	}
	return out
}

// natAddressOf returns the Elastic IP a NAT gateway's interface holds, nil
// for other interfaces.
func (e *env) natAddressOf(ni *eni) *address {
	if ni.nat == nil || ni.nat.AllocationID == "" {
		return nil
	}
	a := e.r.Addresses[ni.nat.AllocationID]
	if a == nil || a.ENI != ni.ID {
		return nil
	}
	return a
}

// sdkGroupIdentifiers names the groups by id and, when they exist, name.
func (e *env) sdkGroupIdentifiers(ids []string) []types.GroupIdentifier {
	out := make([]types.GroupIdentifier, 0, len(ids))
	for _, id := range ids {
		g := types.GroupIdentifier{GroupId: aws.String(id)}
		if sg := e.r.SecurityGroups[id]; sg != nil {
			g.GroupName = aws.String(sg.Name)
		}
		out = append(out, g)
	}
	return out
}

// interfaceFilters lists the DescribeNetworkInterfaces filters the
// sandbox's interfaces have values for.
func interfaceFilters(e *env) filterSet[*eni] {
	ip := func(ni *eni) []string { return one(ni.PrivateIP) }
	groupNames := func(ni *eni) []string {
		var out []string
		for _, g := range e.sdkGroupIdentifiers(ni.SecurityGroups) {
			out = append(out, aws.ToString(g.GroupName))
		}
		return out
	}
	return filterSet[*eni]{
		fields: fields[*eni]{
			"network-interface-id":             func(ni *eni) []string { return one(ni.ID) },
			"subnet-id":                        func(ni *eni) []string { return one(ni.SubnetID) },
			"vpc-id":                           func(ni *eni) []string { return one(ni.VPCID) },
			"group-id":                         func(ni *eni) []string { return ni.SecurityGroups },
			"group-name":                       groupNames,
			"availability-zone":                func(ni *eni) []string { return one(ni.Zone) },
			"description":                      func(ni *eni) []string { return one(ni.Description) },
			"interface-type":                   func(ni *eni) []string { return one(ni.InterfaceType) },
			"requester-id":                     func(ni *eni) []string { return one(ni.RequesterID) },
			"requester-managed":                func(*eni) []string { return boolValue(true) },
			"status":                           func(*eni) []string { return one(string(types.NetworkInterfaceStatusInUse)) },
			"private-ip-address":               ip,
			"addresses.private-ip-address":     ip,
			"attachment.status":                func(*eni) []string { return one(string(types.AttachmentStatusAttached)) },
			"attachment.instance-owner-id":     func(ni *eni) []string { return one(ni.RequesterID) },
			"source-dest-check":                func(ni *eni) []string { return boolValue(ni.nat == nil) },
			"association.public-ip":            func(ni *eni) []string { return natPublicIP(e, ni) },
			"association.allocation-id":        func(ni *eni) []string { return one(ni.natAllocation()) },
			"private-dns-name":                 func(ni *eni) []string { return one(api.PrivateDNSName(e.call.Region, ni.PrivateIP)) },
			"addresses.primary":                func(*eni) []string { return boolValue(true) },
			"attachment.delete-on-termination": func(*eni) []string { return boolValue(false) },
		},
		tags: func(*eni) map[string]string { return nil },
	}
}

func natPublicIP(e *env, ni *eni) []string {
	if a := e.natAddressOf(ni); a != nil {
		return one(a.PublicIP)
	}
	return nil
}

func (ni *eni) natAllocation() string {
	if ni.nat == nil {
		return ""
	}
	return ni.nat.AllocationID
}

// describeNetworkInterfaces lists network interfaces by id, filters and
// page.
func describeNetworkInterfaces(e *env, in *ec2.DescribeNetworkInterfacesInput) (*ec2.DescribeNetworkInterfacesOutput, error) {
	q := query{ids: in.NetworkInterfaceIds, filters: in.Filters, max: in.MaxResults, token: in.NextToken, bounds: bounds5to1000}
	out, next, err := describe(kindENI, e.interfaces(), interfaceFilters(e).withOwner(e.call.AccountID), q, func(ni *eni) string { return ni.ID }, e.sdkInterface)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeNetworkInterfacesOutput{NetworkInterfaces: out, NextToken: next}, nil
}
