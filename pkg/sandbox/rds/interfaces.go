package rds

import (
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

var _ api.Interfaces = (*State)(nil)

// NetworkInterfaces lists the interface every DB instance in region holds:
// one, in the subnet of its DB subnet group in the instance's zone (the
// first subnet when none matches), described "RDSNetworkInterface" as AWS
// does. A cluster without instances holds none.
func (s *State) NetworkInterfaces(region string) []api.NetworkInterface {
	r := s.Regions[region]
	if r == nil {
		return nil
	}
	var out []api.NetworkInterface
	for _, in := range r.Instances {
		g := in.DB.DBSubnetGroup
		if g == nil || len(g.Subnets) == 0 {
			continue
		}
		var groups []string
		for _, m := range in.DB.VpcSecurityGroups {
			groups = append(groups, deref(m.VpcSecurityGroupId))
		}
		subnet := instanceSubnet(g.Subnets, deref(in.DB.AvailabilityZone))
		out = append(out, api.NetworkInterface{
			Key: deref(in.DB.DBInstanceArn) + "/" + subnet, SubnetID: subnet, SecurityGroups: groups,
			Description: "RDSNetworkInterface", InterfaceType: "interface", RequesterID: "amazon-rds",
		})
	}
	return out
}

// instanceSubnet picks the subnet of zone among subnets, the first one
// when none is in it.
func instanceSubnet(subnets []types.Subnet, zone string) string {
	for _, sn := range subnets {
		if sn.SubnetAvailabilityZone != nil && deref(sn.SubnetAvailabilityZone.Name) == zone {
			return deref(sn.SubnetIdentifier)
		}
	}
	return deref(subnets[0].SubnetIdentifier)
}
