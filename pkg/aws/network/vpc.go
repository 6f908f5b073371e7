package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// vpcKind describes ec2:vpc. Everything else in a VPC refers to it, so
// its delete comes last by their references.
var vpcKind = resource.Descriptor{
	Kind:         resource.KindVPC,
	TaggingTypes: []string{"ec2:vpc"},
	Fields:       resource.Fields{propCIDRBlock: {ForcesReplace: true, Reason: "a VPC's primary CIDR block cannot change"}},
	Deletion:     resource.Deletion{Placed: true},
	DataLoss:     resource.NoDataLoss,
	Create:       resource.Creation{Operations: []string{"CreateVpc"}},
}

// VPCHandler manages VPCs.
type VPCHandler struct{ base }

var (
	_ resource.Handler = (*VPCHandler)(nil)
	_ resource.Tagger  = (*VPCHandler)(nil)
	_ resource.Finder  = (*VPCHandler)(nil)
	_ resource.Resumer = (*VPCHandler)(nil)
)

// Describe returns the descriptor of ec2:vpc.
func (h *VPCHandler) Describe() resource.Descriptor { return vpcKind }

// Diff compares the CIDR block, which forces replacement.
func (h *VPCHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, vpcKind.Fields, d.Sensitive)
}

// Create makes the VPC with DNS support and host names, tagged at creation.
func (h *VPCHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	cidr := r.String(propCIDRBlock)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr), TagSpecifications: tagSpec(types.ResourceTypeVpc, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create vpc: %w", err)
	}
	return h.finish(ctx, d, aws.ToString(out.Vpc.VpcId))
}

// Resume finishes the creation of a VPC an ambiguous CreateVpc made: it
// waits for it and turns DNS support and host names on.
func (h *VPCHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	return h.finish(ctx, d, o.ID)
}

// finish waits until the new VPC is available and enables DNS on it.
func (h *VPCHandler) finish(ctx context.Context, d resource.Desired, id string) (resource.Observation, error) {
	var vpc types.Vpc
	err := poll.Until(ctx, "vpc "+id+" to become available", h.available, func(ctx context.Context) (bool, string, error) {
		v, err := h.api.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("vpc-id", id)}})
		if err != nil || len(v.Vpcs) == 0 {
			return false, "not visible yet", err
		}
		vpc = v.Vpcs[0]
		return vpc.State == types.VpcStateAvailable, string(vpc.State), nil
	})
	if err != nil {
		return resource.Observation{}, err
	}
	for _, attr := range []*ec2.ModifyVpcAttributeInput{
		{VpcId: aws.String(id), EnableDnsSupport: &types.AttributeBooleanValue{Value: aws.Bool(true)}},
		{VpcId: aws.String(id), EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}},
	} {
		if _, err := h.api.ModifyVpcAttribute(ctx, attr); err != nil {
			return resource.Observation{}, fmt.Errorf("enable dns on vpc %s: %w", id, err)
		}
	}
	vpc.State = types.VpcStateAvailable
	return vpcObservation(vpc, d.Address, h.stack), nil
}

// Update fails: nothing of a VPC changes in place.
func (h *VPCHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(vpcKind.Kind, diffs)
}

// SetTags changes the VPC's tags with CreateTags and DeleteTags.
func (h *VPCHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete removes the VPC once its subnets, groups and tables are gone.
func (h *VPCHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "vpc "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the VPC tagged with the stack and address.
func (h *VPCHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.Vpcs) == 0 {
		return resource.Observation{Address: address, Kind: vpcKind.Kind}, err
	}
	return vpcObservation(out.Vpcs[0], address, stack), nil
}

// vpcObservation is the observation of v at address.
func vpcObservation(v types.Vpc, address, stack string) resource.Observation {
	tags := tagMap(v.Tags)
	cidr := aws.ToString(v.CidrBlock)
	return observed(resource.KindVPC, address, aws.ToString(v.VpcId), tags, stack,
		resource.Props{propCIDRBlock: cidr}, map[string]string{"cidr_block": cidr, "state": string(v.State)})
}
