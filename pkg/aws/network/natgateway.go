package network

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// replacedNAT is the Field of the props of a NAT gateway.
var replacedNAT = resource.Field{ForcesReplace: true, Reason: "a NAT gateway keeps its subnet and address"}

// natGatewayKind describes ec2:natgateway. CreateNatGateway carries a
// client token, so a retry cannot make a second gateway.
var natGatewayKind = resource.Descriptor{
	Kind:         resource.KindNATGateway,
	TaggingTypes: []string{"ec2:natgateway"},
	References: []resource.Reference{
		{Prop: propSubnetID, Kind: resource.KindSubnet, Attr: "id"},
		{Prop: propAllocationID, Kind: resource.KindElasticIP, Attr: "allocation_id"},
	},
	Fields:   resource.Fields{propSubnetID: replacedNAT, propAllocationID: replacedNAT},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateNatGateway"}, Idempotent: true},
}

// NATGatewayHandler manages NAT gateways.
type NATGatewayHandler struct{ base }

var (
	_ resource.Handler = (*NATGatewayHandler)(nil)
	_ resource.Tagger  = (*NATGatewayHandler)(nil)
	_ resource.Finder  = (*NATGatewayHandler)(nil)
)

// Describe returns the descriptor of ec2:natgateway.
func (h *NATGatewayHandler) Describe() resource.Descriptor { return natGatewayKind }

// Diff compares the subnet and the address, which force replacement.
func (h *NATGatewayHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, natGatewayKind.Fields, d.Sensitive)
}

// Create makes the gateway, tagged at creation, with a client token derived
// from the stack, the address, the subnet and the elastic IP, so a retried
// call never makes a second one, and waits until it is available. The
// elastic IP is in the token because a gateway made again later (the
// stack destroyed and applied again, or the address replaced) has a new
// one: a token already used with other parameters, or for a gateway since
// deleted, would fail or answer the deleted gateway.
func (h *NATGatewayHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	subnet, alloc := r.String(propSubnetID), r.String(propAllocationID)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	token := sha256.Sum256([]byte(h.stack + "/" + d.Address + "/" + subnet + "/" + alloc))
	out, err := h.api.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{
		SubnetId: aws.String(subnet), AllocationId: aws.String(alloc),
		ClientToken: aws.String(hex.EncodeToString(token[:16])), TagSpecifications: tagSpec(types.ResourceTypeNatgateway, d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create NAT gateway: %w", err)
	}
	g, err := h.waitAvailable(ctx, aws.ToString(out.NatGateway.NatGatewayId))
	if err != nil {
		return resource.Observation{}, err
	}
	return natObservation(g, d.Address, h.stack), nil
}

// waitAvailable waits until gateway id is available and returns it.
func (h *NATGatewayHandler) waitAvailable(ctx context.Context, id string) (types.NatGateway, error) {
	var last types.NatGateway
	err := poll.Until(ctx, "NAT gateway "+id+" to become available", h.available, func(ctx context.Context) (bool, string, error) {
		g, err := h.describe(ctx, id)
		if err != nil || g == nil {
			return false, "not visible yet", err
		}
		last = *g
		if g.State == types.NatGatewayStateFailed {
			return false, string(g.State), fmt.Errorf("NAT gateway %s failed: %s", id, aws.ToString(g.FailureMessage))
		}
		return g.State == types.NatGatewayStateAvailable, string(g.State), nil
	})
	return last, err
}

// describe returns gateway id, nil when it does not exist.
func (h *NATGatewayHandler) describe(ctx context.Context, id string) (*types.NatGateway, error) {
	out, err := h.api.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(out.NatGateways) == 0 {
		return nil, nil
	}
	return &out.NatGateways[0], nil
}

// Update fails: a NAT gateway is replaced, never changed.
func (h *NATGatewayHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(natGatewayKind.Kind, diffs)
}

// SetTags changes the gateway's tags with CreateTags and DeleteTags.
func (h *NATGatewayHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete deletes the gateway and waits until it is gone, so its address
// and subnet can go next.
func (h *NATGatewayHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	if _, err := h.api.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(o.ID)}); err != nil && !isNotFound(err) {
		return fmt.Errorf("delete NAT gateway %s: %w", o.ID, err)
	}
	return poll.Until(ctx, "NAT gateway "+o.ID+" to be deleted", h.available, func(ctx context.Context) (bool, string, error) {
		g, err := h.describe(ctx, o.ID)
		if err != nil || g == nil {
			return err == nil, "gone", err
		}
		return g.State == types.NatGatewayStateDeleted, string(g.State), nil
	})
}

// FindByAddress finds a live gateway tagged with the stack and address. It
// checks the tags itself as well: moto's DescribeNatGateways ignores tag
// filters and answers every live gateway.
func (h *NATGatewayHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: append(addressFilters(stack, address), liveNAT)})
	if err != nil {
		return resource.Observation{Address: address, Kind: natGatewayKind.Kind}, err
	}
	for _, g := range out.NatGateways {
		if tags := tagMap(g.Tags); tags[resource.TagStack] == stack && tags[resource.TagAddress] == address {
			return natObservation(g, address, stack), nil
		}
	}
	return resource.Observation{Address: address, Kind: natGatewayKind.Kind}, nil
}

// liveNAT filters out deleted and failed NAT gateways, which AWS keeps
// listing for a while.
var liveNAT = filter("state", "pending", "available")

// natObservation is the observation of g at address; its allocation_id
// is the elastic IP's.
func natObservation(g types.NatGateway, address, stack string) resource.Observation {
	alloc := ""
	for _, a := range g.NatGatewayAddresses {
		alloc = aws.ToString(a.AllocationId)
	}
	return observed(resource.KindNATGateway, address, aws.ToString(g.NatGatewayId), tagMap(g.Tags), stack,
		resource.Props{propSubnetID: aws.ToString(g.SubnetId), propAllocationID: alloc}, map[string]string{"state": string(g.State)})
}
