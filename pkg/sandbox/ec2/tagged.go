package ec2

import (
	"sort"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// resource is one taggable resource as the tag listings see it.
type resource struct {
	id   string
	kind kind
	tags map[string]string
}

// resources lists every taggable resource visible in a region.
func (s *State) resources(region string) []resource {
	r := s.region(region)
	var out []resource
	add := func(k kind, id string, tags map[string]string) {
		out = append(out, resource{id: id, kind: k, tags: tags})
	}
	for _, v := range r.VPCs {
		add(kindVPC, v.ID, v.Tags)
	}
	for _, v := range r.Subnets {
		add(kindSubnet, v.ID, v.Tags)
	}
	for _, v := range r.RouteTables {
		add(kindRouteTable, v.ID, v.Tags)
	}
	for _, v := range r.InternetGateways {
		add(kindInternetGateway, v.ID, v.Tags)
	}
	for _, g := range r.SecurityGroups {
		add(kindSecurityGroup, g.ID, g.Tags)
		for _, rule := range g.Rules {
			add(kindRule, rule.ID, rule.Tags)
		}
	}
	for _, n := range r.NATGateways {
		add(kindNAT, n.ID, n.Tags)
	}
	for _, a := range r.Addresses {
		add(kindAddress, a.ID, a.Tags)
	}
	for _, p := range s.Peerings {
		if p.visibleIn(region) {
			add(kindPeering, p.ID, p.Tags)
		}
	}
	return out
}

// TaggedResources lists every taggable EC2 resource in every region, for
// the resource groups tagging API.
func (s *State) TaggedResources() []api.TaggedResource {
	var out []api.TaggedResource
	for _, region := range sortedKeys(s.Regions) {
		for _, res := range s.resources(region) {
			out = append(out, api.TaggedResource{
				ARN:    arn(region, s.account(), res.kind, res.id),
				Type:   res.kind.taggingType,
				Region: region,
				Tags:   copyTags(res.tags),
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}

var _ api.Tagged = (*State)(nil)

// arn builds an EC2 resource ARN (arn:aws:ec2:<region>:<account>:vpc/vpc-...).
func arn(region, account string, k kind, id string) string {
	return "arn:aws:ec2:" + region + ":" + account + ":" + k.resourceType + "/" + id
}
