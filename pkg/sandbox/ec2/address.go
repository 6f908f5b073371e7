package ec2

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// publicPool is where the sandbox draws Elastic IP addresses from: the
// benchmarking range, which is never routed on the internet.
var publicPool = netip.MustParsePrefix("198.18.0.0/15")

// allocateAddress allocates an Elastic IP address for use in a VPC.
func allocateAddress(e *env, in *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
	if in.Address != nil || in.IpamPoolId != nil || in.CustomerOwnedIpv4Pool != nil || (in.PublicIpv4Pool != nil && *in.PublicIpv4Pool != "amazon") {
		return nil, api.Errorf("UnsupportedOperation", "The sandbox allocates addresses from Amazon's pool only.")
	}
	if in.Domain != "" && in.Domain != types.DomainTypeVpc {
		return nil, invalidValue("domain", string(in.Domain), "Only vpc addresses exist.")
	}
	tags, err := tagSpecs(in.TagSpecifications, "elastic-ip")
	if err != nil {
		return nil, err
	}
	a := &address{ID: api.NewID("eipalloc"), PublicIP: e.st.freePublicIP(), Tags: tags}
	e.r.Addresses[a.ID] = a
	return &ec2.AllocateAddressOutput{
		AllocationId: aws.String(a.ID), PublicIp: aws.String(a.PublicIP), Domain: types.DomainTypeVpc,
		NetworkBorderGroup: aws.String(e.call.Region), PublicIpv4Pool: aws.String("amazon"),
	}, nil
}

// freePublicIP returns a random address of the pool that no region uses
// yet, never a .0 or .255 one.
func (s *State) freePublicIP() string {
	used := map[string]bool{}
	for _, r := range s.Regions {
		for _, a := range r.Addresses {
			used[a.PublicIP] = true
		}
	}
	base := binary.BigEndian.Uint32(publicPool.Addr().AsSlice())
	size := uint64(1) << (32 - publicPool.Bits())
	for {
		n, _ := strconv.ParseUint(api.RandomHex(8), 16, 64)
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], base+uint32(n%size))
		ip := netip.AddrFrom4(b)
		if b[3] != 0 && b[3] != 255 && !used[ip.String()] {
			return ip.String()
		}
	}
}

// releaseAddress releases an Elastic IP address that nothing uses.
func releaseAddress(e *env, in *ec2.ReleaseAddressInput) (*ec2.ReleaseAddressOutput, error) {
	if aws.ToString(in.AllocationId) == "" {
		if in.PublicIp != nil {
			return nil, api.Errorf("InvalidParameterValue", "You must specify an allocation id when releasing a VPC elastic IP address")
		}
		return nil, missingParameter("AllocationId")
	}
	a, err := lookup(kindAddress, e.r.Addresses, *in.AllocationId)
	if err != nil {
		return nil, err
	}
	if a.AssociationID != "" {
		return nil, api.Errorf("InvalidIPAddress.InUse", "Address %s is in use by %s.", a.PublicIP, a.ENI)
	}
	delete(e.r.Addresses, a.ID)
	return &ec2.ReleaseAddressOutput{}, nil
}

func (e *env) sdkAddress(a *address) types.Address {
	out := types.Address{
		AllocationId: aws.String(a.ID), PublicIp: aws.String(a.PublicIP), Domain: types.DomainTypeVpc,
		NetworkBorderGroup: aws.String(e.call.Region), PublicIpv4Pool: aws.String("amazon"), Tags: sdkTags(a.Tags),
	}
	if a.AssociationID != "" {
		out.AssociationId, out.NetworkInterfaceId = aws.String(a.AssociationID), aws.String(a.ENI)
		out.NetworkInterfaceOwnerId, out.PrivateIpAddress = aws.String(e.call.AccountID), aws.String(a.PrivateIP)
	}
	return out
}

func addressFilters(e *env) filterSet[*address] {
	return filterSet[*address]{
		fields: fields[*address]{
			"allocation-id":              func(a *address) []string { return one(a.ID) },
			"association-id":             func(a *address) []string { return one(a.AssociationID) },
			"domain":                     func(*address) []string { return one("vpc") },
			"instance-id":                func(*address) []string { return nil },
			"network-border-group":       func(*address) []string { return one(e.call.Region) },
			"network-interface-id":       func(a *address) []string { return one(a.ENI) },
			"network-interface-owner-id": func(a *address) []string { return ownerIfAssociated(a, e.call.AccountID) },
			"private-ip-address":         func(a *address) []string { return one(a.PrivateIP) },
			"public-ip":                  func(a *address) []string { return one(a.PublicIP) },
		},
		tags: func(a *address) map[string]string { return a.Tags },
	}
}

func ownerIfAssociated(a *address, account string) []string {
	if a.AssociationID == "" {
		return nil
	}
	return one(account)
}

// describeAddresses lists Elastic IP addresses by allocation id, public IP
// and filters.
func describeAddresses(e *env, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
	as, err := selectIDs(kindAddress, e.r.Addresses, in.AllocationIds)
	if err != nil {
		return nil, err
	}
	as, err = selectPublicIPs(as, in.PublicIps)
	if err != nil {
		return nil, err
	}
	as, err = addressFilters(e).apply(as, in.Filters)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeAddressesOutput{Addresses: []types.Address{}}
	for _, a := range as {
		out.Addresses = append(out.Addresses, e.sdkAddress(a))
	}
	return out, nil
}

// selectPublicIPs keeps the addresses with the public IPs (all when none
// are given), answering InvalidAddress.NotFound for an unknown one.
func selectPublicIPs(as []*address, ips []string) ([]*address, error) {
	if len(ips) == 0 {
		return as, nil
	}
	byIP := map[string]*address{}
	for _, a := range as {
		byIP[a.PublicIP] = a
	}
	var out []*address
	for _, ip := range ips {
		a, ok := byIP[ip]
		if !ok {
			return nil, api.Errorf("InvalidAddress.NotFound", "Address '%s' not found.", ip)
		}
		out = append(out, a)
	}
	return out, nil
}
