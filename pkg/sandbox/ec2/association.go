package ec2

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// associateRouteTable associates a route table with a subnet or an
// internet gateway of the same VPC. A subnet or gateway has at most one
// explicit association.
func associateRouteTable(e *env, in *ec2.AssociateRouteTableInput) (*ec2.AssociateRouteTableOutput, error) {
	id, err := required("RouteTableId", in.RouteTableId)
	if err != nil {
		return nil, err
	}
	subnetID, gatewayID := aws.ToString(in.SubnetId), aws.ToString(in.GatewayId)
	if (subnetID == "") == (gatewayID == "") {
		return nil, api.Errorf("InvalidParameterCombination", "Exactly one of subnetId and gatewayId must be specified.")
	}
	rt, err := lookup(kindRouteTable, e.r.RouteTables, id)
	if err != nil {
		return nil, err
	}
	if err := e.checkAssociationTarget(rt, subnetID, gatewayID); err != nil {
		return nil, err
	}
	if e.associationOf(subnetID, gatewayID) != nil {
		return nil, api.Errorf("Resource.AlreadyAssociated", "the specified association for route table %s conflicts with an existing association", rt.ID)
	}
	a := &rtAssociation{ID: api.NewID("rtbassoc"), SubnetID: subnetID, GatewayID: gatewayID}
	rt.Associations = append(rt.Associations, a)
	return &ec2.AssociateRouteTableOutput{
		AssociationId:    aws.String(a.ID),
		AssociationState: &types.RouteTableAssociationState{State: types.RouteTableAssociationStateCodeAssociated},
	}, nil
}

// checkAssociationTarget checks that the subnet or gateway exists and
// belongs to the route table's VPC.
func (e *env) checkAssociationTarget(rt *routeTable, subnetID, gatewayID string) error {
	if subnetID != "" {
		s, err := lookup(kindSubnet, e.r.Subnets, subnetID)
		if err != nil {
			return err
		}
		if s.VPCID != rt.VPCID {
			return api.Errorf("InvalidParameterValue", "Route table %s and subnet %s belong to different networks.", rt.ID, s.ID)
		}
		return nil
	}
	igw, err := lookup(kindInternetGateway, e.r.InternetGateways, gatewayID)
	if err != nil {
		return err
	}
	if igw.VPCID != rt.VPCID {
		return api.Errorf("InvalidParameterValue", "Route table %s and gateway %s belong to different networks.", rt.ID, igw.ID)
	}
	return nil
}

// associationOf returns the explicit association of a subnet or gateway.
func (e *env) associationOf(subnetID, gatewayID string) *rtAssociation {
	for _, rt := range e.r.RouteTables {
		for _, a := range rt.Associations {
			if (subnetID != "" && a.SubnetID == subnetID) || (gatewayID != "" && a.GatewayID == gatewayID) {
				return a
			}
		}
	}
	return nil
}

// findAssociation returns the association with the id and its table, or
// InvalidAssociationID.NotFound.
func (e *env) findAssociation(id string) (*routeTable, *rtAssociation, error) {
	for _, rt := range e.r.RouteTables {
		for _, a := range rt.Associations {
			if a.ID == id {
				return rt, a, nil
			}
		}
	}
	return nil, nil, kindAssociation.missing(id)
}

// disassociateRouteTable removes an explicit association; the main
// association cannot be removed, only replaced.
func disassociateRouteTable(e *env, in *ec2.DisassociateRouteTableInput) (*ec2.DisassociateRouteTableOutput, error) {
	id, err := required("AssociationId", in.AssociationId)
	if err != nil {
		return nil, err
	}
	rt, a, err := e.findAssociation(id)
	if err != nil {
		return nil, err
	}
	if a.Main {
		return nil, api.Errorf("InvalidParameterValue", "cannot disassociate the main route table association %s", a.ID)
	}
	rt.Associations = dropAssociations(rt.Associations, func(x *rtAssociation) bool { return x == a })
	return &ec2.DisassociateRouteTableOutput{}, nil
}

// replaceRouteTableAssociation moves an association (the main one too) to
// another route table of the same VPC, under a new association id.
func replaceRouteTableAssociation(e *env, in *ec2.ReplaceRouteTableAssociationInput) (*ec2.ReplaceRouteTableAssociationOutput, error) {
	id, err := required("AssociationId", in.AssociationId)
	if err != nil {
		return nil, err
	}
	rtID, err := required("RouteTableId", in.RouteTableId)
	if err != nil {
		return nil, err
	}
	old, a, err := e.findAssociation(id)
	if err != nil {
		return nil, err
	}
	rt, err := lookup(kindRouteTable, e.r.RouteTables, rtID)
	if err != nil {
		return nil, err
	}
	if rt.VPCID != old.VPCID {
		return nil, api.Errorf("InvalidParameterValue", "Route table %s and association %s belong to different networks.", rt.ID, a.ID)
	}
	old.Associations = dropAssociations(old.Associations, func(x *rtAssociation) bool { return x == a })
	moved := &rtAssociation{ID: api.NewID("rtbassoc"), SubnetID: a.SubnetID, GatewayID: a.GatewayID, Main: a.Main}
	rt.Associations = append(rt.Associations, moved)
	return &ec2.ReplaceRouteTableAssociationOutput{
		NewAssociationId: aws.String(moved.ID),
		AssociationState: &types.RouteTableAssociationState{State: types.RouteTableAssociationStateCodeAssociated},
	}, nil
}
