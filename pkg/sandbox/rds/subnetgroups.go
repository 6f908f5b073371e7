package rds

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func createDBSubnetGroup(c *api.Call, in *rds.CreateDBSubnetGroupInput) (*rds.CreateDBSubnetGroupOutput, error) {
	name := deref(in.DBSubnetGroupName)
	if err := checkSubnetGroupName(name); err != nil {
		return nil, err
	}
	r := region(c)
	if _, exists := r.SubnetGroups[lower(name)]; exists {
		return nil, api.Errorf(codeSubnetGroupExists, "The DB subnet group '%s' already exists.", lower(name))
	}
	subnets, err := coveringSubnets(c, in.SubnetIds)
	if err != nil {
		return nil, err
	}
	g := &SubnetGroup{Tags: cleanTags(in.Tags), Group: types.DBSubnetGroup{
		DBSubnetGroupName:        ptr(lower(name)),
		DBSubnetGroupArn:         ptr(arn(c, "subgrp", lower(name))),
		DBSubnetGroupDescription: in.DBSubnetGroupDescription,
		SubnetGroupStatus:        ptr("Complete"),
		SupportedNetworkTypes:    []string{"IPV4"},
	}}
	setSubnets(&g.Group, subnets)
	r.SubnetGroups[lower(name)] = g
	return &rds.CreateDBSubnetGroupOutput{DBSubnetGroup: ptr(clone(g.Group))}, nil
}

// checkSubnetGroupName applies AWS's rules: at most 255 letters, digits,
// periods, underscores, spaces or hyphens, and not "default".
func checkSubnetGroupName(name string) error {
	if strings.EqualFold(name, "default") {
		return invalidValue("DBSubnetGroupName must not be default.")
	}
	ok := name != "" && len(name) <= 255
	for i := 0; ok && i < len(name); i++ {
		b := name[i]
		ok = isLetter(b) || isDigit(b) || strings.IndexByte("._ -", b) >= 0
	}
	if !ok {
		return invalidValue("The parameter DBSubnetGroupName is not a valid identifier. It must contain no more than 255 letters, numbers, periods, underscores, spaces, or hyphens.")
	}
	return nil
}

// coveringSubnets resolves the subnets and checks they span two zones.
func coveringSubnets(c *api.Call, ids []string) ([]subnetInfo, error) {
	if len(ids) == 0 {
		return nil, invalidValue("The parameter SubnetIds must be provided and must not be empty.")
	}
	subnets, err := lookupSubnets(c, ids)
	if err != nil {
		return nil, err
	}
	zones := zonesOf(subnets)
	if len(zones) < 2 {
		return nil, api.Errorf(codeSubnetGroupAZs, "The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: %s. Add subnets to cover at least 2 AZs.", strings.Join(zones, ", "))
	}
	return subnets, nil
}

func zonesOf(subnets []subnetInfo) []string {
	seen := map[string]bool{}
	var zones []string
	for _, s := range subnets {
		if !seen[s.zone] {
			seen[s.zone] = true
			zones = append(zones, s.zone)
		}
	}
	sort.Strings(zones)
	return zones
}

func setSubnets(g *types.DBSubnetGroup, subnets []subnetInfo) {
	g.VpcId = ptr(subnets[0].vpc)
	g.Subnets = make([]types.Subnet, 0, len(subnets))
	for _, s := range subnets {
		g.Subnets = append(g.Subnets, types.Subnet{
			SubnetIdentifier:       ptr(s.id),
			SubnetAvailabilityZone: &types.AvailabilityZone{Name: ptr(s.zone)},
			SubnetStatus:           ptr("Active"),
		})
	}
}

func describeDBSubnetGroups(c *api.Call, in *rds.DescribeDBSubnetGroupsInput) (*rds.DescribeDBSubnetGroupsOutput, error) {
	r := region(c)
	var groups []types.DBSubnetGroup
	if name := deref(in.DBSubnetGroupName); name != "" {
		g, ok := r.SubnetGroups[lower(idFromARN(name, "subgrp"))]
		if !ok {
			return nil, errSubnetGroupNotFound(name)
		}
		groups = append(groups, g.Group)
	}
	if in.DBSubnetGroupName == nil {
		for _, name := range sortedKeys(r.SubnetGroups) {
			groups = append(groups, r.SubnetGroups[name].Group)
		}
	}
	pageOf, marker, err := page(groups, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBSubnetGroupsOutput{DBSubnetGroups: clone(pageOf), Marker: marker}, nil
}

func modifyDBSubnetGroup(c *api.Call, in *rds.ModifyDBSubnetGroupInput) (*rds.ModifyDBSubnetGroupOutput, error) {
	name := lower(deref(in.DBSubnetGroupName))
	r := region(c)
	g, ok := r.SubnetGroups[name]
	if !ok {
		return nil, errSubnetGroupNotFound(name)
	}
	subnets, err := coveringSubnets(c, in.SubnetIds)
	if err != nil {
		return nil, err
	}
	if users := r.subnetGroupUsers(name); len(users) > 0 && subnets[0].vpc != deref(g.Group.VpcId) {
		return nil, api.Errorf(codeInvalidSubnet, "The new subnets are not in the same VPC as the existing subnet group, which %s uses.", users[0])
	}
	if in.DBSubnetGroupDescription != nil {
		g.Group.DBSubnetGroupDescription = in.DBSubnetGroupDescription
	}
	setSubnets(&g.Group, subnets)
	for _, inst := range r.Instances {
		if inst.DB.DBSubnetGroup != nil && lower(deref(inst.DB.DBSubnetGroup.DBSubnetGroupName)) == name {
			inst.DB.DBSubnetGroup = ptr(clone(g.Group))
		}
	}
	return &rds.ModifyDBSubnetGroupOutput{DBSubnetGroup: ptr(clone(g.Group))}, nil
}

func deleteDBSubnetGroup(c *api.Call, in *rds.DeleteDBSubnetGroupInput) (*rds.DeleteDBSubnetGroupOutput, error) {
	name := lower(deref(in.DBSubnetGroupName))
	r := region(c)
	if _, ok := r.SubnetGroups[name]; !ok {
		return nil, errSubnetGroupNotFound(name)
	}
	if users := r.subnetGroupUsers(name); len(users) > 0 {
		return nil, api.Errorf(codeSubnetGroupState, "Cannot delete the subnet group '%s' because at least one database %s is still using it.", name, users[0])
	}
	delete(r.SubnetGroups, name)
	return &rds.DeleteDBSubnetGroupOutput{}, nil
}

// subnetGroupUsers describes the clusters and instances in the group
// ("cluster: <id>", "instance: <id>").
func (r *Region) subnetGroupUsers(name string) []string {
	var users []string
	for _, id := range sortedKeys(r.Clusters) {
		if lower(deref(r.Clusters[id].DB.DBSubnetGroup)) == name {
			users = append(users, "cluster: "+id)
		}
	}
	for _, id := range sortedKeys(r.Instances) {
		if g := r.Instances[id].DB.DBSubnetGroup; g != nil && lower(deref(g.DBSubnetGroupName)) == name {
			users = append(users, "instance: "+id)
		}
	}
	return users
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
