package ec2_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// peer creates a peering request from one VPC to another.
func (e *env) peer(from, to string) string {
	e.t.Helper()
	out := must(e.ec2.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(from), PeerVpcId: aws.String(to)}))(e.t)
	return aws.ToString(out.VpcPeeringConnection.VpcPeeringConnectionId)
}

// peering describes one peering connection.
func (e *env) peering(id string) types.VpcPeeringConnection {
	e.t.Helper()
	out := must(e.ec2.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}}))(e.t)
	return out.VpcPeeringConnections[0]
}

func TestPeeringLifecycle(t *testing.T) {
	e := newEnv(t)
	db, compute := e.vpc("10.0.0.0/16"), e.vpc("10.1.0.0/16")
	created := must(e.ec2.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{
		VpcId: aws.String(db), PeerVpcId: aws.String(compute),
		TagSpecifications: tagSpec(types.ResourceTypeVpcPeeringConnection, "Name", "db-compute"),
	}))(t).VpcPeeringConnection
	id := aws.ToString(created.VpcPeeringConnectionId)
	if created.Status.Code != types.VpcPeeringConnectionStateReasonCodeInitiatingRequest {
		t.Errorf("create status: got %q, want initiating-request", created.Status.Code)
	}
	if err := ec2.NewVpcPeeringConnectionExistsWaiter(e.ec2).Wait(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}}, shortWait); err != nil {
		t.Errorf("VpcPeeringConnectionExists waiter: %v", err)
	}
	pending := e.peering(id)
	want := types.VpcPeeringConnection{
		VpcPeeringConnectionId: aws.String(id),
		Status:                 &types.VpcPeeringConnectionStateReason{Code: types.VpcPeeringConnectionStateReasonCodePendingAcceptance, Message: aws.String("Pending Acceptance by 123456789012")},
		RequesterVpcInfo: &types.VpcPeeringConnectionVpcInfo{VpcId: aws.String(db), OwnerId: aws.String("123456789012"), Region: aws.String("eu-west-1"),
			CidrBlock: aws.String("10.0.0.0/16"), CidrBlockSet: []types.CidrBlock{{CidrBlock: aws.String("10.0.0.0/16")}}},
		AccepterVpcInfo: &types.VpcPeeringConnectionVpcInfo{VpcId: aws.String(compute), OwnerId: aws.String("123456789012"), Region: aws.String("eu-west-1")},
		ExpirationTime:  pending.ExpirationTime,
		Tags:            tags("Name", "db-compute"),
	}
	if diff := cmp.Diff(want, pending, sdkTypes); diff != "" {
		t.Errorf("pending connection (-want +got):\n%s", diff)
	}
	if pending.ExpirationTime == nil || time.Until(*pending.ExpirationTime) < 6*24*time.Hour {
		t.Errorf("a request expires after 7 days, got %v", pending.ExpirationTime)
	}

	accepted := must(e.ec2.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)}))(t).VpcPeeringConnection
	if accepted.Status.Code != types.VpcPeeringConnectionStateReasonCodeActive || aws.ToString(accepted.AccepterVpcInfo.CidrBlock) != "10.1.0.0/16" {
		t.Errorf("accepted connection: got status %q and accepter CIDR %q", accepted.Status.Code, aws.ToString(accepted.AccepterVpcInfo.CidrBlock))
	}
	_, err := e.ec2.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)})
	checkCode(t, "accept twice", err, "InvalidStateTransition")
	_, err = e.ec2.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(compute), PeerVpcId: aws.String(db)})
	checkCode(t, "a second connection between the same VPCs", err, "VpcPeeringConnectionAlreadyExists")

	must(e.ec2.DeleteVpcPeeringConnection(e.ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)}))(t)
	if got := e.peering(id).Status.Code; got != types.VpcPeeringConnectionStateReasonCodeDeleted {
		t.Errorf("status after delete: got %q, want deleted (still describable)", got)
	}
	if err := ec2.NewVpcPeeringConnectionDeletedWaiter(e.ec2).Wait(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}}, shortWait); err != nil {
		t.Errorf("VpcPeeringConnectionDeleted waiter: %v", err)
	}
	_, err = e.ec2.DeleteVpcPeeringConnection(e.ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)})
	checkCode(t, "delete twice", err, "InvalidStateTransition")
}

