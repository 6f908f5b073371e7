package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// internetGatewayKind describes ec2:internet-gateway. AWS refuses to
// detach a gateway while public addresses are mapped in its VPC: those of
// the NAT gateways and their elastic IPs, and of internet-facing load
// balancers, none of which names the gateway.
var internetGatewayKind = resource.Descriptor{
	Kind:         resource.KindInternetGateway,
	TaggingTypes: []string{"ec2:internet-gateway"},
	References:   []resource.Reference{{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Deletion: resource.Deletion{After: []resource.Kind{
		resource.KindElasticIP, resource.KindNATGateway, resource.KindLoadBalancer,
	}},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateInternetGateway"}},
}

// InternetGatewayHandler manages internet gateways and their attachment.
type InternetGatewayHandler struct{ base }

var (
	_ resource.Handler = (*InternetGatewayHandler)(nil)
	_ resource.Tagger  = (*InternetGatewayHandler)(nil)
	_ resource.Finder  = (*InternetGatewayHandler)(nil)
	_ resource.Resumer = (*InternetGatewayHandler)(nil)
)

// Describe returns the descriptor of ec2:internet-gateway.
func (h *InternetGatewayHandler) Describe() resource.Descriptor { return internetGatewayKind }

// Diff compares the attached VPC (in place: detach and attach).
func (h *InternetGatewayHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, internetGatewayKind.Fields, d.Sensitive)
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
		if _, err := h.api.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: aws.String(o.ID), VpcId: aws.String(have)}); err != nil {
			return resource.Observation{}, fmt.Errorf("detach %s from %s: %w", o.ID, have, err)
		}
	}
	if have != want {
		if _, err := h.api.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(o.ID), VpcId: aws.String(want)}); err != nil {
			return resource.Observation{}, fmt.Errorf("attach %s to %s: %w", o.ID, want, err)
		}
	}
	o.Props = resource.Props{propVPCID: want}
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

// FindByAddress finds the gateway tagged with the stack and address.
func (h *InternetGatewayHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.InternetGateways) == 0 {
		return resource.Observation{Address: address, Kind: internetGatewayKind.Kind}, err
	}
	return igwObservation(out.InternetGateways[0], address, stack), nil
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
