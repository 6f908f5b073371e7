package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// vpcKind describes ec2:vpc. Everything else in a VPC refers to it, so
// its delete comes last by their references.
var vpcKind = resource.Descriptor{
	Kind:         resource.KindVPC,
	TaggingTypes: []string{"ec2:vpc"},
	Fields:       resource.Fields{propCIDRBlock: {ForcesReplace: true, Reason: "a VPC's primary CIDR block cannot change"}},
	Deletion:     resource.Deletion{Placed: true},
	DataLoss:     resource.NoDataLoss,
	Create:       resource.Creation{Operations: []string{"CreateVpc"}},
}

// VPCHandler manages VPCs.
type VPCHandler struct{ fixed }

var (
	_ resource.Handler = (*VPCHandler)(nil)
	_ resource.Tagger  = (*VPCHandler)(nil)
	_ resource.Finder  = (*VPCHandler)(nil)
	_ resource.Resumer = (*VPCHandler)(nil)
)

// Create makes the VPC with DNS support and host names, tagged at creation.
func (h *VPCHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	cidr := r.String(propCIDRBlock)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr), TagSpecifications: tagSpec(types.ResourceTypeVpc, d.Tags)})
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

// finish waits until the new VPC is available and enables DNS on it.
func (h *VPCHandler) finish(ctx context.Context, d resource.Desired, id string) (resource.Observation, error) {
	var vpc types.Vpc
	err := poll.Until(ctx, "vpc "+id+" to become available", h.available, func(ctx context.Context) (bool, string, error) {
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

// Delete removes the VPC once its subnets, groups and tables are gone.
func (h *VPCHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "vpc "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the VPC tagged with the stack and address.
func (h *VPCHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: addressFilters(stack, address)})
	return foundByAddress(vpcKind.Kind, address, err, func() []types.Vpc { return out.Vpcs }, func(x types.Vpc) resource.Observation {
		return vpcObservation(x, address, stack)
	})
}

// vpcObservation is the observation of v at address.
func vpcObservation(v types.Vpc, address, stack string) resource.Observation {
	tags := tagMap(v.Tags)
	cidr := aws.ToString(v.CidrBlock)
	return observed(resource.KindVPC, address, aws.ToString(v.VpcId), tags, stack,
		resource.Props{propCIDRBlock: cidr}, map[string]string{"cidr_block": cidr, "state": string(v.State)})
}

// subnetKind describes ec2:subnet. What sits in a subnet (NAT gateways,
// DB subnet groups, load balancers, services) refers to it, so those go
// first by their references; DeleteSubnet then waits out the network
// interfaces AWS removes in the background.
var subnetKind = resource.Descriptor{
	Kind:         resource.KindSubnet,
	TaggingTypes: []string{"ec2:subnet"},
	References:   []resource.Reference{{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Fields: resource.Fields{
		propVPCID:            {ForcesReplace: true, Reason: "a subnet cannot move to another VPC"},
		propCIDRBlock:        {ForcesReplace: true, Reason: "a subnet's CIDR block cannot change"},
		propAvailabilityZone: {ForcesReplace: true, Reason: "a subnet cannot move to another zone"},
	},
	UniqueBy: []string{propVPCID, propCIDRBlock},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateSubnet"}},
}

// SubnetHandler manages subnets.
type SubnetHandler struct{ fixed }

var (
	_ resource.Handler = (*SubnetHandler)(nil)
	_ resource.Tagger  = (*SubnetHandler)(nil)
	_ resource.Finder  = (*SubnetHandler)(nil)
)

// Create makes the subnet, tagged at creation.
func (h *SubnetHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	vpc, cidr, zone := r.String(propVPCID), r.String(propCIDRBlock), r.String(propAvailabilityZone)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.CreateSubnet(ctx, &ec2.CreateSubnetInput{
		VpcId: aws.String(vpc), CidrBlock: aws.String(cidr),
		AvailabilityZone: aws.String(zone), TagSpecifications: tagSpec(types.ResourceTypeSubnet, d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create subnet %s: %w", cidr, err)
	}
	return subnetObservation(*out.Subnet, d.Address, h.stack), nil
}

// subnetObservation is the observation of s at address.
func subnetObservation(s types.Subnet, address, stack string) resource.Observation {
	return observed(resource.KindSubnet, address, aws.ToString(s.SubnetId), tagMap(s.Tags), stack, resource.Props{
		propVPCID: aws.ToString(s.VpcId), propCIDRBlock: aws.ToString(s.CidrBlock), propAvailabilityZone: aws.ToString(s.AvailabilityZone),
	}, map[string]string{"cidr_block": aws.ToString(s.CidrBlock)})
}

// Delete removes the subnet, waiting out network interfaces of deleted
// databases.
func (h *SubnetHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "subnet "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the subnet tagged with the stack and address.
func (h *SubnetHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: addressFilters(stack, address)})
	return foundByAddress(subnetKind.Kind, address, err, func() []types.Subnet { return out.Subnets }, func(x types.Subnet) resource.Observation {
		return subnetObservation(x, address, stack)
	})
}

// routeTableKind describes ec2:route-table. Its associations and routes
// refer to it, so they go first.
var routeTableKind = resource.Descriptor{
	Kind:         resource.KindRouteTable,
	TaggingTypes: []string{"ec2:route-table"},
	References:   []resource.Reference{{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Fields:       resource.Fields{propVPCID: {ForcesReplace: true, Reason: "a route table cannot move to another VPC"}},
	DataLoss:     resource.NoDataLoss,
	Create:       resource.Creation{Operations: []string{"CreateRouteTable"}},
}

// RouteTableHandler manages route tables.
type RouteTableHandler struct{ fixed }

var (
	_ resource.Handler = (*RouteTableHandler)(nil)
	_ resource.Tagger  = (*RouteTableHandler)(nil)
	_ resource.Finder  = (*RouteTableHandler)(nil)
)

// Create makes the route table, tagged at creation.
func (h *RouteTableHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	vpc := r.String(propVPCID)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc), TagSpecifications: tagSpec(types.ResourceTypeRouteTable, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create route table: %w", err)
	}
	return routeTableObservation(*out.RouteTable, d.Address, h.stack), nil
}

// routeTableObservation is the observation of t at address.
func routeTableObservation(t types.RouteTable, address, stack string) resource.Observation {
	return observed(resource.KindRouteTable, address, aws.ToString(t.RouteTableId), tagMap(t.Tags), stack,
		resource.Props{propVPCID: aws.ToString(t.VpcId)}, nil)
}

// Delete removes the route table once its associations are gone.
func (h *RouteTableHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "route table "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteRouteTable(ctx, &ec2.DeleteRouteTableInput{RouteTableId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the route table tagged with the stack and address.
func (h *RouteTableHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: addressFilters(stack, address)})
	return foundByAddress(routeTableKind.Kind, address, err, func() []types.RouteTable { return out.RouteTables }, func(x types.RouteTable) resource.Observation {
		return routeTableObservation(x, address, stack)
	})
}
