package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// replacedPeering is the Field of the props that identify a peering.
var replacedPeering = resource.Field{ForcesReplace: true, Reason: "a peering connection joins fixed VPCs"}

// peeringKind describes ec2:vpc-peering-connection. The routes through a
// peering refer to it, so they go first.
var peeringKind = resource.Descriptor{
	Kind:         resource.KindPeering,
	TaggingTypes: []string{"ec2:vpc-peering-connection"},
	References: []resource.Reference{
		{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"},
		{Prop: propPeerVPCID, Kind: resource.KindVPC, Attr: "id"},
	},
	Fields:   resource.Fields{propVPCID: replacedPeering, propPeerVPCID: replacedPeering, propPeerRegion: replacedPeering},
	UniqueBy: []string{propVPCID, propPeerVPCID},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateVpcPeeringConnection"}},
	Outputs:  []resource.Output{{Name: "peering_id", Attr: "id", Description: "the VPC peering connection with the database's VPC"}},
}

// PeeringHandler manages VPC peering connections within one account.
type PeeringHandler struct{ tagged }

var (
	_ resource.Handler = (*PeeringHandler)(nil)
	_ resource.Tagger  = (*PeeringHandler)(nil)
	_ resource.Finder  = (*PeeringHandler)(nil)
	_ resource.Resumer = (*PeeringHandler)(nil)
)

// Diff compares both VPCs and the peer region (each forcing replacement)
// and reports a connection not yet active as an in-place change.
func (h *PeeringHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	diffs := h.Described.Diff(d, o)
	if st := o.Attrs["status"]; st != "" && st != string(types.VpcPeeringConnectionStateReasonCodeActive) {
		diffs = append(diffs, resource.FieldDiff{Path: "status", Before: st, After: "active"})
	}
	return diffs
}

// Create requests the connection (tagged at creation), accepts it and
// waits until it is active.
func (h *PeeringHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	vpc, peer, region := r.String(propVPCID), r.String(propPeerVPCID), r.String(propPeerRegion)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{
		VpcId: aws.String(vpc), PeerVpcId: aws.String(peer),
		PeerRegion: aws.String(region), TagSpecifications: tagSpec(types.ResourceTypeVpcPeeringConnection, d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("request peering %s → %s: %w", vpc, peer, err)
	}
	ob := peeringObservation(*out.VpcPeeringConnection, h.stack)
	ob.Address = d.Address
	return h.Update(ctx, d, ob, nil)
}

// Resume accepts a connection an ambiguous create requested, and waits
// until it is active.
func (h *PeeringHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	return h.Update(ctx, d, o, nil)
}

// Update accepts a pending connection and waits until it is active.
func (h *PeeringHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	var last types.VpcPeeringConnection
	err := poll.Until(ctx, "peering "+o.ID+" to become active", h.available, func(ctx context.Context) (bool, string, error) {
		pc, found, err := h.describe(ctx, o.ID)
		if err != nil || !found {
			return false, "not visible yet", err
		}
		last = pc
		return h.advance(ctx, o.ID, last)
	})
	if err != nil {
		return resource.Observation{}, err
	}
	ob := peeringObservation(last, h.stack)
	ob.Address = d.Address
	return ob, nil
}

// advance accepts a connection pending acceptance and reports whether pc
// is active, failing for a connection that will never be.
func (h *PeeringHandler) advance(ctx context.Context, id string, pc types.VpcPeeringConnection) (bool, string, error) {
	switch code := pc.Status.Code; code {
	case types.VpcPeeringConnectionStateReasonCodeActive:
		return true, string(code), nil
	case types.VpcPeeringConnectionStateReasonCodePendingAcceptance:
		_, err := h.api.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)})
		if awserr.Is(err, "InvalidStateTransition") {
			// An earlier attempt whose answer was lost accepted it
			// already: the next describe shows where it is.
			return false, string(code), nil
		}
		return false, string(code), err
	case types.VpcPeeringConnectionStateReasonCodeFailed, types.VpcPeeringConnectionStateReasonCodeRejected, types.VpcPeeringConnectionStateReasonCodeExpired:
		return false, string(code), fmt.Errorf("peering %s is %s: %s", id, code, aws.ToString(pc.Status.Message))
	default:
		return false, string(code), nil
	}
}

