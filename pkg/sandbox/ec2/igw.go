package ec2

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// createInternetGateway creates a detached internet gateway.
func createInternetGateway(e *env, in *ec2.CreateInternetGatewayInput) (*ec2.CreateInternetGatewayOutput, error) {
	tags, err := tagSpecs(in.TagSpecifications, "internet-gateway")
	if err != nil {
		return nil, err
	}
	igw := &internetGateway{ID: api.NewID("igw"), Tags: tags}
	e.r.InternetGateways[igw.ID] = igw
	out := e.sdkInternetGateway(igw)
	return &ec2.CreateInternetGatewayOutput{InternetGateway: &out}, nil
}

func (e *env) sdkInternetGateway(igw *internetGateway) types.InternetGateway {
	out := types.InternetGateway{
		InternetGatewayId: aws.String(igw.ID),
		OwnerId:           aws.String(e.call.AccountID),
		Attachments:       []types.InternetGatewayAttachment{},
		Tags:              sdkTags(igw.Tags),
	}
	if igw.VPCID != "" {
		// EC2 reports an attached gateway's attachment as "available".
		out.Attachments = append(out.Attachments, types.InternetGatewayAttachment{VpcId: aws.String(igw.VPCID), State: "available"})
	}
	return out
}

// gatewayRequest resolves the gateway and VPC of an attach or detach.
func (e *env) gatewayRequest(igwID, vpcID *string) (*internetGateway, *vpc, error) {
	gid, err := required("InternetGatewayId", igwID)
	if err != nil {
		return nil, nil, err
	}
	vid, err := required("VpcId", vpcID)
	if err != nil {
		return nil, nil, err
	}
	igw, err := lookup(kindInternetGateway, e.r.InternetGateways, gid)
	if err != nil {
		return nil, nil, err
	}
	v, err := lookup(kindVPC, e.r.VPCs, vid)
	if err != nil {
		return nil, nil, err
	}
	return igw, v, nil
}

// attachInternetGateway attaches a detached gateway to a VPC that has none.
func attachInternetGateway(e *env, in *ec2.AttachInternetGatewayInput) (*ec2.AttachInternetGatewayOutput, error) {
	igw, v, err := e.gatewayRequest(in.InternetGatewayId, in.VpcId)
	if err != nil {
		return nil, err
	}
	if igw.VPCID != "" {
		return nil, api.Errorf("Resource.AlreadyAssociated", "resource %s is already attached to network %s", igw.ID, igw.VPCID)
	}
	for _, other := range e.r.InternetGateways {
		if other.VPCID == v.ID {
			return nil, api.Errorf("Resource.AlreadyAssociated", "network %s already has an internet gateway attached", v.ID)
		}
	}
	igw.VPCID = v.ID
	return &ec2.AttachInternetGatewayOutput{}, nil
}

// detachInternetGateway detaches a gateway from the VPC it is attached to.
func detachInternetGateway(e *env, in *ec2.DetachInternetGatewayInput) (*ec2.DetachInternetGatewayOutput, error) {
	igw, v, err := e.gatewayRequest(in.InternetGatewayId, in.VpcId)
	if err != nil {
		return nil, err
	}
	if igw.VPCID != v.ID {
		return nil, api.Errorf("Gateway.NotAttached", "resource %s is not attached to network %s", igw.ID, v.ID)
	}
	if e.publicNATIn(v.ID) {
		return nil, api.Errorf("DependencyViolation", "Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", v.ID)
	}
	for _, rt := range e.r.RouteTables {
		rt.Associations = dropAssociations(rt.Associations, func(a *rtAssociation) bool { return a.GatewayID == igw.ID })
	}
	igw.VPCID = ""
	return &ec2.DetachInternetGatewayOutput{}, nil
}

// deleteInternetGateway deletes a detached gateway.
func deleteInternetGateway(e *env, in *ec2.DeleteInternetGatewayInput) (*ec2.DeleteInternetGatewayOutput, error) {
	igw, err := lookupParam(kindInternetGateway, e.r.InternetGateways, "InternetGatewayId", in.InternetGatewayId)
	if err != nil {
		return nil, err
	}
	if igw.VPCID != "" {
		return nil, dependencyViolation("internetGateway", igw.ID)
	}
	delete(e.r.InternetGateways, igw.ID)
	return &ec2.DeleteInternetGatewayOutput{}, nil
}

var igwFilters = filterSet[*internetGateway]{
	fields: fields[*internetGateway]{
		"attachment.state": func(g *internetGateway) []string {
			if g.VPCID == "" {
				return nil
			}
			return one("available")
		},
		"attachment.vpc-id":   func(g *internetGateway) []string { return one(g.VPCID) },
		"internet-gateway-id": func(g *internetGateway) []string { return one(g.ID) },
	},
	tags: func(g *internetGateway) map[string]string { return g.Tags },
}

// describeInternetGateways lists gateways by id, filters and page.
func describeInternetGateways(e *env, in *ec2.DescribeInternetGatewaysInput) (*ec2.DescribeInternetGatewaysOutput, error) {
	q := query{ids: in.InternetGatewayIds, filters: in.Filters, max: in.MaxResults, token: in.NextToken, bounds: bounds5to1000}
	gs, next, err := describe(kindInternetGateway, e.r.InternetGateways, igwFilters.withOwner(e.call.AccountID), q, func(g *internetGateway) string { return g.ID }, e.sdkInternetGateway)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeInternetGatewaysOutput{NextToken: next, InternetGateways: gs}, nil
}
