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

// eip allocates an Elastic IP address and returns its allocation id.
func (e *env) eip() string {
	e.t.Helper()
	return aws.ToString(must(e.ec2.AllocateAddress(e.ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc}))(e.t).AllocationId)
}

// nat creates a public NAT gateway and returns its id.
func (e *env) nat(subnetID, allocationID string) string {
	e.t.Helper()
	out := must(e.ec2.CreateNatGateway(e.ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String(allocationID)}))(e.t)
	return aws.ToString(out.NatGateway.NatGatewayId)
}

func TestNatGatewayLifecycle(t *testing.T) {
	e := newEnvWith(t, []sandbox.Option{sandbox.WithDelays(30*time.Millisecond, 30*time.Millisecond)})
	vpcID := e.vpc("10.0.0.0/16")
	e.igw(vpcID)
	public := e.subnet(vpcID, "10.0.0.0/24")
	alloc := e.eip()
	created := must(e.ec2.CreateNatGateway(e.ctx, &ec2.CreateNatGatewayInput{
		SubnetId: aws.String(public), AllocationId: aws.String(alloc), TagSpecifications: tagSpec(types.ResourceTypeNatgateway, "Name", "nat-a"),
	}))(t).NatGateway
	id := aws.ToString(created.NatGatewayId)
	if created.State != types.NatGatewayStatePending {
		t.Errorf("state right after create: got %q, want pending", created.State)
	}
	w := ec2.NewNatGatewayAvailableWaiter(e.ec2, func(o *ec2.NatGatewayAvailableWaiterOptions) {
		o.MinDelay = 10 * time.Millisecond
		o.MaxDelay = 20 * time.Millisecond
	})
	if err := w.Wait(e.ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}}, shortWait); err != nil {
		t.Fatalf("NatGatewayAvailable waiter: %v", err)
	}
	n := must(e.ec2.DescribeNatGateways(e.ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{filter("vpc-id", vpcID), filter("tag:Name", "nat-a")}}))(t).NatGateways
	if len(n) != 1 || n[0].State != types.NatGatewayStateAvailable || aws.ToString(n[0].SubnetId) != public {
		t.Fatalf("available NAT gateways of the VPC: got %+v", n)
	}
	addr := n[0].NatGatewayAddresses[0]
	if aws.ToString(addr.AllocationId) != alloc || aws.ToString(addr.PrivateIp) != "10.0.0.4" || addr.PublicIp == nil {
		t.Errorf("NAT address: got %+v, want %s with private IP 10.0.0.4", addr, alloc)
	}
	sub := must(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{public}}))(t).Subnets[0]
	if got := aws.ToInt32(sub.AvailableIpAddressCount); got != 250 {
		t.Errorf("free addresses of a /24 holding a NAT gateway: got %d, want 250", got)
	}
	eip := must(e.ec2.DescribeAddresses(e.ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{alloc}}))(t).Addresses[0]
	if aws.ToString(eip.NetworkInterfaceId) != aws.ToString(addr.NetworkInterfaceId) || eip.AssociationId == nil {
		t.Errorf("the address is associated with the NAT's interface: got %+v", eip)
	}

	rt := e.routeTable(vpcID)
	must(e.ec2.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rt), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(id)}))(t)
	if got := e.routes(rt)[0]; aws.ToString(got.NatGatewayId) != id || got.State != types.RouteStateActive {
		t.Errorf("route to the NAT gateway: got %+v", got)
	}
	_, err := e.ec2.ReleaseAddress(e.ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(alloc)})
	checkCode(t, "release an address a NAT gateway uses", err, "InvalidIPAddress.InUse")
	_, err = e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(public)})
	checkCode(t, "delete the NAT gateway's subnet", err, "DependencyViolation")
	igw := must(e.ec2.DescribeInternetGateways(e.ctx, &ec2.DescribeInternetGatewaysInput{}))(t).InternetGateways[0].InternetGatewayId
	_, err = e.ec2.DetachInternetGateway(e.ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: igw, VpcId: aws.String(vpcID)})
	checkCode(t, "detach the internet gateway under a public NAT gateway", err, "DependencyViolation")

	must(e.ec2.DeleteNatGateway(e.ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}))(t)
	dw := ec2.NewNatGatewayDeletedWaiter(e.ec2, func(o *ec2.NatGatewayDeletedWaiterOptions) {
		o.MinDelay = 10 * time.Millisecond
		o.MaxDelay = 20 * time.Millisecond
	})
	if err := dw.Wait(e.ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}}, shortWait); err != nil {
		t.Fatalf("NatGatewayDeleted waiter: %v", err)
	}
	if got := e.routes(rt)[0].State; got != types.RouteStateBlackhole {
		t.Errorf("route to a deleted NAT gateway: got %q, want blackhole", got)
	}
	must(e.ec2.ReleaseAddress(e.ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(alloc)}))(t)
	must(e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(public)}))(t)
}

