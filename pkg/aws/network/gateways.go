package network

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// internetGatewayKind describes ec2:internet-gateway. AWS refuses to
// detach a gateway while public addresses are mapped in its VPC: those of
// the NAT gateways and their elastic IPs, and of internet-facing load
// balancers, none of which names the gateway. Neither the gateway's
// create nor its attachment may be retried blindly (a second gateway; an
// attachment refused with Resource.AlreadyAssociated): the engine finds
// the gateway by its tags and Resume attaches it only when it is not.
var internetGatewayKind = resource.Descriptor{
	Kind:         resource.KindInternetGateway,
	TaggingTypes: []string{"ec2:internet-gateway"},
	References:   []resource.Reference{{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Deletion: resource.Deletion{After: []resource.Kind{
		resource.KindElasticIP, resource.KindNATGateway, resource.KindLoadBalancer,
	}},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateInternetGateway", "AttachInternetGateway"}},
}

// InternetGatewayHandler manages internet gateways and their attachment.
type InternetGatewayHandler struct{ tagged }

var (
	_ resource.Handler = (*InternetGatewayHandler)(nil)
	_ resource.Tagger  = (*InternetGatewayHandler)(nil)
	_ resource.Finder  = (*InternetGatewayHandler)(nil)
	_ resource.Resumer = (*InternetGatewayHandler)(nil)
)

// Create makes the gateway, tagged at creation, and attaches it.
func (h *InternetGatewayHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: tagSpec(types.ResourceTypeInternetGateway, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create internet gateway: %w", err)
	}
	ob := igwObservation(*out.InternetGateway, d.Address, h.stack)
	return h.Update(ctx, d, ob, nil)
}

// Resume attaches a gateway an earlier create made (its answer lost, or
// its attachment failed).
func (h *InternetGatewayHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	return h.Update(ctx, d, o, nil)
}

// Update attaches the gateway to the desired VPC, detaching it first from
// another one.
func (h *InternetGatewayHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	wantR, haveR := resource.Read(d.Props), resource.Read(o.Props)
	want, have := wantR.String(propVPCID), haveR.OptString(propVPCID)
	if err := wantR.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	if err := haveR.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("internet gateway %s as observed: %w", o.ID, err)
	}
	if have != "" && have != want {
		if err := h.detach(ctx, o.ID, have); err != nil {
			return resource.Observation{}, err
		}
	}
	if have != want {
		if err := h.attach(ctx, o.ID, want); err != nil {
			return resource.Observation{}, err
		}
	}
	o.Props = resource.Props{propVPCID: want}
	o.Address = d.Address
	return o, nil
}

// Delete detaches and deletes the gateway, waiting while public addresses
// (a NAT gateway's) are still mapped in the VPC.
func (h *InternetGatewayHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := resource.Read(o.Props)
	vpc := r.OptString(propVPCID)
	if err := r.Err(); err != nil {
		return fmt.Errorf("internet gateway %s as observed: %w", o.ID, err)
	}
	if vpc != "" {
		if err := h.detach(ctx, o.ID, vpc); err != nil {
			return err
		}
	}
	_, err := h.api.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: aws.String(o.ID)})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("delete internet gateway %s: %w", o.ID, err)
	}
	return nil
}

// detach detaches gateway id from vpc, waiting out mapped addresses.
func (h *InternetGatewayHandler) detach(ctx context.Context, id, vpc string) error {
	return h.retryDependency(ctx, "internet gateway "+id, func(ctx context.Context) error {
		_, err := h.api.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(vpc)})
		if awserr.Is(err, "Gateway.NotAttached") {
			return nil
		}
		return err
	})
}

// attach attaches gateway id to vpc. Refused with
// Resource.AlreadyAssociated, as when an earlier call whose answer was
// lost attached it, it reads the gateway again: attached to vpc, the
// attachment is adopted; attached elsewhere, or vpc holding another
// gateway, the refusal is the error.
func (h *InternetGatewayHandler) attach(ctx context.Context, id, vpc string) error {
	_, err := h.api.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(vpc)})
	if err == nil {
		return nil
	}
	if !awserr.Is(err, "Resource.AlreadyAssociated") {
		return fmt.Errorf("attach %s to %s: %w", id, vpc, err)
	}
	out, derr := h.api.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{id}})
	if derr != nil {
		return fmt.Errorf("attach %s to %s: %w; reading its attachment: %w", id, vpc, err, derr)
	}
	for _, g := range out.InternetGateways {
		if igwObservation(g, "", "").Props[propVPCID] == vpc {
			return nil
		}
	}
	return fmt.Errorf("attach %s to %s: %w", id, vpc, err)
}

