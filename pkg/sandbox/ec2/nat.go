package ec2

import (
	"net/netip"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// NAT gateway states.
const (
	natPending   = "pending"
	natAvailable = "available"
	natFailed    = "failed"
	natDeleting  = "deleting"
	natDeleted   = "deleted"
)

// natGoneAfter is how long deleted and failed NAT gateways stay visible.
const natGoneAfter = time.Hour

// live reports whether the gateway occupies its subnet and address.
func (n *natGateway) live() bool {
	return n.State == natPending || n.State == natAvailable || n.State == natDeleting
}

// createNATGateway creates a NAT gateway in a subnet. A public gateway
// takes an unassociated Elastic IP address and fails, as in EC2, when its
// VPC has no internet gateway.
func createNATGateway(e *env, in *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
	s, err := lookupParam(kindSubnet, e.r.Subnets, "SubnetId", in.SubnetId)
	if err != nil {
		return nil, err
	}
	connectivity := string(in.ConnectivityType)
	if connectivity == "" {
		connectivity = string(types.ConnectivityTypePublic)
	}
	if n, err := e.natByToken(in, s.ID, connectivity); n != nil || err != nil {
		return natRetry(e, n, in, err)
	}
	a, err := e.natAddress(connectivity, in.AllocationId)
	if err != nil {
		return nil, err
	}
	tags, err := tagSpecs(in.TagSpecifications, "natgateway")
	if err != nil {
		return nil, err
	}
	n := &natGateway{
		ID: api.NewID("nat"), VPCID: s.VPCID, SubnetID: s.ID, Connectivity: connectivity,
		PrivateIP: e.freePrivateIP(s), ENI: api.NewID("eni"), Created: e.call.Now, Tags: tags,
		ClientToken: aws.ToString(in.ClientToken),
	}
	e.startNAT(n, a)
	e.r.NATGateways[n.ID] = n
	out := e.sdkNATGateway(n)
	out.State, out.FailureCode, out.FailureMessage = types.NatGatewayStatePending, nil, nil
	return &ec2.CreateNatGatewayOutput{NatGateway: &out, ClientToken: in.ClientToken}, nil
}

// natByToken finds the gateway an earlier call with the same client token
// made, as EC2 does for a retry: the same gateway, in whatever state it is
// now, or IdempotentParameterMismatch when the retry asks for another
// subnet, address or connectivity.
func (e *env) natByToken(in *ec2.CreateNatGatewayInput, subnet, connectivity string) (*natGateway, error) {
	token := aws.ToString(in.ClientToken)
	if token == "" {
		return nil, nil
	}
	for _, n := range e.r.NATGateways {
		if n.ClientToken != token {
			continue
		}
		if n.SubnetID != subnet || n.Connectivity != connectivity || n.AllocationID != aws.ToString(in.AllocationId) {
			return nil, api.Errorf("IdempotentParameterMismatch", "Client token %s was used for a NAT gateway with other parameters.", token)
		}
		return n, nil
	}
	return nil, nil
}

// natRetry answers a retried CreateNatGateway with the gateway the first
// call made.
func natRetry(e *env, n *natGateway, in *ec2.CreateNatGatewayInput, err error) (*ec2.CreateNatGatewayOutput, error) {
	if err != nil {
		return nil, err
	}
	out := e.sdkNATGateway(n)
	return &ec2.CreateNatGatewayOutput{NatGateway: &out, ClientToken: in.ClientToken}, nil
}

// natAddress resolves the Elastic IP of a public gateway.
func (e *env) natAddress(connectivity string, allocationID *string) (*address, error) {
	switch connectivity {
	case string(types.ConnectivityTypePrivate):
		if allocationID != nil {
			return nil, api.Errorf("InvalidParameterCombination", "A private NAT gateway cannot have an Elastic IP address.")
		}
		return nil, nil
	case string(types.ConnectivityTypePublic):
	default:
		return nil, invalidValue("connectivityType", connectivity, "Expected public or private.")
	}
	id, err := required("AllocationId", allocationID)
	if err != nil {
		return nil, err
	}
	if !kindAddress.wellFormed(id) {
		return nil, api.Errorf("InvalidElasticIpID.Malformed", "The allocation ID '%s' is malformed", id)
	}
	a := e.r.Addresses[id]
	if a == nil {
		return nil, api.Errorf("InvalidElasticIpID.NotFound", "The allocation ID '%s' does not exist", id)
	}
	if a.AssociationID != "" {
		return nil, api.Errorf("Resource.AlreadyAssociated", "Elastic IP address [%s] is already associated", id)
	}
	return a, nil
}

// startNAT associates the gateway's address and sets its first state:
// failed without an internet gateway, pending during the create delay,
// available after it.
func (e *env) startNAT(n *natGateway, a *address) {
	if a != nil {
		n.AllocationID = a.ID
		a.AssociationID, a.ENI, a.PrivateIP = api.NewID("eipassoc"), n.ENI, n.PrivateIP
	}
	switch {
	case n.Connectivity == string(types.ConnectivityTypePublic) && e.gatewayOf(n.VPCID) == nil:
		n.FailureCode, n.FailureMessage = "Gateway.NotAttached", "Network "+n.VPCID+" has no Internet gateway attached"
		e.setNATState(n, natFailed, e.call.Now)
	case e.call.World.Settings().CreateDelay > 0:
		e.setNATState(n, natPending, e.call.Now)
	default:
		e.setNATState(n, natAvailable, e.call.Now)
	}
}

// setNATState changes a gateway's state, releasing its address once it no
// longer holds it.
func (e *env) setNATState(n *natGateway, state string, now time.Time) {
	e.r.setNATState(n, state, now)
}

func (r *Region) setNATState(n *natGateway, state string, now time.Time) {
	n.State, n.Changed = state, now
	if state == natDeleted || state == natFailed {
		if a := r.Addresses[n.AllocationID]; a != nil && a.ENI == n.ENI {
			a.AssociationID, a.ENI, a.PrivateIP = "", "", ""
		}
	}
	if state == natDeleted {
		n.Deleted = now
	}
}

// gatewayOf returns the internet gateway attached to a VPC, nil if none.
func (e *env) gatewayOf(vpcID string) *internetGateway {
	for _, g := range e.r.InternetGateways {
		if g.VPCID == vpcID {
			return g
		}
	}
	return nil
}

// freePrivateIP returns the first address of the subnet after the four EC2
// reserves that no live NAT gateway holds.
func (e *env) freePrivateIP(s *subnet) string {
	used := map[string]bool{}
	for _, n := range e.r.NATGateways {
		if n.SubnetID == s.ID && n.live() {
			used[n.PrivateIP] = true
		}
	}
	ip := netip.MustParsePrefix(s.CIDR).Addr()
	for i := 0; i < 4; i++ {
		ip = ip.Next()
	}
	for used[ip.String()] {
		ip = ip.Next()
	}
	return ip.String()
}

// deleteNATGateway deletes a gateway; deleting one already on its way out
// answers as the first delete did.
func deleteNATGateway(e *env, in *ec2.DeleteNatGatewayInput) (*ec2.DeleteNatGatewayOutput, error) {
	n, err := lookupParam(kindNAT, e.r.NATGateways, "NatGatewayId", in.NatGatewayId)
	if err != nil {
		return nil, err
	}
	switch {
	case n.State == natDeleting || n.State == natDeleted:
	case e.call.World.Settings().DeleteDelay > 0:
		e.setNATState(n, natDeleting, e.call.Now)
	default:
		e.setNATState(n, natDeleted, e.call.Now)
	}
	return &ec2.DeleteNatGatewayOutput{NatGatewayId: aws.String(n.ID)}, nil
}

// tickNATs moves NAT gateways along: pending becomes available after the
// create delay, deleting becomes deleted after the delete delay, and
// deleted or failed ones disappear after an hour.
func (r *Region) tickNATs(now time.Time, set api.Settings) {
	for id, n := range r.NATGateways {
		age := now.Sub(n.Changed)
		switch {
		case n.State == natPending && age >= set.CreateDelay:
			r.setNATState(n, natAvailable, now)
		case n.State == natDeleting && age >= set.DeleteDelay:
			r.setNATState(n, natDeleted, now)
		case (n.State == natDeleted || n.State == natFailed) && age >= natGoneAfter:
			delete(r.NATGateways, id)
		}
	}
}

func (e *env) sdkNATGateway(n *natGateway) types.NatGateway {
	out := types.NatGateway{
		NatGatewayId: aws.String(n.ID), VpcId: aws.String(n.VPCID), SubnetId: aws.String(n.SubnetID),
		ConnectivityType: types.ConnectivityType(n.Connectivity), State: types.NatGatewayState(n.State),
		CreateTime: aws.Time(n.Created), FailureCode: optional(n.FailureCode), FailureMessage: optional(n.FailureMessage),
		Tags: sdkTags(n.Tags),
	}
	if n.State == natDeleted {
		out.DeleteTime = aws.Time(n.Deleted)
	}
	addr := types.NatGatewayAddress{NetworkInterfaceId: aws.String(n.ENI), PrivateIp: aws.String(n.PrivateIP), IsPrimary: aws.Bool(true), Status: types.NatGatewayAddressStatusSucceeded}
	if a := e.r.Addresses[n.AllocationID]; a != nil && n.AllocationID != "" {
		addr.AllocationId, addr.PublicIp = aws.String(a.ID), aws.String(a.PublicIP)
		if a.ENI == n.ENI {
			addr.AssociationId = aws.String(a.AssociationID)
		}
	}
	out.NatGatewayAddresses = []types.NatGatewayAddress{addr}
	return out
}

var natFilters = filterSet[*natGateway]{
	fields: fields[*natGateway]{
		"nat-gateway-id": func(n *natGateway) []string { return one(n.ID) },
		"state":          func(n *natGateway) []string { return one(n.State) },
		"subnet-id":      func(n *natGateway) []string { return one(n.SubnetID) },
		"vpc-id":         func(n *natGateway) []string { return one(n.VPCID) },
	},
	tags: func(n *natGateway) map[string]string { return n.Tags },
}

// describeNATGateways lists gateways by id, filters and page.
func describeNATGateways(e *env, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
	q := query{ids: in.NatGatewayIds, filters: in.Filter, max: in.MaxResults, token: in.NextToken, bounds: bounds5to1000}
	ns, next, err := describe(kindNAT, e.r.NATGateways, natFilters, q, func(n *natGateway) string { return n.ID }, e.sdkNATGateway)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeNatGatewaysOutput{NextToken: next, NatGateways: ns}, nil
}

// liveNATIn reports whether a live NAT gateway sits in the subnet.
func (e *env) liveNATIn(subnetID string) bool {
	for _, n := range e.r.NATGateways {
		if n.SubnetID == subnetID && n.live() {
			return true
		}
	}
	return false
}

// publicNATIn reports whether a live public NAT gateway maps addresses in
// the VPC, which keeps its internet gateway attached.
func (e *env) publicNATIn(vpcID string) bool {
	for _, n := range e.r.NATGateways {
		if n.VPCID == vpcID && n.live() && n.Connectivity == string(types.ConnectivityTypePublic) {
			return true
		}
	}
	return false
}