func TestPeeringWithDelays(t *testing.T) {
	e := newEnvWith(t, []sandbox.Option{sandbox.WithDelays(40*time.Millisecond, 40*time.Millisecond)})
	id := e.peer(e.vpc("10.0.0.0/16"), e.vpc("10.1.0.0/16"))
	accepted := must(e.ec2.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)}))(t).VpcPeeringConnection
	if accepted.Status.Code != types.VpcPeeringConnectionStateReasonCodeProvisioning {
		t.Errorf("status right after accept: got %q, want provisioning", accepted.Status.Code)
	}
	e.waitStatus(id, types.VpcPeeringConnectionStateReasonCodeActive)
	must(e.ec2.DeleteVpcPeeringConnection(e.ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)}))(t)
	if got := e.peering(id).Status.Code; got != types.VpcPeeringConnectionStateReasonCodeDeleting {
		t.Errorf("status right after delete: got %q, want deleting", got)
	}
	e.waitStatus(id, types.VpcPeeringConnectionStateReasonCodeDeleted)
}

// waitStatus polls until the connection has the status, failing after a
// few seconds.
func (e *env) waitStatus(id string, want types.VpcPeeringConnectionStateReasonCode) {
	e.t.Helper()
	deadline := time.Now().Add(shortWait)
	for time.Now().Before(deadline) {
		if e.peering(id).Status.Code == want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	e.t.Fatalf("peering %s never reached %q", id, want)
}

func TestPeeringOverlappingCIDRsFails(t *testing.T) {
	e := newEnv(t)
	id := e.peer(e.vpc("10.0.0.0/16"), e.vpc("10.0.128.0/17"))
	p := e.peering(id)
	if p.Status.Code != types.VpcPeeringConnectionStateReasonCodeFailed {
		t.Errorf("status of a request between overlapping VPCs: got %q, want failed", p.Status.Code)
	}
	_, err := e.ec2.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)})
	checkCode(t, "accept a failed request", err, "InvalidStateTransition")
}

func TestRejectPeering(t *testing.T) {
	e := newEnv(t)
	id := e.peer(e.vpc("10.0.0.0/16"), e.vpc("10.1.0.0/16"))
	must(e.ec2.RejectVpcPeeringConnection(e.ctx, &ec2.RejectVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)}))(t)
	if got := e.peering(id).Status.Code; got != types.VpcPeeringConnectionStateReasonCodeRejected {
		t.Errorf("status after reject: got %q, want rejected", got)
	}
}

func TestPeeringAcrossRegions(t *testing.T) {
	e := newEnv(t)
	us := e.clientIn("us-east-1")
	local := e.vpc("10.0.0.0/16")
	remote := aws.ToString(must(us.CreateVpc(e.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")}))(t).Vpc.VpcId)
	_, err := e.ec2.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(local), PeerVpcId: aws.String(remote)})
	checkCode(t, "peer a VPC of another region without PeerRegion", err, "InvalidVpcID.NotFound")
	id := aws.ToString(must(e.ec2.CreateVpcPeeringConnection(e.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(local), PeerVpcId: aws.String(remote), PeerRegion: aws.String("us-east-1")}))(t).VpcPeeringConnection.VpcPeeringConnectionId)
	_, err = e.ec2.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)})
	checkCode(t, "accept in the requester's region", err, "OperationNotPermitted")
	must(us.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(id)}))(t)
	for region, c := range map[string]*ec2.Client{"eu-west-1": e.ec2, "us-east-1": us} {
		got := must(c.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: []types.Filter{filter("accepter-vpc-info.vpc-id", remote)}}))(t).VpcPeeringConnections
		if len(got) != 1 || got[0].Status.Code != types.VpcPeeringConnectionStateReasonCodeActive || aws.ToString(got[0].AccepterVpcInfo.Region) != "us-east-1" {
			t.Errorf("%s: connections to %s: got %+v, want the active one", region, remote, got)
		}
	}
	if n := len(must(e.clientIn("ap-south-1").DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{}))(t).VpcPeeringConnections); n != 0 {
		t.Errorf("a third region sees %d connections, want 0", n)
	}
}

