package rds

import (
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// SubnetLookup is what RDS needs from the EC2 emulation's state (the value
// c.World.State("ec2") returns) to check DB subnet groups.
type SubnetLookup interface {
	// LookupSubnet returns the VPC and Availability Zone of the subnet
	// with the given id in region; ok is false when there is none.
	LookupSubnet(region, subnetID string) (vpcID, zone string, ok bool)
}

// SecurityGroupLookup is implemented by the EC2 state to let RDS check
// VpcSecurityGroupIds and pick a VPC's default group. It is optional:
// without it, security group ids are taken as given.
type SecurityGroupLookup interface {
	// LookupSecurityGroup returns the VPC of the security group with the
	// given id in region; ok is false when there is none.
	LookupSecurityGroup(region, groupID string) (vpcID string, ok bool)
	// DefaultSecurityGroup returns the id of the VPC's default security
	// group; ok is false when the VPC does not exist.
	DefaultSecurityGroup(region, vpcID string) (groupID string, ok bool)
}

// subnetInfo is one subnet as EC2 reports it.
type subnetInfo struct {
	id, vpc, zone string
}

// lookupSubnets resolves subnet ids through the EC2 state, failing with
// InvalidSubnet for unknown ids or subnets in different VPCs.
func lookupSubnets(c *api.Call, ids []string) ([]subnetInfo, error) {
	lookup, ok := c.World.State("ec2").(SubnetLookup)
	if !ok {
		return nil, api.Errorf(codeInvalidSubnet, "The sandbox's EC2 emulation cannot resolve subnets, so no subnet can be used.")
	}
	out := make([]subnetInfo, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		vpc, zone, found := lookup.LookupSubnet(c.Region, id)
		if !found {
			return nil, api.Errorf(codeInvalidSubnet, "The subnet ID '%s' does not exist", id)
		}
		if len(out) > 0 && out[0].vpc != vpc {
			return nil, api.Errorf(codeInvalidSubnet, "Subnets in a DB subnet group must all be in the same VPC: %s is in %s, %s in %s.", out[0].id, out[0].vpc, id, vpc)
		}
		out = append(out, subnetInfo{id: id, vpc: vpc, zone: zone})
	}
	return out, nil
}

// securityGroups checks the requested groups against the VPC, or picks
// the VPC's default group when none is requested. Without a
// SecurityGroupLookup in EC2 the ids are used as given.
func securityGroups(c *api.Call, ids []string, vpc string) ([]string, error) {
	lookup, ok := c.World.State("ec2").(SecurityGroupLookup)
	if !ok {
		return ids, nil
	}
	if len(ids) == 0 && vpc != "" {
		if id, found := lookup.DefaultSecurityGroup(c.Region, vpc); found {
			return []string{id}, nil
		}
		return nil, nil
	}
	for _, id := range ids {
		groupVPC, found := lookup.LookupSecurityGroup(c.Region, id)
		if !found || (vpc != "" && groupVPC != vpc) {
			return nil, invalidValue("Invalid security group , groupId= %s , groupName=.", id)
		}
	}
	return ids, nil
}
