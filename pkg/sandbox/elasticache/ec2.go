package elasticache

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// EC2 is what ElastiCache needs from the EC2 emulation's state (the value
// c.World.State("ec2") returns): the VPC and zone of a subnet, the VPC of
// a security group and a VPC's default group, each with ok false when
// there is none.
type EC2 interface {
	LookupSubnet(region, subnetID string) (vpcID, zone string, ok bool)
	LookupSecurityGroup(region, groupID string) (vpcID string, ok bool)
	DefaultSecurityGroup(region, vpcID string) (groupID string, ok bool)
}

// subnetInfo is one subnet of a cache subnet group.
type subnetInfo struct {
	ID   string `json:"id"`
	Zone string `json:"zone"`
}

// resolveSubnets checks subnet ids through the EC2 state and returns them
// with their zones and their one VPC.
func resolveSubnets(c *api.Call, ids []string) ([]subnetInfo, string, error) {
	if len(ids) == 0 {
		return nil, "", invalidValue("The parameter SubnetIds must be provided and must not be empty.")
	}
	ec2, ok := c.World.State("ec2").(EC2)
	if !ok {
		return nil, "", api.Errorf(codeInvalidSubnet, "The sandbox's EC2 emulation cannot resolve subnets, so no subnet can be used.")
	}
	var out []subnetInfo
	vpc := ""
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		subnetVPC, zone, found := ec2.LookupSubnet(c.Region, id)
		switch {
		case !found:
			return nil, "", api.Errorf(codeInvalidSubnet, "The subnet ID %s does not exist", id)
		case vpc != "" && subnetVPC != vpc:
			return nil, "", api.Errorf(codeInvalidSubnet, "Subnets of a cache subnet group must be in one VPC: %s is in %s, %s in %s.", out[0].ID, vpc, id, subnetVPC)
		}
		vpc = subnetVPC
		out = append(out, subnetInfo{ID: id, Zone: zone})
	}
	return out, vpc, nil
}

// checkSecurityGroups checks the requested groups against the VPC, or
// picks the VPC's default group when none is requested.
func checkSecurityGroups(c *api.Call, ids []string, vpc string) ([]string, error) {
	ec2, ok := c.World.State("ec2").(EC2)
	if !ok {
		return nil, api.Errorf(codeInvalidVPCNetwork, "The sandbox's EC2 emulation cannot resolve security groups, so none can be used.")
	}
	if len(ids) == 0 {
		if id, found := ec2.DefaultSecurityGroup(c.Region, vpc); found {
			return []string{id}, nil
		}
		return nil, nil
	}
	for _, id := range ids {
		if groupVPC, found := ec2.LookupSecurityGroup(c.Region, id); !found || groupVPC != vpc {
			return nil, api.Errorf(codeInvalidVPCNetwork, "The security group %s does not exist in VPC %s of the cache subnet group.", id, vpc)
		}
	}
	return append([]string(nil), ids...), nil
}

// NetworkInterfaces lists the interface each member cluster holds in its
// subnet, described "ElastiCache <member id>" as AWS does.
func (s *State) NetworkInterfaces(region string) []api.NetworkInterface {
	r := s.Regions[region]
	if r == nil {
		return nil
	}
	var out []api.NetworkInterface
	for _, g := range r.Groups {
		for _, m := range g.Members {
			out = append(out, api.NetworkInterface{
				Key: g.ARN + "/" + m.ID, SubnetID: m.Subnet, SecurityGroups: append([]string(nil), g.SecurityGroupIDs...),
				Description: "ElastiCache " + m.ID, InterfaceType: "interface", RequesterID: "amazon-elasticache",
			})
		}
	}
	return out
}

// DependentsOf names the replication groups that keep an EC2 subnet
// (through their cache subnet group) or security group in use.
func (s *State) DependentsOf(id string) []string {
	var out []string
	for _, r := range s.Regions {
		for _, gid := range sortedKeys(r.Groups) {
			g := r.Groups[gid]
			uses := contains(g.SecurityGroupIDs, id)
			for _, m := range g.Members {
				uses = uses || m.Subnet == id
			}
			if uses {
				out = append(out, "ElastiCache replication group "+g.ID)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