func TestDescribeVpcPeeringConnectionsFilters(t *testing.T) {
	e := newEnv(t)
	a, b, c := e.vpc("10.0.0.0/16"), e.vpc("10.1.0.0/16"), e.vpc("10.2.0.0/16")
	ab, ac := e.peer(a, b), e.peer(a, c)
	must(e.ec2.AcceptVpcPeeringConnection(e.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(ab)}))(t)
	cases := map[string]struct {
		reason  string
		filters []types.Filter
		want    []string
	}{
		"requester":     {"requester-vpc-info.vpc-id selects by requester", []types.Filter{filter("requester-vpc-info.vpc-id", a)}, sortedIDs(ab, ac)},
		"accepter":      {"accepter-vpc-info.vpc-id selects by accepter", []types.Filter{filter("accepter-vpc-info.vpc-id", c)}, []string{ac}},
		"status":        {"status-code selects by status", []types.Filter{filter("status-code", "active")}, []string{ab}},
		"status OR":     {"values OR", []types.Filter{filter("status-code", "active", "pending-acceptance")}, sortedIDs(ab, ac)},
		"accepter CIDR": {"the accepter's block shows once accepted", []types.Filter{filter("accepter-vpc-info.cidr-block", "10.*")}, []string{ab}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out := must(e.ec2.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: tc.filters}))(t)
			var got []string
			for _, p := range out.VpcPeeringConnections {
				got = append(got, aws.ToString(p.VpcPeeringConnectionId))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
	_, err := e.ec2.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{"pcx-0123456789abcdef0"}})
	checkCode(t, "unknown id", err, "InvalidVpcPeeringConnectionID.NotFound")
}

func TestPeeringErrors(t *testing.T) {
	e := newEnv(t)
	a := e.vpc("10.0.0.0/16")
	cases := map[string]struct {
		reason string
		in     *ec2.CreateVpcPeeringConnectionInput
		want   string
	}{
		"unknown requester": {"the requester VPC must exist", &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String("vpc-0123456789abcdef0"), PeerVpcId: aws.String(a)}, "InvalidVpcID.NotFound"},
		"unknown accepter":  {"the accepter VPC must exist", &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a), PeerVpcId: aws.String("vpc-0123456789abcdef0")}, "InvalidVpcID.NotFound"},
		"no peer":           {"a peer VPC is needed", &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a)}, "MissingParameter"},
		"itself":            {"a VPC cannot peer with itself", &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a), PeerVpcId: aws.String(a)}, "InvalidParameterValue"},
		"wrong tag type":    {"TagSpecifications must name the created resource's type", &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(a), PeerVpcId: aws.String(e.vpc("10.1.0.0/16")), TagSpecifications: tagSpec(types.ResourceTypeVpc, "a", "b")}, "InvalidParameterValue"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.CreateVpcPeeringConnection(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
	_, err := e.ec2.DeleteVpcPeeringConnection(e.ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String("pcx-0123456789abcdef0")})
	checkCode(t, "delete an unknown connection", err, "InvalidVpcPeeringConnectionID.NotFound")
}

func TestDeleteVpcEndsItsPeerings(t *testing.T) {
	e := newEnv(t)
	a := e.vpc("10.0.0.0/16")
	id := e.peer(a, e.vpc("10.1.0.0/16"))
	must(e.ec2.DeleteVpc(e.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(a)}))(t)
	if got := e.peering(id).Status.Code; got != types.VpcPeeringConnectionStateReasonCodeDeleted {
		t.Errorf("peering of a deleted VPC: got %q, want deleted", got)
	}
}