// Delete deletes the connection; routes through it go first (ordering).
func (h *PeeringHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(o.ID)})
	if err == nil || isNotFound(err) {
		return nil
	}
	if awserr.Is(err, "InvalidStateTransition") && h.gone(ctx, o.ID) {
		return nil // an earlier attempt, whose answer was lost, deleted it
	}
	return fmt.Errorf("delete peering %s: %w", o.ID, err)
}

// gone reports whether the connection id is deleting or ended.
func (h *PeeringHandler) gone(ctx context.Context, id string) bool {
	pc, found, err := h.describe(ctx, id)
	if err != nil || !found {
		return err == nil
	}
	return pc.Status != nil && gonePeering[pc.Status.Code]
}

// describe reads the connection id. It picks the connection by its id
// from the answer rather than trusting the request's id to have filtered
// it: moto's server, for one, answers every connection whatever the ids
// and filters asked for.
func (h *PeeringHandler) describe(ctx context.Context, id string) (types.VpcPeeringConnection, bool, error) {
	out, err := h.api.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
	if isNotFound(err) {
		return types.VpcPeeringConnection{}, false, nil
	}
	if err != nil {
		return types.VpcPeeringConnection{}, false, err
	}
	for _, pc := range out.VpcPeeringConnections {
		if aws.ToString(pc.VpcPeeringConnectionId) == id {
			return pc, true, nil
		}
	}
	return types.VpcPeeringConnection{}, false, nil
}

// FindByAddress finds a live connection tagged with the stack and address.
func (h *PeeringHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: addressFilters(stack, address)})
	if err != nil {
		return resource.Observation{Address: address, Kind: peeringKind.Kind}, err
	}
	for _, pc := range out.VpcPeeringConnections {
		tags := tagMap(pc.Tags) // checked here too: moto ignores the filters
		if tags[resource.TagStack] == stack && tags[resource.TagAddress] == address && (pc.Status == nil || !gonePeering[pc.Status.Code]) {
			return peeringObservation(pc, stack), nil
		}
	}
	return resource.Observation{Address: address, Kind: peeringKind.Kind}, nil
}

// gonePeering lists the statuses of peering connections that no longer exist.
var gonePeering = map[types.VpcPeeringConnectionStateReasonCode]bool{
	types.VpcPeeringConnectionStateReasonCodeDeleted: true, types.VpcPeeringConnectionStateReasonCodeDeleting: true,
	types.VpcPeeringConnectionStateReasonCodeRejected: true, types.VpcPeeringConnectionStateReasonCodeFailed: true,
	types.VpcPeeringConnectionStateReasonCodeExpired: true,
}

// peeringObservation is the observation of pc at its address tag: its
// vpc_id is the requester's, its peer_vpc_id the accepter's.
func peeringObservation(pc types.VpcPeeringConnection, stack string) resource.Observation {
	tags := tagMap(pc.Tags)
	var req, acc types.VpcPeeringConnectionVpcInfo
	if pc.RequesterVpcInfo != nil {
		req = *pc.RequesterVpcInfo
	}
	if pc.AccepterVpcInfo != nil {
		acc = *pc.AccepterVpcInfo
	}
	status := ""
	if pc.Status != nil {
		status = string(pc.Status.Code)
	}
	return observed(resource.KindPeering, tags[resource.TagAddress], aws.ToString(pc.VpcPeeringConnectionId), tags, stack, resource.Props{
		propVPCID: aws.ToString(req.VpcId), propPeerVPCID: aws.ToString(acc.VpcId), propPeerRegion: aws.ToString(acc.Region),
	}, map[string]string{"status": status, "requester_vpc_id": aws.ToString(req.VpcId), "accepter_vpc_id": aws.ToString(acc.VpcId)})
}
