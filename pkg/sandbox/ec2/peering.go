package ec2

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Peering connection status codes.
const (
	statusInitiating   = "initiating-request"
	statusPending      = "pending-acceptance"
	statusProvisioning = "provisioning"
	statusActive       = "active"
	statusDeleting     = "deleting"
	statusDeleted      = "deleted"
	statusRejected     = "rejected"
	statusFailed       = "failed"
	statusExpired      = "expired"
)

// Lifetimes EC2 documents for peering connections: a request expires
// after a week, and finished connections stay visible for a while.
const (
	requestLifetime = 7 * 24 * time.Hour
	deletedVisible  = 2 * time.Hour
	rejectedVisible = 48 * time.Hour
)

// visibleIn reports whether the connection shows in a region: in both the
// requester's and the accepter's.
func (p *peering) visibleIn(region string) bool {
	return p.RequesterRegion == region || p.AccepterRegion == region
}

// ended reports whether the connection can no longer carry traffic.
func (p *peering) ended() bool {
	switch p.Status {
	case statusDeleting, statusDeleted, statusRejected, statusFailed, statusExpired:
		return true
	}
	return false
}

// sideIn returns "requester" or "accepter" when the VPC in the region is
// that side of the connection, "" when it is neither.
func (p *peering) sideIn(region, vpcID string) string {
	switch {
	case p.RequesterRegion == region && p.RequesterVPC == vpcID:
		return "requester"
	case p.AccepterRegion == region && p.AccepterVPC == vpcID:
		return "accepter"
	}
	return ""
}

func (p *peering) setStatus(status, message string, now time.Time) {
	p.Status, p.Message, p.Changed = status, message, now
}

// findPeering returns the connection with the id visible in e's region.
func (e *env) findPeering(id string) (*peering, error) {
	if err := kindPeering.check(id); err != nil {
		return nil, err
	}
	p := e.st.Peerings[id]
	if p == nil || !p.visibleIn(e.call.Region) {
		return nil, kindPeering.missing(id)
	}
	return p, nil
}

// createVPCPeeringConnection requests a peering between a VPC of the
// region and a VPC of the same or another region. Overlapping CIDR blocks
// make the request fail, as in EC2: it is created with status failed.
func createVPCPeeringConnection(e *env, in *ec2.CreateVpcPeeringConnectionInput) (*ec2.CreateVpcPeeringConnectionOutput, error) {
	req, acc, err := e.peeringVPCs(in)
	if err != nil {
		return nil, err
	}
	tags, err := tagSpecs(in.TagSpecifications, "vpc-peering-connection")
	if err != nil {
		return nil, err
	}
	p := &peering{
		ID: api.NewID("pcx"), RequesterVPC: req.ID, RequesterRegion: e.call.Region, RequesterCIDR: req.CIDR,
		AccepterVPC: acc.ID, AccepterRegion: peerRegion(e, in), AccepterCIDR: acc.CIDR,
		AccepterOwner: peerOwner(e, in), Expires: e.call.Now.Add(requestLifetime), Tags: tags,
	}
	if err := e.checkDuplicatePeering(p); err != nil {
		return nil, err
	}
	out := *p
	if cidrOverlap(req.CIDR, acc.CIDR) {
		p.setStatus(statusFailed, "Overlapping CIDR range", e.call.Now)
		out = *p
	} else {
		p.setStatus(statusPending, "Pending Acceptance by "+p.AccepterOwner, e.call.Now)
		out.Status, out.Message = statusInitiating, "Initiating Request to "+p.AccepterOwner
	}
	e.st.Peerings[p.ID] = p
	sdk := e.sdkPeering(&out)
	return &ec2.CreateVpcPeeringConnectionOutput{VpcPeeringConnection: &sdk}, nil
}

func peerRegion(e *env, in *ec2.CreateVpcPeeringConnectionInput) string {
	if r := aws.ToString(in.PeerRegion); r != "" {
		return r
	}
	return e.call.Region
}

func peerOwner(e *env, in *ec2.CreateVpcPeeringConnectionInput) string {
	if o := aws.ToString(in.PeerOwnerId); o != "" {
		return o
	}
	return e.call.AccountID
}

// peeringVPCs resolves the requester and accepter VPCs of a request.
func (e *env) peeringVPCs(in *ec2.CreateVpcPeeringConnectionInput) (*vpc, *vpc, error) {
	id, err := required("VpcId", in.VpcId)
	if err != nil {
		return nil, nil, err
	}
	peerID, err := required("PeerVpcId", in.PeerVpcId)
	if err != nil {
		return nil, nil, err
	}
	req, err := lookup(kindVPC, e.r.VPCs, id)
	if err != nil {
		return nil, nil, err
	}
	if peerOwner(e, in) != e.call.AccountID {
		return nil, nil, api.Errorf("UnsupportedOperation", "The sandbox has a single account (%s); peer owner %s is not supported.", e.call.AccountID, peerOwner(e, in))
	}
	acc, err := lookup(kindVPC, e.st.region(peerRegion(e, in)).VPCs, peerID)
	if err != nil {
		return nil, nil, err
	}
	if acc.ID == req.ID {
		return nil, nil, api.Errorf("InvalidParameterValue", "The requester VPC and accepter VPC must be different: %s", req.ID)
	}
	return req, acc, nil
}