func TestNatGatewayWithoutInternetGatewayFails(t *testing.T) {
	e := newEnv(t)
	sub := e.subnet(e.vpc("10.0.0.0/16"), "10.0.0.0/24")
	alloc := e.eip()
	id := e.nat(sub, alloc)
	n := must(e.ec2.DescribeNatGateways(e.ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}}))(t).NatGateways[0]
	if n.State != types.NatGatewayStateFailed || aws.ToString(n.FailureCode) != "Gateway.NotAttached" {
		t.Errorf("NAT gateway in a VPC without internet gateway: got state %q code %q, want failed Gateway.NotAttached", n.State, aws.ToString(n.FailureCode))
	}
	must(e.ec2.ReleaseAddress(e.ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(alloc)}))(t)
}

func TestCreateNatGatewayErrors(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	e.igw(vpcID)
	sub := e.subnet(vpcID, "10.0.0.0/24")
	used := e.eip()
	e.nat(sub, used)
	cases := map[string]struct {
		reason string
		in     *ec2.CreateNatGatewayInput
		want   string
	}{
		"no subnet":          {"a NAT gateway lives in a subnet", &ec2.CreateNatGatewayInput{AllocationId: aws.String(e.eip())}, "MissingParameter"},
		"unknown subnet":     {"the subnet must exist", &ec2.CreateNatGatewayInput{SubnetId: aws.String("subnet-0123456789abcdef0"), AllocationId: aws.String(used)}, "InvalidSubnetID.NotFound"},
		"no address":         {"a public NAT gateway needs an Elastic IP", &ec2.CreateNatGatewayInput{SubnetId: aws.String(sub)}, "MissingParameter"},
		"unknown address":    {"the Elastic IP must exist", &ec2.CreateNatGatewayInput{SubnetId: aws.String(sub), AllocationId: aws.String("eipalloc-0123456789abcdef0")}, "InvalidElasticIpID.NotFound"},
		"address in use":     {"an Elastic IP serves one NAT gateway", &ec2.CreateNatGatewayInput{SubnetId: aws.String(sub), AllocationId: aws.String(used)}, "Resource.AlreadyAssociated"},
		"private with an IP": {"private NAT gateways take no Elastic IP", &ec2.CreateNatGatewayInput{SubnetId: aws.String(sub), ConnectivityType: types.ConnectivityTypePrivate, AllocationId: aws.String(used)}, "InvalidParameterCombination"},
		"wrong tag type":     {"TagSpecifications must name natgateway", &ec2.CreateNatGatewayInput{SubnetId: aws.String(sub), AllocationId: aws.String(e.eip()), TagSpecifications: tagSpec(types.ResourceTypeVpc, "a", "b")}, "InvalidParameterValue"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.CreateNatGateway(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
	_, err := e.ec2.DescribeNatGateways(e.ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{"nat-0123456789abcdef0"}})
	checkCode(t, "describe an unknown NAT gateway", err, "NatGatewayNotFound")
	_, err = e.ec2.DeleteNatGateway(e.ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String("nat-0123456789abcdef0")})
	checkCode(t, "delete an unknown NAT gateway", err, "NatGatewayNotFound")
	_, err = e.ec2.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(e.routeTable(vpcID)), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String("nat-0123456789abcdef0")})
	checkCode(t, "route to an unknown NAT gateway", err, "InvalidNatGatewayID.NotFound")
}

