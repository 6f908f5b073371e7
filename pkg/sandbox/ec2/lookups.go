package ec2

// Lookups other sandbox services use to resolve EC2 resources (RDS checks
// the subnets of a DB subnet group and the security groups of a cluster).
// They never change the state.

// LookupSubnet returns the VPC and Availability Zone of the subnet with the
// id in region; ok is false when there is none.
func (s *State) LookupSubnet(region, subnetID string) (vpcID, zone string, ok bool) {
	r := s.Regions[region]
	if r == nil {
		return "", "", false
	}
	sn := r.Subnets[subnetID]
	if sn == nil {
		return "", "", false
	}
	return sn.VPCID, sn.Zone, true
}

// LookupSecurityGroup returns the VPC of the security group with the id in
// region; ok is false when there is none.
func (s *State) LookupSecurityGroup(region, groupID string) (vpcID string, ok bool) {
	r := s.Regions[region]
	if r == nil {
		return "", false
	}
	g := r.SecurityGroups[groupID]
	if g == nil {
		return "", false
	}
	return g.VPCID, true
}

// DefaultSecurityGroup returns the id of the VPC's default security group;
// ok is false when the VPC does not exist.
func (s *State) DefaultSecurityGroup(region, vpcID string) (groupID string, ok bool) {
	r := s.Regions[region]
	if r == nil || r.VPCs[vpcID] == nil {
		return "", false
	}
	for _, g := range r.SecurityGroups {
		if g.VPCID == vpcID && g.Name == "default" {
			return g.ID, true
		}
	}
	return "", false
}

// LookupSubnetCIDR returns the IPv4 CIDR block of the subnet with the id
// in region; ok is false when there is none.
func (s *State) LookupSubnetCIDR(region, subnetID string) (cidr string, ok bool) {
	r := s.Regions[region]
	if r == nil || r.Subnets[subnetID] == nil {
		return "", false
	}
	return r.Subnets[subnetID].CIDR, true
}