// checkDuplicatePeering refuses a second live connection between the same
// two VPCs.
func (e *env) checkDuplicatePeering(p *peering) error {
	for _, q := range e.st.Peerings {
		if q.ended() {
			continue
		}
		same := q.RequesterVPC == p.RequesterVPC && q.AccepterVPC == p.AccepterVPC
		swapped := q.RequesterVPC == p.AccepterVPC && q.AccepterVPC == p.RequesterVPC
		if same || swapped {
			return api.Errorf("VpcPeeringConnectionAlreadyExists", "A VPC peering connection already exists between %s and %s: %s", p.RequesterVPC, p.AccepterVPC, q.ID)
		}
	}
	return nil
}

// acceptVPCPeeringConnection accepts a pending request, in the accepter's
// region. It becomes active after the sandbox's create delay.
func acceptVPCPeeringConnection(e *env, in *ec2.AcceptVpcPeeringConnectionInput) (*ec2.AcceptVpcPeeringConnectionOutput, error) {
	p, err := e.pendingPeering(in.VpcPeeringConnectionId)
	if err != nil {
		return nil, err
	}
	if p.AccepterRegion != e.call.Region {
		return nil, api.Errorf("OperationNotPermitted", "The VPC peering connection %s must be accepted in region %s", p.ID, p.AccepterRegion)
	}
	if e.call.World.Settings().CreateDelay > 0 {
		p.setStatus(statusProvisioning, "Provisioning", e.call.Now)
	} else {
		p.setStatus(statusActive, "Active", e.call.Now)
	}
	out := e.sdkPeering(p)
	return &ec2.AcceptVpcPeeringConnectionOutput{VpcPeeringConnection: &out}, nil
}

// rejectVPCPeeringConnection rejects a pending request.
func rejectVPCPeeringConnection(e *env, in *ec2.RejectVpcPeeringConnectionInput) (*ec2.RejectVpcPeeringConnectionOutput, error) {
	p, err := e.pendingPeering(in.VpcPeeringConnectionId)
	if err != nil {
		return nil, err
	}
	if p.AccepterRegion != e.call.Region {
		return nil, api.Errorf("OperationNotPermitted", "The VPC peering connection %s must be rejected in region %s", p.ID, p.AccepterRegion)
	}
	p.setStatus(statusRejected, "Rejected by "+e.call.AccountID, e.call.Now)
	return &ec2.RejectVpcPeeringConnectionOutput{Return: aws.Bool(true)}, nil
}

// pendingPeering resolves a connection that must await acceptance.
func (e *env) pendingPeering(id *string) (*peering, error) {
	pid, err := required("VpcPeeringConnectionId", id)
	if err != nil {
		return nil, err
	}
	p, err := e.findPeering(pid)
	if err != nil {
		return nil, err
	}
	if p.Status != statusPending {
		return nil, invalidTransition(p, statusActive)
	}
	return p, nil
}

func invalidTransition(p *peering, to string) error {
	return api.Errorf("InvalidStateTransition", "Invalid state transition for %s, attempted to transition from %s to %s", p.ID, p.Status, to)
}

// deleteVPCPeeringConnection deletes a pending or active connection from
// either side. It stays visible with status deleted, as in EC2.
func deleteVPCPeeringConnection(e *env, in *ec2.DeleteVpcPeeringConnectionInput) (*ec2.DeleteVpcPeeringConnectionOutput, error) {
	pid, err := required("VpcPeeringConnectionId", in.VpcPeeringConnectionId)
	if err != nil {
		return nil, err
	}
	p, err := e.findPeering(pid)
	if err != nil {
		return nil, err
	}
	if p.ended() {
		return nil, invalidTransition(p, statusDeleted)
	}
	e.endPeering(p)
	return &ec2.DeleteVpcPeeringConnectionOutput{Return: aws.Bool(true)}, nil
}

// endPeering deletes a live connection, through deleting when the sandbox
// has a delete delay.
func (e *env) endPeering(p *peering) {
	if e.call.World.Settings().DeleteDelay > 0 {
		p.setStatus(statusDeleting, "Deleting", e.call.Now)
		return
	}
	p.setStatus(statusDeleted, "Deleted by "+e.call.AccountID, e.call.Now)
}

