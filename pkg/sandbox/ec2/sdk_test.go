package ec2_test

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	sbec2 "github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// env is one sandbox serving EC2 and a client for it.
type env struct {
	t   *testing.T
	srv *sandbox.Server
	ec2 *ec2.Client
	ctx context.Context
}

// newEnv starts a sandbox with the EC2 service (plus extra services) and
// no state-transition delays, so results are immediate.
func newEnv(t *testing.T, extra ...api.Service) *env {
	t.Helper()
	return newEnvWith(t, []sandbox.Option{sandbox.WithDelays(0, 0)}, extra...)
}

func newEnvWith(t *testing.T, opts []sandbox.Option, extra ...api.Service) *env {
	t.Helper()
	opts = append(opts, sandbox.WithServices(append([]api.Service{sbec2.Service()}, extra...)...))
	srv := sandboxtest.New(t, opts...)
	return &env{t: t, srv: srv, ec2: ec2.NewFromConfig(sandboxtest.AWSConfig(t, srv)), ctx: context.Background()}
}

// clientIn returns a client for another region of the same sandbox.
func (e *env) clientIn(region string) *ec2.Client {
	return ec2.NewFromConfig(sandboxtest.AWSConfig(e.t, e.srv), func(o *ec2.Options) { o.Region = region })
}

// errorCode returns the AWS error code of err, "" for nil.
func errorCode(err error) string {
	if err == nil {
		return ""
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return "not an API error: " + err.Error()
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

func tagSpec(rt types.ResourceType, kv ...string) []types.TagSpecification {
	return []types.TagSpecification{{ResourceType: rt, Tags: tags(kv...)}}
}

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func filter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

// vpc creates a VPC with the CIDR block and returns its id.
func (e *env) vpc(cidr string, kv ...string) string {
	e.t.Helper()
	in := &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)}
	if len(kv) > 0 {
		in.TagSpecifications = tagSpec(types.ResourceTypeVpc, kv...)
	}
	return aws.ToString(must(e.ec2.CreateVpc(e.ctx, in))(e.t).Vpc.VpcId)
}

// subnet creates a subnet and returns its id.
func (e *env) subnet(vpcID, cidr string) string {
	e.t.Helper()
	out := must(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr)}))(e.t)
	return aws.ToString(out.Subnet.SubnetId)
}

// group creates a security group and returns its id.
func (e *env) group(vpcID, name string) string {
	e.t.Helper()
	out := must(e.ec2.CreateSecurityGroup(e.ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(vpcID), GroupName: aws.String(name), Description: aws.String(name + " group")}))(e.t)
	return aws.ToString(out.GroupId)
}

// routeTable creates a route table and returns its id.
func (e *env) routeTable(vpcID string) string {
	e.t.Helper()
	out := must(e.ec2.CreateRouteTable(e.ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpcID)}))(e.t)
	return aws.ToString(out.RouteTable.RouteTableId)
}

// igw creates an internet gateway attached to vpcID ("" for detached).
func (e *env) igw(vpcID string) string {
	e.t.Helper()
	id := aws.ToString(must(e.ec2.CreateInternetGateway(e.ctx, &ec2.CreateInternetGatewayInput{}))(e.t).InternetGateway.InternetGatewayId)
	if vpcID != "" {
		must(e.ec2.AttachInternetGateway(e.ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(vpcID)}))(e.t)
	}
	return id
}

// mainRouteTable returns the id of the VPC's main route table.
func (e *env) mainRouteTable(vpcID string) types.RouteTable {
	e.t.Helper()
	out := must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
		filter("vpc-id", vpcID), filter("association.main", "true"),
	}}))(e.t)
	if len(out.RouteTables) != 1 {
		e.t.Fatalf("main route tables of %s: got %d, want 1", vpcID, len(out.RouteTables))
	}
	return out.RouteTables[0]
}

// sdkTypes lets cmp compare SDK types, whose structs embed an empty
// unexported marker, and treats empty and absent lists alike (the wire
// form does not tell them apart).
var sdkTypes = cmp.Options{cmp.Exporter(func(reflect.Type) bool { return true }), cmpopts.EquateEmpty()}

// shortWait bounds SDK waiters in tests.
const shortWait = 5 * time.Second

// checkCode fails the test when err does not carry the wanted code.
func checkCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := errorCode(err); got != want {
		t.Errorf("%s: error code %q, want %q (err: %v)", what, got, want, err)
	}
}

// sortedIDs returns ids in the order describe calls list them.
func sortedIDs(ids ...string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	return out
}

// asMessage is errors.As for an interface target.
func asMessage(err error, target *interface{ ErrorMessage() string }) bool {
	return errors.As(err, target)
}
