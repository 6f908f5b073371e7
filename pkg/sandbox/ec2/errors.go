package ec2

import (
	"regexp"
	"strings"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// kind describes one kind of EC2 resource: its id prefix, how EC2 names it
// in messages, and the error codes it answers with. EC2's spelling of the
// codes is irregular (InvalidVpcID.Malformed but InvalidGroupId.Malformed),
// so each is written out.
type kind struct {
	prefix    string
	noun      string
	notFound  string
	malformed string
	// resourceType is the TagSpecification/DescribeTags resource type.
	resourceType string
	// taggingType is the resource groups tagging API type (ec2:vpc).
	taggingType string
}

var (
	kindVPC             = kind{"vpc", "vpc", "InvalidVpcID.NotFound", "InvalidVpcID.Malformed", "vpc", "ec2:vpc"}
	kindSubnet          = kind{"subnet", "subnet", "InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed", "subnet", "ec2:subnet"}
	kindRouteTable      = kind{"rtb", "routeTable", "InvalidRouteTableID.NotFound", "InvalidRouteTableId.Malformed", "route-table", "ec2:route-table"}
	kindInternetGateway = kind{"igw", "internetGateway", "InvalidInternetGatewayID.NotFound", "InvalidInternetGatewayId.Malformed", "internet-gateway", "ec2:internet-gateway"}
	kindSecurityGroup   = kind{"sg", "security group", "InvalidGroup.NotFound", "InvalidGroupId.Malformed", "security-group", "ec2:security-group"}
	kindRule            = kind{"sgr", "security group rule", "InvalidSecurityGroupRuleId.NotFound", "InvalidSecurityGroupRuleId.Malformed", "security-group-rule", "ec2:security-group-rule"}
	kindPeering         = kind{"pcx", "vpcPeeringConnection", "InvalidVpcPeeringConnectionID.NotFound", "InvalidVpcPeeringConnectionId.Malformed", "vpc-peering-connection", "ec2:vpc-peering-connection"}
	kindNAT             = kind{"nat", "nat gateway", "NatGatewayNotFound", "NatGatewayMalformed", "natgateway", "ec2:natgateway"}
	kindAddress         = kind{"eipalloc", "allocation", "InvalidAllocationID.NotFound", "InvalidAllocationID.Malformed", "elastic-ip", "ec2:elastic-ip"}
	kindAssociation     = kind{"rtbassoc", "association", "InvalidAssociationID.NotFound", "InvalidAssociationID.NotFound", "", ""}
)

// taggableKinds lists the kinds CreateTags accepts, by id prefix.
var taggableKinds = map[string]kind{
	"vpc": kindVPC, "subnet": kindSubnet, "rtb": kindRouteTable, "igw": kindInternetGateway,
	"sg": kindSecurityGroup, "sgr": kindRule, "pcx": kindPeering, "nat": kindNAT, "eipalloc": kindAddress,
}

// idPattern matches EC2 ids: a prefix, a dash and 8 or 17 hex digits.
var idPattern = regexp.MustCompile(`^([a-z]+)-([0-9a-f]{8}|[0-9a-f]{17})$`)

// wellFormed reports whether id has the form <prefix>-<hex> for k.
func (k kind) wellFormed(id string) bool {
	m := idPattern.FindStringSubmatch(id)
	return m != nil && m[1] == k.prefix
}

// check answers k's malformed error for an id of the wrong form.
func (k kind) check(id string) error {
	if k.wellFormed(id) {
		return nil
	}
	return api.Errorf(k.malformed, "Invalid id: %q (expecting %q)", id, k.prefix+"-...")
}

// missing answers k's not-found error for ids.
func (k kind) missing(ids ...string) error {
	if k.prefix == "nat" {
		return api.Errorf(k.notFound, "NAT gateway %s was not found", strings.Join(ids, ", "))
	}
	if k.prefix == "sg" {
		// EC2 words this one differently: "The security group 'sg-1' does not exist".
		return api.Errorf(k.notFound, "The security group '%s' does not exist", strings.Join(ids, "', '"))
	}
	if len(ids) == 1 {
		return api.Errorf(k.notFound, "The %s ID '%s' does not exist", k.noun, ids[0])
	}
	return api.Errorf(k.notFound, "The %s IDs '%s' do not exist", k.noun, strings.Join(ids, ", "))
}

// lookup returns m[id], k's malformed error for a bad id, or k's
// not-found error.
func lookup[V any](k kind, m map[string]V, id string) (V, error) {
	var zero V
	if err := k.check(id); err != nil {
		return zero, err
	}
	v, ok := m[id]
	if !ok {
		return zero, k.missing(id)
	}
	return v, nil
}

// lookupParam returns the entry of m that the required parameter param
// names: MissingParameter when v is absent or empty, otherwise as lookup.
func lookupParam[V any](k kind, m map[string]V, param string, v *string) (V, error) {
	id, err := required(param, v)
	if err != nil {
		var zero V
		return zero, err
	}
	return lookup(k, m, id)
}

// selectIDs returns the entries of m named by ids, all of m when ids is
// empty, and the not-found error naming every missing id otherwise.
func selectIDs[V any](k kind, m map[string]V, ids []string) ([]V, error) {
	if len(ids) == 0 {
		return sortedValues(m), nil
	}
	var out []V
	var missing []string
	seen := map[string]bool{}
	for _, id := range ids {
		if err := k.check(id); err != nil {
			return nil, err
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		v, ok := m[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		out = append(out, v)
	}
	if len(missing) > 0 {
		return nil, k.missing(missing...)
	}
	return out, nil
}

// missingParameter answers EC2's error for an absent required parameter.
func missingParameter(name string) error {
	return api.Errorf("MissingParameter", "The request must contain the parameter %s", name)
}

// invalidValue answers InvalidParameterValue for a parameter's value.
func invalidValue(param, value, why string) error {
	return api.Errorf("InvalidParameterValue", "Value (%s) for parameter %s is invalid. %s", value, param, why)
}

// dependencyViolation answers DependencyViolation for a resource that is
// still in use.
func dependencyViolation(noun, id string) error {
	return api.Errorf("DependencyViolation", "The %s '%s' has dependencies and cannot be deleted.", noun, id)
}

// required returns the value of a required string parameter or
// MissingParameter.
func required(name string, v *string) (string, error) {
	if v == nil || *v == "" {
		return "", missingParameter(name)
	}
	return *v, nil
}

// sortedValues returns m's values ordered by key (resource id).
func sortedValues[V any](m map[string]V) []V {
	keys := sortedKeys(m)
	out := make([]V, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}
