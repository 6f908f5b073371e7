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

// InternetGatewayHandler manages internet gateways and their attachment.
type InternetGatewayHandler struct{ base }

var (
	_ resource.Handler = (*InternetGatewayHandler)(nil)
	_ resource.Tagger  = (*InternetGatewayHandler)(nil)
)

// Kind is ec2:internet-gateway.
func (h *InternetGatewayHandler) Kind() resource.Kind { return resource.KindInternetGateway }

// Diff compares the attached VPC (in place: detach and attach).
func (h *InternetGatewayHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, nil, d.Sensitive)
}

// Create makes the gateway, tagged at creation, and attaches it.
func (h *InternetGatewayHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tagSpec(types.ResourceTypeInternetGateway, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create internet gateway: %w", err)
	}
	ob := igwObservation(*out.InternetGateway, d.Address, h.stack)
	return h.Update(ctx, d, ob, nil)
}

// Update attaches the gateway to the desired VPC, detaching it first from
// another one.
func (h *InternetGatewayHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	want, have := str(d.Props, "vpc_id"), str(o.Props, "vpc_id")
	if have != "" && have != want {
		if _, err := h.api.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(o.ID), VpcId: aws.String(have)}); err != nil {
			return resource.Observation{}, fmt.Errorf("detach %s from %s: %w", o.ID, have, err)
		}
	}
	if have != want {
		if _, err := h.api.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(o.ID), VpcId: aws.String(want)}); err != nil {
			return resource.Observation{}, fmt.Errorf("attach %s to %s: %w", o.ID, want, err)
		}
	}
	o.Props = resource.Props{"vpc_id": want}
	o.Address = d.Address
	return o, nil
}

// SetTags changes the gateway's tags with CreateTags and DeleteTags.
func (h *InternetGatewayHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete detaches and deletes the gateway, waiting while public addresses
// (a NAT gateway's) are still mapped in the VPC.
func (h *InternetGatewayHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	if vpc := str(o.Props, "vpc_id"); vpc != "" {
		err := retryDependency(ctx, "internet gateway "+o.ID, func(ctx context.Context) error {
			_, err := h.api.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(o.ID), VpcId: aws.String(vpc)})
			if errorCode(err) == "Gateway.NotAttached" {
				return nil
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	_, err := h.api.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String(o.ID)})
	if err != nil && !isNotFound(err) && errorCode(err) != "InvalidInternetGatewayID.NotFound" {
		return fmt.Errorf("delete internet gateway %s: %w", o.ID, err)
	}
	return nil
}

func igwObservation(g types.InternetGateway, address, stack string) resource.Observation {
	vpc := ""
	for _, a := range g.Attachments {
		vpc = aws.ToString(a.VpcId)
	}
	return observed(resource.KindInternetGateway, address, aws.ToString(g.InternetGatewayId), tagMap(g.Tags), stack, resource.Props{"vpc_id": vpc}, nil)
}

// ElasticIPHandler manages the elastic IP of a NAT gateway.
type ElasticIPHandler struct{ base }

var (
	_ resource.Handler = (*ElasticIPHandler)(nil)
	_ resource.Tagger  = (*ElasticIPHandler)(nil)
)

// Kind is ec2:elastic-ip.
func (h *ElasticIPHandler) Kind() resource.Kind { return resource.KindElasticIP }

// Diff compares the domain, which cannot change.
func (h *ElasticIPHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{"domain": {ForcesReplace: true, Reason: "an address's domain cannot change"}}, d.Sensitive)
}

// Create allocates the address, tagged at creation.
func (h *ElasticIPHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc, TagSpecifications: tagSpec(types.ResourceTypeElasticIp, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("allocate address: %w", err)
	}
	return eipObservation(types.Address{AllocationId: out.AllocationId, PublicIp: out.PublicIp, Domain: out.Domain, Tags: toTags(d.Tags)}, d.Address, h.stack), nil
}

// Update fails: an address has nothing to change in place.
func (h *ElasticIPHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(h.Kind(), diffs)
}

// SetTags changes the address's tags with CreateTags and DeleteTags.
func (h *ElasticIPHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete releases the address once its NAT gateway is gone.
func (h *ElasticIPHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return retryDependency(ctx, "address "+o.ID, func(ctx context.Context) error {
		_, err := h.api.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(o.ID)})
		switch errorCode(err) {
		case "InvalidAllocationID.NotFound":
			return nil
		case "InvalidIPAddress.InUse":
			return &dependencyError{err}
		}
		return err
	})
}

