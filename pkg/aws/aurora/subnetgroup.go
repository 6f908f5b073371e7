package aurora

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// SubnetGroupHandler creates, updates and deletes DB subnet groups
// (rds:subgrp). They have no transitional states, so nothing is waited for.
type SubnetGroupHandler struct {
	resource.Described
	api  API
	tags TaggingAPI
}

var (
	_ resource.Handler = (*SubnetGroupHandler)(nil)
	_ resource.Finder  = (*SubnetGroupHandler)(nil)
	_ resource.Tagger  = (*SubnetGroupHandler)(nil)
)

// newSubnetGroupHandler returns the DB subnet group handler over api,
// with tags to find groups by their address tag.
func newSubnetGroupHandler(api API, tags TaggingAPI) *SubnetGroupHandler {
	return &SubnetGroupHandler{Described: resource.Described{Descriptor: subnetGroupKind}, api: api, tags: tags}
}

// subnetGroupKind describes rds:subgrp. The cluster using a group refers
// to it by name, so it goes first: RDS refuses to delete a group in use.
// A retried CreateDBSubnetGroup fails on the unique name, and Create
// adopts the group tagged for the address.
var subnetGroupKind = resource.Descriptor{
	Kind:         resource.KindDBSubnetGroup,
	TaggingTypes: []string{"rds:subgrp"},
	References:   []resource.Reference{{Prop: propSubnetIDs, Kind: resource.KindSubnet, Attr: "id"}},
	Fields:       resource.Fields{propName: {ForcesReplace: true, Reason: "a DB subnet group cannot be renamed"}},
	DataLoss:     resource.NoDataLoss,
	Create:       resource.Creation{Operations: []string{"CreateDBSubnetGroup"}, Idempotent: true},
}

// subnetGroupComparisons are the group props compared otherwise than as
// plain data.
var subnetGroupComparisons = comparisons{
	propName:        {foldCase: true},
	propDescription: {compare: compareDescription},
}

// compareDescription: an empty desired description matches any, as
// Create gives the group its name as description (RDS requires one).
func compareDescription(want, have any) (differs, replace bool, reason string) {
	if w, _ := want.(string); w == "" {
		return false, false, ""
	}
	return !equalValues(want, have, false), false, ""
}

// Diff compares the props d lists with o's, without I/O.
func (h *SubnetGroupHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return diffProps(d, o, h.Descriptor.Fields, subnetGroupComparisons, "DB subnet group")
}

// subnetGroupObservation converts a described group and its tags (the
// describe output has none); address "" takes it from the address tag.
func subnetGroupObservation(g types.DBSubnetGroup, tags map[string]string, stack, address string) resource.Observation {
	name := deref(g.DBSubnetGroupName)
	var subnets []string
	for _, s := range g.Subnets {
		subnets = append(subnets, deref(s.SubnetIdentifier))
	}
	o := resource.Observation{
		Kind: resource.KindDBSubnetGroup, Exists: true, ID: name,
		Props: resource.Props{propName: name, propDescription: deref(g.DBSubnetGroupDescription), propSubnetIDs: anyList(subnets)},
		Attrs: map[string]string{
			"id": name, "name": name, "arn": deref(g.DBSubnetGroupArn),
			"vpc_id": deref(g.VpcId), "status": deref(g.SubnetGroupStatus),
		},
	}
	return owned(o, tags, stack, address)
}

// subnetGroupProps are a desired group's resolved props.
type subnetGroupProps struct {
	name, description string
	subnets           []string
}

// readSubnetGroup reads a desired group's resolved props.
func readSubnetGroup(d resource.Desired) (subnetGroupProps, error) {
	r := resource.Read(d.Props)
	p := subnetGroupProps{name: r.String(propName), description: r.OptString(propDescription), subnets: set(r.OptStrings(propSubnetIDs))}
	if err := r.Err(); err != nil {
		return p, fmt.Errorf("%s: %w", d.Address, err)
	}
	if p.name == "" {
		return p, fmt.Errorf("%s: property %s is empty", d.Address, propName)
	}
	return p, nil
}

