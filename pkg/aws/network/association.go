package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// associationKind describes ec2:route-table-association. A retried
// AssociateRouteTable cannot associate twice: the subnet is then already
// associated, and Create adopts that association.
var associationKind = resource.Descriptor{
	Kind: resource.KindRouteTableAssoc,
	Untagged: "an association is no resource of its own in the tagging API: it carries no tags " +
		"and is read from the route tables, owned when its subnet is",
	References: []resource.Reference{
		{Prop: propRouteTableID, Kind: resource.KindRouteTable, Attr: "id"},
		{Prop: propSubnetID, Kind: resource.KindSubnet, Attr: "id"},
	},
	Fields:   resource.Fields{propSubnetID: {ForcesReplace: true, Reason: "an association belongs to one subnet"}},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"AssociateRouteTable"}, Idempotent: true},
}

// AssociationHandler manages route table associations of owned subnets.
type AssociationHandler struct{ base }

var _ resource.Handler = (*AssociationHandler)(nil)

// Describe returns the descriptor of ec2:route-table-association.
func (h *AssociationHandler) Describe() resource.Descriptor { return associationKind }

// Diff compares the subnet (replace) and the route table (in place).
func (h *AssociationHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, associationKind.Fields, d.Sensitive)
}

// Create associates the table with the subnet; a subnet already
// associated elsewhere is moved with ReplaceRouteTableAssociation.
func (h *AssociationHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	table, subnet := r.String(propRouteTableID), r.String(propSubnetID)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(table), SubnetId: aws.String(subnet)})
	if awserr.Is(err, "Resource.AlreadyAssociated") {
		return h.move(ctx, d, subnet, table)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("associate route table %s with subnet %s: %w", table, subnet, err)
	}
	return h.observation(d.Address, aws.ToString(out.AssociationId), table, subnet), nil
}

// move adopts the subnet's association with table, or moves the subnet's
// association with another table to table.
func (h *AssociationHandler) move(ctx context.Context, d resource.Desired, subnet, table string) (resource.Observation, error) {
	out, err := h.api.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{filter("association.subnet-id", subnet)}})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("find association of subnet %s: %w", subnet, err)
	}
	for _, t := range out.RouteTables {
		for _, a := range t.Associations {
			if aws.ToString(a.SubnetId) != subnet {
				continue
			}
			if aws.ToString(t.RouteTableId) == table {
				return h.observation(d.Address, aws.ToString(a.RouteTableAssociationId), table, subnet), nil
			}
			return h.Update(ctx, d, h.observation(d.Address, aws.ToString(a.RouteTableAssociationId), aws.ToString(t.RouteTableId), subnet), nil)
		}
	}
	return resource.Observation{}, fmt.Errorf("subnet %s is associated but its association was not found; run again", subnet)
}

func (h *AssociationHandler) observation(address, id, table, subnet string) resource.Observation {
	return associationObservation(address, id, table, subnet, h.stack)
}

// associationObservation is the observation of association id of subnet
// with table; it is owned, as its subnet is.
func associationObservation(address, id, table, subnet, stack string) resource.Observation {
	ob := observed(resource.KindRouteTableAssoc, address, id, nil, stack, resource.Props{propRouteTableID: table, propSubnetID: subnet}, nil)
	ob.Owned = true
	return ob
}

// Update moves the subnet to the desired route table.
func (h *AssociationHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	want, have := resource.Read(d.Props), resource.Read(o.Props)
	table, subnet := want.String(propRouteTableID), have.String(propSubnetID)
	if err := want.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	if err := have.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("association %s as observed: %w", o.ID, err)
	}
	out, err := h.api.ReplaceRouteTableAssociation(ctx, &ec2.ReplaceRouteTableAssociationInput{AssociationId: aws.String(o.ID), RouteTableId: aws.String(table)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("move association %s to %s: %w", o.ID, table, err)
	}
	return h.observation(d.Address, aws.ToString(out.NewAssociationId), table, subnet), nil
}

// Delete disassociates.
func (h *AssociationHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.api.DisassociateRouteTable(ctx, &ec2.DisassociateRouteTableInput{AssociationId: aws.String(o.ID)})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("disassociate %s: %w", o.ID, err)
	}
	return nil
}
