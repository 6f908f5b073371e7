package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

// subnetKind describes ec2:subnet. What sits in a subnet (NAT gateways,
// DB subnet groups, load balancers, services) refers to it, so those go
// first by their references; DeleteSubnet then waits out the network
// interfaces AWS removes in the background.
var subnetKind = resource.Descriptor{
	Kind:         resource.KindSubnet,
	TaggingTypes: []string{"ec2:subnet"},
	References:   []resource.Reference{{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Fields: resource.Fields{
		propVPCID:            {ForcesReplace: true, Reason: "a subnet cannot move to another VPC"},
		propCIDRBlock:        {ForcesReplace: true, Reason: "a subnet's CIDR block cannot change"},
		propAvailabilityZone: {ForcesReplace: true, Reason: "a subnet cannot move to another zone"},
	},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateSubnet"}},
}

// SubnetHandler manages subnets.
type SubnetHandler struct{ base }

var (
	_ resource.Handler = (*SubnetHandler)(nil)
	_ resource.Tagger  = (*SubnetHandler)(nil)
	_ resource.Finder  = (*SubnetHandler)(nil)
)

// Describe returns the descriptor of ec2:subnet.
func (h *SubnetHandler) Describe() resource.Descriptor { return subnetKind }

// Diff compares VPC, CIDR block and zone, each forcing replacement.
func (h *SubnetHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, subnetKind.Fields, d.Sensitive)
}

// Create makes the subnet, tagged at creation.
func (h *SubnetHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	vpc, cidr, zone := r.String(propVPCID), r.String(propCIDRBlock), r.String(propAvailabilityZone)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.CreateSubnet(ctx, &ec2.CreateSubnetInput{
		VpcId: aws.String(vpc), CidrBlock: aws.String(cidr),
		AvailabilityZone: aws.String(zone), TagSpecifications: tagSpec(types.ResourceTypeSubnet, d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create subnet %s: %w", cidr, err)
	}
	return subnetObservation(*out.Subnet, d.Address, h.stack), nil
}

// subnetObservation is the observation of s at address.
func subnetObservation(s types.Subnet, address, stack string) resource.Observation {
	return observed(resource.KindSubnet, address, aws.ToString(s.SubnetId), tagMap(s.Tags), stack, resource.Props{
		propVPCID: aws.ToString(s.VpcId), propCIDRBlock: aws.ToString(s.CidrBlock), propAvailabilityZone: aws.ToString(s.AvailabilityZone),
	}, map[string]string{"cidr_block": aws.ToString(s.CidrBlock)})
}

// Update fails: nothing of a subnet changes in place.
func (h *SubnetHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(subnetKind.Kind, diffs)
}

// SetTags changes the subnet's tags with CreateTags and DeleteTags.
func (h *SubnetHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete removes the subnet, waiting out network interfaces of deleted
// databases.
func (h *SubnetHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "subnet "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the subnet tagged with the stack and address.
func (h *SubnetHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.Subnets) == 0 {
		return resource.Observation{Address: address, Kind: subnetKind.Kind}, err
	}
	return subnetObservation(out.Subnets[0], address, stack), nil
}