// Create creates the group, tagged, and returns it. A group already there
// from an earlier ambiguous create of this same resource is adopted.
func (h *SubnetGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p, err := readSubnetGroup(d)
	if err != nil {
		return resource.Observation{}, err
	}
	out, err := h.api.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{
		DBSubnetGroupName: ptr(p.name), DBSubnetGroupDescription: ptr(orString(p.description, p.name)),
		SubnetIds: p.subnets, Tags: rdsTags(d.Tags),
	})
	if awserr.Is(err, codeSubnetGroupExists) {
		return h.adopt(ctx, d, p.name)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create DB subnet group %s: %w", p.name, err)
	}
	return subnetGroupObservation(*out.DBSubnetGroup, d.Tags, stackOf(d), d.Address), nil
}

// adopt returns the existing group name when it is d's own.
func (h *SubnetGroupHandler) adopt(ctx context.Context, d resource.Desired, name string) (resource.Observation, error) {
	g, err := h.describe(ctx, name)
	if err != nil {
		return resource.Observation{}, err
	}
	if g == nil {
		return resource.Observation{}, fmt.Errorf("create DB subnet group %s: it exists but cannot be read", name)
	}
	out, err := h.api.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: g.DBSubnetGroupArn})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("list tags of DB subnet group %s: %w", name, err)
	}
	tags := tagMap(out.TagList)
	if err := checkAdoptable("DB subnet group", name, tags, d); err != nil {
		return resource.Observation{}, fmt.Errorf("create DB subnet group %s: %w", name, err)
	}
	return subnetGroupObservation(*g, tags, stackOf(d), d.Address), nil
}

// Update sets the group's subnets and description to the desired ones.
func (h *SubnetGroupHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	for _, fd := range diffs {
		if fd.ForcesReplace {
			return o, fmt.Errorf("update DB subnet group %s: %s: %s", o.ID, fd.Path, fd.Reason)
		}
	}
	if len(diffs) == 0 {
		return o, nil
	}
	p, err := readSubnetGroup(d)
	if err != nil {
		return o, err
	}
	in := &rds.ModifyDBSubnetGroupInput{DBSubnetGroupName: ptr(o.ID), SubnetIds: p.subnets, DBSubnetGroupDescription: optional(p.description)}
	out, err := h.api.ModifyDBSubnetGroup(ctx, in)
	if err != nil {
		return o, fmt.Errorf("modify DB subnet group %s: %w", o.ID, err)
	}
	return subnetGroupObservation(*out.DBSubnetGroup, o.Tags, stackOf(d), d.Address), nil
}

// Delete deletes the group; one already gone is success. RDS refuses
// while a cluster still uses it, so delete the cluster first.
func (h *SubnetGroupHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: ptr(o.ID)})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("delete DB subnet group %s: %w", o.ID, err)
	}
	return nil
}

// describe returns the group name, nil when it does not exist.
func (h *SubnetGroupHandler) describe(ctx context.Context, name string) (*types.DBSubnetGroup, error) {
	out, err := h.api.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: ptr(name)})
	return first(err, "DB subnet group", name, func() []types.DBSubnetGroup { return out.DBSubnetGroups })
}

// FindByAddress finds the group of stack tagged with address through the
// tagging API, confirmed by RDS's own describe; Exists is false when
// there is none.
func (h *SubnetGroupHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	tagged, err := taggedSubnetGroups(ctx, h.tags, map[string]string{resource.TagStack: stack, resource.TagAddress: address})
	if err != nil {
		return resource.Observation{}, err
	}
	for _, arn := range resource.SortedKeys(tagged) {
		g, err := h.describe(ctx, subnetGroupName(arn))
		if err != nil {
			return resource.Observation{}, err
		}
		if g != nil {
			return subnetGroupObservation(*g, tagged[arn], stack, address), nil
		}
	}
	return resource.Observation{Address: address, Kind: subnetGroupKind.Kind}, nil
}

// subnetGroupName is the name at the end of a subnet group ARN
// (arn:aws:rds:region:account:subgrp:name).
func subnetGroupName(arn string) string {
	_, name, ok := strings.Cut(arn, ":subgrp:")
	if !ok {
		return arn
	}
	return name
}
