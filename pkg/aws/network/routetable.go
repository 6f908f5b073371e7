package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

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
type RouteTableHandler struct{ base }

var (
	_ resource.Handler = (*RouteTableHandler)(nil)
	_ resource.Tagger  = (*RouteTableHandler)(nil)
	_ resource.Finder  = (*RouteTableHandler)(nil)
)

// Describe returns the descriptor of ec2:route-table.
func (h *RouteTableHandler) Describe() resource.Descriptor { return routeTableKind }

// Diff compares the VPC, which forces replacement.
func (h *RouteTableHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, routeTableKind.Fields, d.Sensitive)
}

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

// Update fails: nothing of a route table changes in place.
func (h *RouteTableHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(routeTableKind.Kind, diffs)
}

// SetTags changes the route table's tags with CreateTags and DeleteTags.
func (h *RouteTableHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
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
	if err != nil || len(out.RouteTables) == 0 {
		return resource.Observation{Address: address, Kind: routeTableKind.Kind}, err
	}
	return routeTableObservation(out.RouteTables[0], address, stack), nil
}
