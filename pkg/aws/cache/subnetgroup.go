package cache

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// SubnetGroupHandler creates, updates and deletes cache subnet groups.
// They have no transitional states: nothing is waited for.
type SubnetGroupHandler struct{ handler }

var (
	_ resource.Handler = (*SubnetGroupHandler)(nil)
	_ resource.Tagger  = (*SubnetGroupHandler)(nil)
)

// subnetGroupKind describes elasticache:subnetgroup. The replication
// group using it refers to it by name and goes first. A retried
// CreateCacheSubnetGroup fails on the unique name, and Create adopts the
// group tagged for the address.
var subnetGroupKind = resource.Descriptor{
	Kind:         resource.KindCacheSubnetGroup,
	TaggingTypes: []string{string(resource.KindCacheSubnetGroup)},
	References:   []resource.Reference{{Prop: propSubnetIDs, Kind: resource.KindSubnet, Attr: "id"}},
	Fields:       resource.Fields{propName: {ForcesReplace: true, Reason: "a cache subnet group cannot be renamed"}},
	DataLoss:     resource.NoDataLoss,
	Create:       resource.Creation{Operations: []string{"CreateCacheSubnetGroup"}, Idempotent: true},
}

var subnetGroupRules = map[string]rule{propName: foldCase, propDescription: optional}

// subnetGroupObservation converts a described group and its tags.
func subnetGroupObservation(g types.CacheSubnetGroup, tags map[string]string, address, stack string) resource.Observation {
	name := aws.ToString(g.CacheSubnetGroupName)
	var subnets []string
	for _, s := range g.Subnets {
		subnets = append(subnets, aws.ToString(s.SubnetIdentifier))
	}
	props := resource.Props{propName: name, propDescription: aws.ToString(g.CacheSubnetGroupDescription), propSubnetIDs: resource.List(subnets)}
	attrs := map[string]string{propName: name, attrARN: aws.ToString(g.ARN), "vpc_id": aws.ToString(g.VpcId)}
	return ownership.Observed(resource.KindCacheSubnetGroup, address, name, stack, tags, props, attrs)
}

type subnetGroupProps struct {
	name, description string
	subnets           []string
}

func readSubnetGroup(d resource.Desired) (subnetGroupProps, error) {
	r := resource.Read(d.Props)
	p := subnetGroupProps{name: r.String(propName), description: r.OptString(propDescription), subnets: r.Strings(propSubnetIDs)}
	if err := r.Err(); err != nil {
		return p, fmt.Errorf("%s: %w", d.Address, err)
	}
	if p.description == "" {
		p.description = p.name // ElastiCache requires one
	}
	return p, nil
}

// Create creates the group, tagged. A group of that name tagged for this
// stack and address is adopted.
func (h *SubnetGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p, err := readSubnetGroup(d)
	if err != nil {
		return resource.Observation{}, err
	}
	out, err := h.API.CreateCacheSubnetGroup(ctx, &ec.CreateCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(p.name), CacheSubnetGroupDescription: aws.String(p.description),
		SubnetIds: p.subnets, Tags: ecTags(d.Tags),
	})
	if awserr.Is(err, codeSubnetGroupExists) {
		return h.adopt(ctx, d, p.name)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create cache subnet group %s: %w", p.name, err)
	}
	return subnetGroupObservation(*out.CacheSubnetGroup, d.Tags, d.Address, h.Stack), nil
}

func (h *SubnetGroupHandler) adopt(ctx context.Context, d resource.Desired, name string) (resource.Observation, error) {
	g, err := h.describe(ctx, name)
	if err != nil || g == nil {
		return resource.Observation{}, fmt.Errorf("create cache subnet group %s: it exists but cannot be read: %v", name, err)
	}
	tags, err := checkAdoptable(ctx, h.API, "cache subnet group", name, aws.ToString(g.ARN), h.Stack, d.Address)
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create cache subnet group %s: %w", name, err)
	}
	return subnetGroupObservation(*g, tags, d.Address, h.Stack), nil
}

// describe returns the group name, nil when it does not exist.
func (h *SubnetGroupHandler) describe(ctx context.Context, name string) (*types.CacheSubnetGroup, error) {
	out, err := h.API.DescribeCacheSubnetGroups(ctx, &ec.DescribeCacheSubnetGroupsInput{CacheSubnetGroupName: aws.String(name)})
	return one(err, codeSubnetGroupNotFound, "cache subnet group", name, func() []types.CacheSubnetGroup { return out.CacheSubnetGroups })
}

// Update sets the group's subnets and description.
func (h *SubnetGroupHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	p, err := readSubnetGroup(d)
	if err != nil {
		return o, err
	}
	out, err := h.API.ModifyCacheSubnetGroup(ctx, &ec.ModifyCacheSubnetGroupInput{
		CacheSubnetGroupName: aws.String(o.ID), CacheSubnetGroupDescription: aws.String(p.description), SubnetIds: p.subnets,
	})
	if err != nil {
		return o, fmt.Errorf("modify cache subnet group %s: %w", o.ID, err)
	}
	return subnetGroupObservation(*out.CacheSubnetGroup, o.Tags, d.Address, h.Stack), nil
}

// Delete deletes the group once no cache cluster uses it; one already
// gone is success.
func (h *SubnetGroupHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := clients.Refusals{Gone: []string{codeSubnetGroupNotFound}, Busy: []string{codeSubnetGroupInUse}}
	return h.DeleteWhenFree(ctx, "cache subnet group", o.ID, "to be free of cache clusters", r, func(ctx context.Context) error {
		_, err := h.API.DeleteCacheSubnetGroup(ctx, &ec.DeleteCacheSubnetGroupInput{CacheSubnetGroupName: aws.String(o.ID)})
		return err
	})
}
