package network

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Handlers returns a handler for every kind this package manages, plus the
// observers that read them, sharing one EC2 client.
func Handlers(api API, stack string) ([]resource.Handler, []resource.Observer) {
	b := base{api: api, stack: stack}
	return []resource.Handler{
			&VPCHandler{b}, &SubnetHandler{b}, &RouteTableHandler{b}, &AssociationHandler{b},
			&SecurityGroupHandler{b}, &RuleHandler{b}, &PeeringHandler{b}, &RouteHandler{b},
			&InternetGatewayHandler{b}, &ElasticIPHandler{b}, &NATGatewayHandler{b},
		}, []resource.Observer{
			&Observer{API: api}, &RouteObserver{API: api},
		}
}

// base is what every handler shares.
type base struct {
	api   API
	stack string
}

// Waits used by the handlers; tests shorten them.
var (
	availableWait  = poll.Options{Timeout: 10 * time.Minute}
	dependencyWait = poll.Options{First: 500 * time.Millisecond, Max: 10 * time.Second, Timeout: 10 * time.Minute}
)

// retryDependency runs del until it stops failing with DependencyViolation
// (dependents such as ENIs of a deleted database disappear in the
// background) or the wait times out. Not-found is success.
func retryDependency(ctx context.Context, what string, del func(context.Context) error) error {
	return poll.Until(ctx, what+" to lose its dependents", dependencyWait, func(ctx context.Context) (bool, string, error) {
		err := del(ctx)
		switch {
		case err == nil || isNotFound(err):
			return true, "", nil
		case errorCode(err) == "DependencyViolation" || errors.As(err, new(*dependencyError)):
			return false, err.Error(), nil
		}
		return false, "", err
	})
}

// noUpdate is the Update of kinds whose every field forces replacement.
func noUpdate(k resource.Kind, diffs []resource.FieldDiff) error {
	return fmt.Errorf("%s cannot be updated in place (%d fields differ); plan a replacement", k, len(diffs))
}

// VPCHandler manages VPCs.
type VPCHandler struct{ base }

var (
	_ resource.Handler = (*VPCHandler)(nil)
	_ resource.Tagger  = (*VPCHandler)(nil)
)

// Kind is ec2:vpc.
func (h *VPCHandler) Kind() resource.Kind { return resource.KindVPC }

// Diff compares the CIDR block, which forces replacement.
func (h *VPCHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{"cidr_block": {ForcesReplace: true, Reason: "a VPC's primary CIDR block cannot change"}}, d.Sensitive)
}

// Create makes the VPC with DNS support and host names, tagged at creation.
func (h *VPCHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(str(d.Props, "cidr_block")), TagSpecifications: tagSpec(types.ResourceTypeVpc, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create vpc: %w", err)
	}
	return h.finish(ctx, d, aws.ToString(out.Vpc.VpcId))
}

// Resume finishes the creation of a VPC an ambiguous CreateVpc made: it
// waits for it and turns DNS support and host names on.
func (h *VPCHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	return h.finish(ctx, d, o.ID)
}

var _ resource.Resumer = (*VPCHandler)(nil)

// finish waits until the new VPC is available and enables DNS on it.
func (h *VPCHandler) finish(ctx context.Context, d resource.Desired, id string) (resource.Observation, error) {
	var vpc types.Vpc
	err := poll.Until(ctx, "vpc "+id+" to become available", availableWait, func(ctx context.Context) (bool, string, error) {
		v, err := h.api.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("vpc-id", id)}})
		if err != nil || len(v.Vpcs) == 0 {
			return false, "not visible yet", err
		}
		vpc = v.Vpcs[0]
		return vpc.State == types.VpcStateAvailable, string(vpc.State), nil
	})
	if err != nil {
		return resource.Observation{}, err
	}
	for _, attr := range []*ec2.ModifyVpcAttributeInput{
		{VpcId: aws.String(id), EnableDnsSupport: &types.AttributeBooleanValue{Value: aws.Bool(true)}},
		{VpcId: aws.String(id), EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}},
	} {
		if _, err := h.api.ModifyVpcAttribute(ctx, attr); err != nil {
			return resource.Observation{}, fmt.Errorf("enable dns on vpc %s: %w", id, err)
		}
	}
	vpc.State = types.VpcStateAvailable
	return vpcObservation(vpc, d.Address, h.stack), nil
}

// Update fails: nothing of a VPC changes in place.
func (h *VPCHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(h.Kind(), diffs)
}

