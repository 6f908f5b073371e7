package ec2

import (
	"net/http"
	"reflect"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Name is the EC2 service's model name.
const Name = "ec2"

// Service returns the EC2 emulation: its name, its operations and its
// empty state.
func Service() api.Service {
	return api.Service{
		Name:     Name,
		NewState: func() any { return NewState() },
		Ops:      ops(),
	}
}

// ops is the table of implemented operations.
func ops() map[string]api.Op {
	return map[string]api.Op{
		"DescribeAvailabilityZones": op(describeAvailabilityZones),
		"DescribeRegions":           op(describeRegions),

		"CreateVpc":            op(createVPC),
		"DescribeVpcs":         op(describeVPCs),
		"DeleteVpc":            op(deleteVPC),
		"ModifyVpcAttribute":   op(modifyVPCAttribute),
		"DescribeVpcAttribute": op(describeVPCAttribute),

		"CreateSubnet":          op(createSubnet),
		"DescribeSubnets":       op(describeSubnets),
		"DeleteSubnet":          op(deleteSubnet),
		"ModifySubnetAttribute": op(modifySubnetAttribute),

		"CreateRouteTable":             op(createRouteTable),
		"DescribeRouteTables":          op(describeRouteTables),
		"DeleteRouteTable":             op(deleteRouteTable),
		"AssociateRouteTable":          op(associateRouteTable),
		"DisassociateRouteTable":       op(disassociateRouteTable),
		"ReplaceRouteTableAssociation": op(replaceRouteTableAssociation),
		"CreateRoute":                  op(createRoute),
		"ReplaceRoute":                 op(replaceRoute),
		"DeleteRoute":                  op(deleteRoute),

		"CreateInternetGateway":    op(createInternetGateway),
		"AttachInternetGateway":    op(attachInternetGateway),
		"DetachInternetGateway":    op(detachInternetGateway),
		"DeleteInternetGateway":    op(deleteInternetGateway),
		"DescribeInternetGateways": op(describeInternetGateways),

		"CreateSecurityGroup":           op(createSecurityGroup),
		"DescribeSecurityGroups":        op(describeSecurityGroups),
		"DeleteSecurityGroup":           op(deleteSecurityGroup),
		"AuthorizeSecurityGroupIngress": op(authorizeSecurityGroupIngress),
		"AuthorizeSecurityGroupEgress":  op(authorizeSecurityGroupEgress),
		"RevokeSecurityGroupIngress":    op(revokeSecurityGroupIngress),
		"RevokeSecurityGroupEgress":     op(revokeSecurityGroupEgress),
		"DescribeSecurityGroupRules":    op(describeSecurityGroupRules),

		"CreateVpcPeeringConnection":    op(createVPCPeeringConnection),
		"AcceptVpcPeeringConnection":    op(acceptVPCPeeringConnection),
		"RejectVpcPeeringConnection":    op(rejectVPCPeeringConnection),
		"DeleteVpcPeeringConnection":    op(deleteVPCPeeringConnection),
		"DescribeVpcPeeringConnections": op(describeVPCPeeringConnections),

		"CreateNatGateway":    op(createNATGateway),
		"DeleteNatGateway":    op(deleteNATGateway),
		"DescribeNatGateways": op(describeNATGateways),
		"AllocateAddress":     op(allocateAddress),
		"ReleaseAddress":      op(releaseAddress),
		"DescribeAddresses":   op(describeAddresses),

		"DescribeNetworkInterfaces": op(describeNetworkInterfaces),

		"CreateTags":   op(createTags),
		"DeleteTags":   op(deleteTags),
		"DescribeTags": op(describeTags),
	}
}

// env is what an operation works with: the call, the whole EC2 state and
// the call's region.
type env struct {
	call *api.Call
	st   *State
	r    *Region
}

// op adapts an operation on env to the api.Op form. It answers DryRun
// requests with DryRunOperation, as EC2 does for a caller with permission.
func op[I, O any](f func(e *env, in *I) (*O, error)) api.Op {
	return api.Op{Fn: func(c *api.Call, in *I) (*O, error) {
		if in == nil {
			in = new(I)
		}
		if dryRun(in) {
			return nil, &api.Error{Code: "DryRunOperation", Message: "Request would have succeeded, but DryRun flag is set.", Status: http.StatusPreconditionFailed}
		}
		st, ok := c.World.State(Name).(*State)
		if !ok {
			return nil, &api.Error{Code: "InternalError", Message: "ec2 state is missing", Status: http.StatusInternalServerError}
		}
		st.Account = c.AccountID
		return f(&env{call: c, st: st, r: st.region(c.Region)}, in)
	}}
}

// dryRun reports whether the input's DryRun member is set to true.
func dryRun(in any) bool {
	v := reflect.ValueOf(in).Elem().FieldByName("DryRun")
	if !v.IsValid() || v.IsNil() {
		return false
	}
	b, ok := v.Interface().(*bool)
	return ok && *b
}
