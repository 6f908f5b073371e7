package network_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/smithy-go/middleware"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// busyVPC is a VPC whose two subnets hold a load balancer (with its
// security group) and one of them a NAT gateway, in one sandbox.
type busyVPC struct {
	vpc, natSubnet, lbSubnet, group, igw, nat, lbName string
}

func newBusyVPC(t *testing.T, api *ec2.Client, lbs *elb.Client) busyVPC {
	t.Helper()
	ctx := context.Background()
	var b busyVPC
	b.vpc = aws.ToString(must(api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}))(t).Vpc.VpcId)
	b.igw = aws.ToString(must(api.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{}))(t).InternetGateway.InternetGatewayId)
	must(api.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(b.igw), VpcId: aws.String(b.vpc)}))(t)
	subnet := func(cidr, zone string) string {
		out := must(api.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(b.vpc), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(zone)}))(t)
		return aws.ToString(out.Subnet.SubnetId)
	}
	b.natSubnet, b.lbSubnet = subnet("10.0.1.0/24", "eu-west-1a"), subnet("10.0.2.0/24", "eu-west-1b")
	b.group = aws.ToString(must(api.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(b.vpc), GroupName: aws.String("web"), Description: aws.String("web")}))(t).GroupId)
	alloc := must(api.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc}))(t).AllocationId
	b.nat = aws.ToString(must(api.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(b.natSubnet), AllocationId: alloc}))(t).NatGateway.NatGatewayId)
	arn := aws.ToString(must(lbs.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
		Name: aws.String("kc"), Subnets: []string{b.natSubnet, b.lbSubnet}, SecurityGroups: []string{b.group},
	}))(t).LoadBalancers[0].LoadBalancerArn)
	b.lbName = arn[strings.Index(arn, ":loadbalancer/")+len(":loadbalancer/"):]
	return b
}

// must takes an SDK call's results and returns a function that fails the
// test on error and returns the output: must(c.CreateVpc(ctx, in))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// handler returns the registered handler of kind, with every wait cut to
// a moment.
func handler(t *testing.T, api *ec2.Client, kind resource.Kind) resource.Handler {
	t.Helper()
	set := &clients.Set{}
	network.Register(set, &clients.Clients{EC2: api}, clients.Options{Stack: stack, Wait: &poll.Options{First: 10 * time.Millisecond, Timeout: 200 * time.Millisecond}})
	for _, h := range set.Handlers {
		if h.Describe().Kind == kind {
			return h
		}
	}
	t.Fatalf("no handler of %s", kind)
	return nil
}

// TestDependencyWaitNamesDependents deletes resources that something still
// uses: the wait ends, and its error names the network interfaces in the
// way and who owns them.
func TestDependencyWaitNamesDependents(t *testing.T) {
	srv := sandboxtest.New(t)
	cfg := sandboxtest.AWSConfig(t, srv)
	api := ec2.NewFromConfig(cfg)
	b := newBusyVPC(t, api, elb.NewFromConfig(cfg))
	hint := "delete or move these, then run kcstack apply again"
	cases := map[string]struct {
		reason string
		kind   resource.Kind
		id     string
		want   []string
	}{
		"SubnetWithLoadBalancer": {
			reason: "a load balancer node keeps its subnet",
			kind:   resource.KindSubnet, id: b.lbSubnet,
			want: []string{"(ELB " + b.lbName + ", owned by amazon-elb)", hint},
		},
		"SubnetWithNATGateway": {
			reason: "a NAT gateway keeps its subnet",
			kind:   resource.KindSubnet, id: b.natSubnet,
			want: []string{"(Interface for NAT Gateway " + b.nat + ", owned by amazon-aws)", hint},
		},
		"GroupOfLoadBalancer": {
			reason: "a load balancer keeps its security group",
			kind:   resource.KindSecurityGroup, id: b.group,
			want: []string{"(ELB " + b.lbName + ", owned by amazon-elb)", hint},
		},
		"VPC": {
			reason: "a VPC is kept by the interfaces in it and by its subnets, groups and internet gateway",
			kind:   resource.KindVPC, id: b.vpc,
			want: []string{"Interface for NAT Gateway " + b.nat, "ELB " + b.lbName, "subnet " + b.lbSubnet, "security group " + b.group, "internet gateway " + b.igw, hint},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := handler(t, api, tc.kind).Delete(context.Background(), resource.Observation{Kind: tc.kind, ID: tc.id}, nil)
			if !errors.Is(err, poll.ErrTimeout) {
				t.Fatalf("%s: err %v, want a timed out wait", tc.reason, err)
			}
			for _, w := range append(tc.want, "eni-", tc.id) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: error does not name %q:\n%v", tc.reason, w, err)
				}
			}
		})
	}
}

// TestDependencyWaitLookupFails keeps the wait's error when listing the
// dependents fails too, and says that it did.
func TestDependencyWaitLookupFails(t *testing.T) {
	srv := sandboxtest.New(t)
	cfg := sandboxtest.AWSConfig(t, srv)
	b := newBusyVPC(t, ec2.NewFromConfig(cfg), elb.NewFromConfig(cfg))
	api := ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("failENIs", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if awsmiddleware.GetOperationName(ctx) == "DescribeNetworkInterfaces" {
					return middleware.InitializeOutput{}, middleware.Metadata{}, errors.New("access denied")
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
		})
	})
	err := handler(t, api, resource.KindSubnet).Delete(context.Background(), resource.Observation{Kind: resource.KindSubnet, ID: b.lbSubnet}, nil)
	if !errors.Is(err, poll.ErrTimeout) {
		t.Fatalf("err %v, want a timed out wait", err)
	}
	for _, w := range []string{"has dependencies", "listing what still uses " + b.lbSubnet + " failed", "access denied"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not say %q:\n%v", w, err)
		}
	}
}