// FindByAddress finds the gateway tagged with the stack and address.
func (h *InternetGatewayHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: addressFilters(stack, address)})
	return foundByAddress(internetGatewayKind.Kind, address, err, func() []types.InternetGateway { return out.InternetGateways }, func(x types.InternetGateway) resource.Observation {
		return igwObservation(x, address, stack)
	})
}

// igwObservation is the observation of g at address; its vpc_id is ""
// when it is detached.
func igwObservation(g types.InternetGateway, address, stack string) resource.Observation {
	vpc := ""
	for _, a := range g.Attachments {
		vpc = aws.ToString(a.VpcId)
	}
	return observed(resource.KindInternetGateway, address, aws.ToString(g.InternetGatewayId), tagMap(g.Tags), stack, resource.Props{propVPCID: vpc}, nil)
}

// elasticIPKind describes ec2:elastic-ip. It refers to nothing; the NAT
// gateway using it refers to it by its allocation_id, and goes first.
var elasticIPKind = resource.Descriptor{
	Kind:         resource.KindElasticIP,
	TaggingTypes: []string{"ec2:elastic-ip"},
	Fields:       resource.Fields{propDomain: {ForcesReplace: true, Reason: "an address's domain cannot change"}},
	Deletion:     resource.Deletion{Placed: true},
	DataLoss:     resource.NoDataLoss,
	Create:       resource.Creation{Operations: []string{"AllocateAddress"}},
}

// ElasticIPHandler manages the elastic IP of a NAT gateway.
type ElasticIPHandler struct{ fixed }

var (
	_ resource.Handler = (*ElasticIPHandler)(nil)
	_ resource.Tagger  = (*ElasticIPHandler)(nil)
	_ resource.Finder  = (*ElasticIPHandler)(nil)
)

// Create allocates the address, tagged at creation.
func (h *ElasticIPHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc, TagSpecifications: tagSpec(types.ResourceTypeElasticIp, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("allocate address: %w", err)
	}
	return eipObservation(types.Address{AllocationId: out.AllocationId, PublicIp: out.PublicIp, Domain: out.Domain, Tags: toTags(d.Tags)}, d.Address, h.stack), nil
}

// Delete releases the address once its NAT gateway is gone.
func (h *ElasticIPHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "address "+o.ID, func(ctx context.Context) error {
		_, err := h.api.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(o.ID)})
		switch {
		case awserr.Is(err, "InvalidAllocationID.NotFound"):
			return nil
		case awserr.Is(err, "InvalidIPAddress.InUse"):
			return &dependencyError{err}
		}
		return err
	})
}

// FindByAddress finds the address tagged with the stack and address.
func (h *ElasticIPHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: addressFilters(stack, address)})
	return foundByAddress(elasticIPKind.Kind, address, err, func() []types.Address { return out.Addresses }, func(x types.Address) resource.Observation {
		return eipObservation(x, address, stack)
	})
}

// eipObservation is the observation of a at address; its id is its
// allocation id, also its allocation_id attribute.
func eipObservation(a types.Address, address, stack string) resource.Observation {
	id := aws.ToString(a.AllocationId)
	return observed(resource.KindElasticIP, address, id, tagMap(a.Tags), stack, resource.Props{propDomain: string(a.Domain)},
		map[string]string{"allocation_id": id, "public_ip": aws.ToString(a.PublicIp)})
}

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
type NATGatewayHandler struct{ fixed }

var (
	_ resource.Handler = (*NATGatewayHandler)(nil)
	_ resource.Tagger  = (*NATGatewayHandler)(nil)
	_ resource.Finder  = (*NATGatewayHandler)(nil)
)

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
