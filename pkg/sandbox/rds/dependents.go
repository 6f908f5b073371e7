package rds

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// DependentsOf names the clusters and instances that keep an EC2 subnet
// (through their DB subnet group) or security group in use.
func (s *State) DependentsOf(id string) []string {
	var out []string
	for _, r := range s.Regions {
		for _, cl := range r.Clusters {
			if r.clusterUses(cl, id) {
				out = append(out, fmt.Sprintf("RDS DB cluster %s", *cl.DB.DBClusterIdentifier))
			}
		}
		for _, in := range r.Instances {
			if instanceUses(in, id) {
				out = append(out, fmt.Sprintf("RDS DB instance %s", *in.DB.DBInstanceIdentifier))
			}
		}
	}
	sort.Strings(out)
	return out
}

func (r *Region) clusterUses(cl *Cluster, id string) bool {
	if usesGroup(cl.DB.VpcSecurityGroups, id) {
		return true
	}
	g := r.SubnetGroups[lower(deref(cl.DB.DBSubnetGroup))]
	return g != nil && hasSubnet(g.Group.Subnets, id)
}

func instanceUses(in *Instance, id string) bool {
	if usesGroup(in.DB.VpcSecurityGroups, id) {
		return true
	}
	if in.DB.DBSubnetGroup == nil {
		return false
	}
	// An instance holds an interface in its own zone's subnet only.
	for _, sn := range in.DB.DBSubnetGroup.Subnets {
		if deref(sn.SubnetIdentifier) == id && (in.DB.AvailabilityZone == nil || sn.SubnetAvailabilityZone == nil ||
			deref(sn.SubnetAvailabilityZone.Name) == deref(in.DB.AvailabilityZone)) {
			return true
		}
	}
	return false
}

func usesGroup(groups []types.VpcSecurityGroupMembership, id string) bool {
	for _, g := range groups {
		if deref(g.VpcSecurityGroupId) == id {
			return true
		}
	}
	return false
}

func hasSubnet(subnets []types.Subnet, id string) bool {
	for _, sn := range subnets {
		if deref(sn.SubnetIdentifier) == id {
			return true
		}
	}
	return false
}