func TestElasticIPs(t *testing.T) {
	e := newEnv(t)
	out := must(e.ec2.AllocateAddress(e.ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc, TagSpecifications: tagSpec(types.ResourceTypeElasticIp, "Name", "nat-a")}))(t)
	id, ip := aws.ToString(out.AllocationId), aws.ToString(out.PublicIp)
	other := e.eip()
	want := []types.Address{{
		AllocationId: aws.String(id), PublicIp: aws.String(ip), Domain: types.DomainTypeVpc, NetworkBorderGroup: aws.String("eu-west-1"),
		PublicIpv4Pool: aws.String("amazon"), Tags: tags("Name", "nat-a"),
	}}
	got := must(e.ec2.DescribeAddresses(e.ctx, &ec2.DescribeAddressesInput{Filters: []types.Filter{filter("tag:Name", "nat-a")}}))(t).Addresses
	if diff := cmp.Diff(want, got, sdkTypes); diff != "" {
		t.Errorf("addresses tagged nat-a (-want +got):\n%s", diff)
	}
	byIP := must(e.ec2.DescribeAddresses(e.ctx, &ec2.DescribeAddressesInput{PublicIps: []string{ip}}))(t).Addresses
	if len(byIP) != 1 || aws.ToString(byIP[0].AllocationId) != id {
		t.Errorf("address by public IP: got %+v", byIP)
	}
	if n := len(must(e.ec2.DescribeAddresses(e.ctx, &ec2.DescribeAddressesInput{}))(t).Addresses); n != 2 {
		t.Errorf("all addresses: got %d, want 2", n)
	}
	must(e.ec2.ReleaseAddress(e.ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(other)}))(t)
	_, err := e.ec2.ReleaseAddress(e.ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(other)})
	checkCode(t, "release twice", err, "InvalidAllocationID.NotFound")
	_, err = e.ec2.ReleaseAddress(e.ctx, &ec2.ReleaseAddressInput{PublicIp: aws.String(ip)})
	checkCode(t, "release by public IP", err, "InvalidParameterValue")
	_, err = e.ec2.DescribeAddresses(e.ctx, &ec2.DescribeAddressesInput{PublicIps: []string{"192.0.2.1"}})
	checkCode(t, "describe an unknown public IP", err, "InvalidAddress.NotFound")
	_, err = e.ec2.DescribeAddresses(e.ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{other}})
	checkCode(t, "describe a released address", err, "InvalidAllocationID.NotFound")
}

// TestCreateNatGatewayClientToken checks EC2's idempotency: a retry with
// the client token of a call that made a gateway answers that gateway
// (its Elastic IP is taken by then, so a second create would fail), and
// the same token with other parameters is refused.
func TestCreateNatGatewayClientToken(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	e.igw(vpcID)
	sub := e.subnet(vpcID, "10.0.0.0/24")
	alloc := e.eip()
	in := &ec2.CreateNatGatewayInput{SubnetId: aws.String(sub), AllocationId: aws.String(alloc), ClientToken: aws.String("token-1")}
	first := must(e.ec2.CreateNatGateway(e.ctx, in))(t).NatGateway
	again := must(e.ec2.CreateNatGateway(e.ctx, in))(t).NatGateway
	if got, want := aws.ToString(again.NatGatewayId), aws.ToString(first.NatGatewayId); got != want {
		t.Errorf("a retry with the same client token: got gateway %s, want %s", got, want)
	}
	all := must(e.ec2.DescribeNatGateways(e.ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{filter("vpc-id", vpcID)}}))(t).NatGateways
	if len(all) != 1 {
		t.Errorf("gateways after a retry: got %d, want 1", len(all))
	}
	_, err := e.ec2.CreateNatGateway(e.ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(sub), AllocationId: aws.String(e.eip()), ClientToken: aws.String("token-1")})
	checkCode(t, "the same client token with another Elastic IP", err, "IdempotentParameterMismatch")
}