// FindByAddress finds the address tagged with the stack and address.
func (h *ElasticIPHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.Addresses) == 0 {
		return resource.Observation{Address: address, Kind: h.Kind()}, err
	}
	return eipObservation(out.Addresses[0], address, stack), nil
}

func eipObservation(a types.Address, address, stack string) resource.Observation {
	id := aws.ToString(a.AllocationId)
	return observed(resource.KindElasticIP, address, id, tagMap(a.Tags), stack, resource.Props{"domain": string(a.Domain)},
		map[string]string{"allocation_id": id, "public_ip": aws.ToString(a.PublicIp)})
}

// NATGatewayHandler manages NAT gateways.
type NATGatewayHandler struct{ base }

var (
	_ resource.Handler = (*NATGatewayHandler)(nil)
	_ resource.Tagger  = (*NATGatewayHandler)(nil)
)

// Kind is ec2:natgateway.
func (h *NATGatewayHandler) Kind() resource.Kind { return resource.KindNATGateway }

// Diff compares the subnet and the address, which force replacement.
func (h *NATGatewayHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	f := resource.Field{ForcesReplace: true, Reason: "a NAT gateway keeps its subnet and address"}
	return resource.DiffProps(d.Props, o.Props, resource.Fields{"subnet_id": f, "allocation_id": f}, d.Sensitive)
}

// Create makes the gateway, tagged at creation, with a client token derived
// from the stack and address so a retried call never makes a second one,
// and waits until it is available.
func (h *NATGatewayHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	token := sha256.Sum256([]byte(h.stack + "/" + d.Address + "/" + str(d.Props, "subnet_id")))
	out, err := h.api.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{
		SubnetId: aws.String(str(d.Props, "subnet_id")), AllocationId: aws.String(str(d.Props, "allocation_id")),
		ClientToken: aws.String(hex.EncodeToString(token[:16])), TagSpecifications: tagSpec(types.ResourceTypeNatgateway, d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create NAT gateway: %w", err)
	}
	id := aws.ToString(out.NatGateway.NatGatewayId)
	var last types.NatGateway
	err = poll.Until(ctx, "NAT gateway "+id+" to become available", availableWait, func(ctx context.Context) (bool, string, error) {
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
	if err != nil {
		return resource.Observation{}, err
	}
	return natObservation(last, d.Address, h.stack), nil
}

func (h *NATGatewayHandler) describe(ctx context.Context, id string) (*types.NatGateway, error) {
	out, err := h.api.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if err != nil {
		if errorCode(err) == "NatGatewayNotFound" {
			return nil, nil
		}
		return nil, err
	}
	if len(out.NatGateways) == 0 {
		return nil, nil
	}
	return &out.NatGateways[0], nil
}

// Update fails: a NAT gateway is replaced, never changed.
func (h *NATGatewayHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(h.Kind(), diffs)
}

// SetTags changes the gateway's tags with CreateTags and DeleteTags.
func (h *NATGatewayHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete deletes the gateway and waits until it is gone, so its address
// and subnet can go next.
func (h *NATGatewayHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	if _, err := h.api.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(o.ID)}); err != nil && errorCode(err) != "NatGatewayNotFound" {
		return fmt.Errorf("delete NAT gateway %s: %w", o.ID, err)
	}
	return poll.Until(ctx, "NAT gateway "+o.ID+" to be deleted", availableWait, func(ctx context.Context) (bool, string, error) {
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
		return resource.Observation{Address: address, Kind: h.Kind()}, err
	}
	for _, g := range out.NatGateways {
		if tags := tagMap(g.Tags); tags[resource.TagStack] == stack && tags[resource.TagAddress] == address {
			return natObservation(g, address, stack), nil
		}
	}
	return resource.Observation{Address: address, Kind: h.Kind()}, nil
}

// liveNAT filters out deleted and failed NAT gateways, which AWS keeps
// listing for a while.
var liveNAT = filter("state", "pending", "available")

func natObservation(g types.NatGateway, address, stack string) resource.Observation {
	alloc := ""
	for _, a := range g.NatGatewayAddresses {
		alloc = aws.ToString(a.AllocationId)
	}
	return observed(resource.KindNATGateway, address, aws.ToString(g.NatGatewayId), tagMap(g.Tags), stack,
		resource.Props{"subnet_id": aws.ToString(g.SubnetId), "allocation_id": alloc}, map[string]string{"state": string(g.State)})
}

// dependencyError marks an error that goes away when dependents are gone,
// for retryDependency.
type dependencyError struct{ err error }

func (e *dependencyError) Error() string { return e.err.Error() }
func (e *dependencyError) Unwrap() error { return e.err }