// SetTags changes the VPC's tags with CreateTags and DeleteTags.
func (h *VPCHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete removes the VPC once its subnets, groups and tables are gone.
func (h *VPCHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return retryDependency(ctx, "vpc "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the VPC tagged with the stack and address.
func (h *VPCHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.Vpcs) == 0 {
		return resource.Observation{Address: address, Kind: h.Kind()}, err
	}
	return vpcObservation(out.Vpcs[0], address, stack), nil
}

func addressFilters(stack, address string) []types.Filter {
	return []types.Filter{ownedBy(stack), filter("tag:"+resource.TagAddress, address)}
}

// SubnetHandler manages subnets.
type SubnetHandler struct{ base }

var (
	_ resource.Handler = (*SubnetHandler)(nil)
	_ resource.Tagger  = (*SubnetHandler)(nil)
)

// Kind is ec2:subnet.
func (h *SubnetHandler) Kind() resource.Kind { return resource.KindSubnet }

// Diff compares VPC, CIDR block and zone, each forcing replacement.
func (h *SubnetHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{
		"vpc_id":            {ForcesReplace: true, Reason: "a subnet cannot move to another VPC"},
		"cidr_block":        {ForcesReplace: true, Reason: "a subnet's CIDR block cannot change"},
		"availability_zone": {ForcesReplace: true, Reason: "a subnet cannot move to another zone"},
	}, d.Sensitive)
}

// Create makes the subnet, tagged at creation.
func (h *SubnetHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.CreateSubnet(ctx, &ec2.CreateSubnetInput{
		VpcId: aws.String(str(d.Props, "vpc_id")), CidrBlock: aws.String(str(d.Props, "cidr_block")),
		AvailabilityZone: aws.String(str(d.Props, "availability_zone")), TagSpecifications: tagSpec(types.ResourceTypeSubnet, d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create subnet %s: %w", str(d.Props, "cidr_block"), err)
	}
	return subnetObservation(*out.Subnet, d.Address, h.stack), nil
}

func subnetObservation(s types.Subnet, address, stack string) resource.Observation {
	return observed(resource.KindSubnet, address, aws.ToString(s.SubnetId), tagMap(s.Tags), stack, resource.Props{
		"vpc_id": aws.ToString(s.VpcId), "cidr_block": aws.ToString(s.CidrBlock), "availability_zone": aws.ToString(s.AvailabilityZone),
	}, map[string]string{"cidr_block": aws.ToString(s.CidrBlock)})
}

// Update fails: nothing of a subnet changes in place.
func (h *SubnetHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(h.Kind(), diffs)
}

// SetTags changes the subnet's tags with CreateTags and DeleteTags.
func (h *SubnetHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete removes the subnet, waiting out network interfaces of deleted
// databases.
func (h *SubnetHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return retryDependency(ctx, "subnet "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the subnet tagged with the stack and address.
func (h *SubnetHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.Subnets) == 0 {
		return resource.Observation{Address: address, Kind: h.Kind()}, err
	}
	return subnetObservation(out.Subnets[0], address, stack), nil
}

// RouteTableHandler manages route tables.
type RouteTableHandler struct{ base }

var (
	_ resource.Handler = (*RouteTableHandler)(nil)
	_ resource.Tagger  = (*RouteTableHandler)(nil)
)

// Kind is ec2:route-table.
func (h *RouteTableHandler) Kind() resource.Kind { return resource.KindRouteTable }

// Diff compares the VPC, which forces replacement.
func (h *RouteTableHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{"vpc_id": {ForcesReplace: true, Reason: "a route table cannot move to another VPC"}}, d.Sensitive)
}

// Create makes the route table, tagged at creation.
func (h *RouteTableHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(str(d.Props, "vpc_id")), TagSpecifications: tagSpec(types.ResourceTypeRouteTable, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create route table: %w", err)
	}
	t := out.RouteTable
	return observed(resource.KindRouteTable, d.Address, aws.ToString(t.RouteTableId), tagMap(t.Tags), h.stack, resource.Props{"vpc_id": aws.ToString(t.VpcId)}, nil), nil
}

// Update fails: nothing of a route table changes in place.
func (h *RouteTableHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(h.Kind(), diffs)
}

// SetTags changes the route table's tags with CreateTags and DeleteTags.
func (h *RouteTableHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete removes the route table once its associations are gone.
func (h *RouteTableHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return retryDependency(ctx, "route table "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the route table tagged with the stack and address.
func (h *RouteTableHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.RouteTables) == 0 {
		return resource.Observation{Address: address, Kind: h.Kind()}, err
	}
	t := out.RouteTables[0]
	return observed(resource.KindRouteTable, address, aws.ToString(t.RouteTableId), tagMap(t.Tags), stack, resource.Props{"vpc_id": aws.ToString(t.VpcId)}, nil), nil
}
