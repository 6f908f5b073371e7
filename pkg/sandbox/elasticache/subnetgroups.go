package elasticache

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func createCacheSubnetGroup(c *api.Call, in *elasticache.CreateCacheSubnetGroupInput) (*elasticache.CreateCacheSubnetGroupOutput, error) {
	name := lower(aws.ToString(in.CacheSubnetGroupName))
	if err := checkSubnetGroupName(name); err != nil {
		return nil, err
	}
	r := region(c)
	if _, exists := r.SubnetGroups[name]; exists {
		return nil, api.Errorf(codeSubnetGroupExists, "Cache subnet group %s already exists.", name)
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	subnets, vpc, err := resolveSubnets(c, in.SubnetIds)
	if err != nil {
		return nil, err
	}
	g := &SubnetGroup{Name: name, ARN: arn(c, "subnetgroup", name), Description: aws.ToString(in.CacheSubnetGroupDescription),
		VpcID: vpc, Subnets: subnets, Tags: tags}
	r.SubnetGroups[name] = g
	return &elasticache.CreateCacheSubnetGroupOutput{CacheSubnetGroup: g.view()}, nil
}

// checkSubnetGroupName applies AWS's rules: at most 255 letters, digits or
// hyphens, and not "default".
func checkSubnetGroupName(name string) error {
	if name == "default" {
		return invalidValue("CacheSubnetGroupName must not be default.")
	}
	ok := name != "" && len(name) <= 255
	for i := 0; ok && i < len(name); i++ {
		ok = isLetter(name[i]) || (name[i] >= '0' && name[i] <= '9') || name[i] == '-'
	}
	if !ok {
		return invalidValue("The parameter CacheSubnetGroupName must contain no more than 255 alphanumeric characters or hyphens.")
	}
	return nil
}

func (g *SubnetGroup) view() *types.CacheSubnetGroup {
	out := &types.CacheSubnetGroup{
		ARN: aws.String(g.ARN), CacheSubnetGroupName: aws.String(g.Name), CacheSubnetGroupDescription: aws.String(g.Description),
		VpcId: aws.String(g.VpcID), SupportedNetworkTypes: []types.NetworkType{types.NetworkTypeIpv4},
		Subnets: []types.Subnet{},
	}
	for _, s := range g.Subnets {
		out.Subnets = append(out.Subnets, types.Subnet{
			SubnetIdentifier: aws.String(s.ID), SubnetAvailabilityZone: &types.AvailabilityZone{Name: aws.String(s.Zone)},
			SupportedNetworkTypes: []types.NetworkType{types.NetworkTypeIpv4},
		})
	}
	return out
}

func describeCacheSubnetGroups(c *api.Call, in *elasticache.DescribeCacheSubnetGroupsInput) (*elasticache.DescribeCacheSubnetGroupsOutput, error) {
	r := region(c)
	var groups []types.CacheSubnetGroup
	if in.CacheSubnetGroupName != nil {
		g, ok := r.SubnetGroups[lower(*in.CacheSubnetGroupName)]
		if !ok {
			return nil, errNotFound(codeSubnetGroupNotFound, "CacheSubnetGroup", *in.CacheSubnetGroupName)
		}
		groups = append(groups, *g.view())
	} else {
		for _, name := range sortedKeys(r.SubnetGroups) {
			groups = append(groups, *r.SubnetGroups[name].view())
		}
	}
	out, marker, err := pageOf(groups, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &elasticache.DescribeCacheSubnetGroupsOutput{CacheSubnetGroups: out, Marker: marker}, nil
}

func modifyCacheSubnetGroup(c *api.Call, in *elasticache.ModifyCacheSubnetGroupInput) (*elasticache.ModifyCacheSubnetGroupOutput, error) {
	name := lower(aws.ToString(in.CacheSubnetGroupName))
	r := region(c)
	g, ok := r.SubnetGroups[name]
	if !ok {
		return nil, errNotFound(codeSubnetGroupNotFound, "CacheSubnetGroup", name)
	}
	if len(in.SubnetIds) > 0 {
		subnets, vpc, err := resolveSubnets(c, in.SubnetIds)
		if err != nil {
			return nil, err
		}
		if err := r.checkSubnetsKept(name, subnets, vpc, g.VpcID); err != nil {
			return nil, err
		}
		g.Subnets, g.VpcID = subnets, vpc
	}
	if in.CacheSubnetGroupDescription != nil {
		g.Description = *in.CacheSubnetGroupDescription
	}
	return &elasticache.ModifyCacheSubnetGroupOutput{CacheSubnetGroup: g.view()}, nil
}

// checkSubnetsKept refuses new subnets of a group in use that leave its
// VPC or drop a subnet a member cluster is in.
func (r *Region) checkSubnetsKept(name string, subnets []subnetInfo, vpc, oldVPC string) error {
	for _, id := range sortedKeys(r.Groups) {
		g := r.Groups[id]
		if g.SubnetGroup != name {
			continue
		}
		if vpc != oldVPC {
			return api.Errorf(codeInvalidSubnet, "The new subnets are in VPC %s, not in VPC %s of replication group %s.", vpc, oldVPC, g.ID)
		}
		for _, m := range g.Members {
			if !containsSubnet(subnets, m.Subnet) {
				return api.Errorf("SubnetInUse", "The subnet %s is in use by cache cluster %s.", m.Subnet, m.ID)
			}
		}
	}
	return nil
}

func containsSubnet(subnets []subnetInfo, id string) bool {
	for _, s := range subnets {
		if s.ID == id {
			return true
		}
	}
	return false
}

func deleteCacheSubnetGroup(c *api.Call, in *elasticache.DeleteCacheSubnetGroupInput) (*elasticache.DeleteCacheSubnetGroupOutput, error) {
	name := lower(aws.ToString(in.CacheSubnetGroupName))
	r := region(c)
	if _, ok := r.SubnetGroups[name]; !ok {
		return nil, errNotFound(codeSubnetGroupNotFound, "CacheSubnetGroup", name)
	}
	for _, id := range sortedKeys(r.Groups) {
		if r.Groups[id].SubnetGroup == name {
			return nil, api.Errorf(codeSubnetGroupInUse, "Cache subnet group %s is currently in use by replication group %s.", name, id)
		}
	}
	delete(r.SubnetGroups, name)
	return &elasticache.DeleteCacheSubnetGroupOutput{}, nil
}

// zonesOf lists the distinct zones of subnets in their order.
func zonesOf(subnets []subnetInfo) []string {
	var zones []string
	for _, s := range subnets {
		if !contains(zones, s.Zone) {
			zones = append(zones, s.Zone)
		}
	}
	return zones
}