// endPeeringsOf deletes the live connections of a VPC being deleted.
func (e *env) endPeeringsOf(vpcID string) {
	for _, p := range e.st.Peerings {
		if !p.ended() && p.sideIn(e.call.Region, vpcID) != "" {
			e.endPeering(p)
		}
	}
}

// sdkPeering renders a connection. The accepter's CIDR block and the
// peering options show once the request is accepted, as in EC2.
func (e *env) sdkPeering(p *peering) types.VpcPeeringConnection {
	out := types.VpcPeeringConnection{
		VpcPeeringConnectionId: aws.String(p.ID),
		Status:                 &types.VpcPeeringConnectionStateReason{Code: types.VpcPeeringConnectionStateReasonCode(p.Status), Message: aws.String(p.Message)},
		RequesterVpcInfo:       vpcInfo(p.RequesterVPC, e.call.AccountID, p.RequesterRegion, p.RequesterCIDR),
		AccepterVpcInfo:        vpcInfo(p.AccepterVPC, p.AccepterOwner, p.AccepterRegion, ""),
		Tags:                   sdkTags(p.Tags),
	}
	switch p.Status {
	case statusInitiating, statusPending:
		out.ExpirationTime = aws.Time(p.Expires)
	case statusProvisioning, statusActive, statusDeleting, statusDeleted:
		out.AccepterVpcInfo = vpcInfo(p.AccepterVPC, p.AccepterOwner, p.AccepterRegion, p.AccepterCIDR)
		options := &types.VpcPeeringConnectionOptionsDescription{
			AllowDnsResolutionFromRemoteVpc:            aws.Bool(false),
			AllowEgressFromLocalClassicLinkToRemoteVpc: aws.Bool(false),
			AllowEgressFromLocalVpcToRemoteClassicLink: aws.Bool(false),
		}
		out.RequesterVpcInfo.PeeringOptions, out.AccepterVpcInfo.PeeringOptions = options, options
	}
	return out
}

func vpcInfo(vpcID, owner, region, cidr string) *types.VpcPeeringConnectionVpcInfo {
	info := &types.VpcPeeringConnectionVpcInfo{VpcId: aws.String(vpcID), OwnerId: aws.String(owner), Region: aws.String(region)}
	if cidr != "" {
		info.CidrBlock = aws.String(cidr)
		info.CidrBlockSet = []types.CidrBlock{{CidrBlock: aws.String(cidr)}}
	}
	return info
}

// peeringFilters lists the documented DescribeVpcPeeringConnections
// filters.
func (e *env) peeringFilters() filterSet[*peering] {
	accepterCIDR := func(p *peering) []string {
		return one(aws.ToString(e.sdkPeering(p).AccepterVpcInfo.CidrBlock))
	}
	return filterSet[*peering]{
		fields: fields[*peering]{
			"accepter-vpc-info.cidr-block":  accepterCIDR,
			"accepter-vpc-info.owner-id":    func(p *peering) []string { return one(p.AccepterOwner) },
			"accepter-vpc-info.vpc-id":      func(p *peering) []string { return one(p.AccepterVPC) },
			"requester-vpc-info.cidr-block": func(p *peering) []string { return one(p.RequesterCIDR) },
			"requester-vpc-info.owner-id":   func(*peering) []string { return one(e.call.AccountID) },
			"requester-vpc-info.vpc-id":     func(p *peering) []string { return one(p.RequesterVPC) },
			"status-code":                   func(p *peering) []string { return one(p.Status) },
			"status-message":                func(p *peering) []string { return one(p.Message) },
			"vpc-peering-connection-id":     func(p *peering) []string { return one(p.ID) },
			"expiration-time": func(p *peering) []string {
				return one(p.Expires.UTC().Format("2006-01-02T15:04:05.000Z"))
			},
		},
		tags: func(p *peering) map[string]string { return p.Tags },
	}
}

// describeVPCPeeringConnections lists the connections visible in the
// region by id, filters and page.
func describeVPCPeeringConnections(e *env, in *ec2.DescribeVpcPeeringConnectionsInput) (*ec2.DescribeVpcPeeringConnectionsOutput, error) {
	visible := map[string]*peering{}
	for id, p := range e.st.Peerings {
		if p.visibleIn(e.call.Region) {
			visible[id] = p
		}
	}
	q := query{ids: in.VpcPeeringConnectionIds, filters: in.Filters, max: in.MaxResults, token: in.NextToken, bounds: bounds5to1000}
	ps, next, err := describe(kindPeering, visible, e.peeringFilters(), q, func(p *peering) string { return p.ID }, e.sdkPeering)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeVpcPeeringConnectionsOutput{NextToken: next, VpcPeeringConnections: ps}, nil
}
