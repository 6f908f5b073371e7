package network

import "github.com/kcstack/kcstack/pkg/aws/awserr"

// notFoundCodes are EC2's error codes for a resource that does not exist.
var notFoundCodes = []string{
	"InvalidVpcID.NotFound", "InvalidSubnetID.NotFound", "InvalidRouteTableID.NotFound",
	"InvalidAssociationID.NotFound", "InvalidRoute.NotFound", "InvalidGroup.NotFound",
	"InvalidVpcPeeringConnectionID.NotFound", "InvalidPermission.NotFound", "InvalidSecurityGroupRuleId.NotFound",
	"InvalidInternetGatewayID.NotFound", "InvalidAllocationID.NotFound", "NatGatewayNotFound",
}

// isNotFound reports whether err is one of EC2's not-found codes.
func isNotFound(err error) bool { return awserr.Is(err, notFoundCodes...) }
