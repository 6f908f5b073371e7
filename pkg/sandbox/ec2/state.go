package ec2

import (
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
)

// State is the EC2 service's whole state. It round-trips through
// encoding/json so the sandbox can persist it.
type State struct {
	// Account is the sandbox account that owns every resource, recorded
	// by each operation for TaggedResources, which has no call.
	Account string `json:"account,omitempty"`
	// Regions holds the regional resources, keyed by region name.
	Regions map[string]*Region `json:"regions,omitempty"`
	// Peerings holds VPC peering connections by id. A connection may join
	// two regions, so it is kept once and shown in both.
	Peerings map[string]*peering `json:"peerings,omitempty"`
}

// Region holds the resources of one region.
type Region struct {
	VPCs             map[string]*vpc             `json:"vpcs,omitempty"`
	Subnets          map[string]*subnet          `json:"subnets,omitempty"`
	RouteTables      map[string]*routeTable      `json:"route_tables,omitempty"`
	InternetGateways map[string]*internetGateway `json:"internet_gateways,omitempty"`
	SecurityGroups   map[string]*securityGroup   `json:"security_groups,omitempty"`
	NATGateways      map[string]*natGateway      `json:"nat_gateways,omitempty"`
	Addresses        map[string]*address         `json:"addresses,omitempty"`
}

// NewState returns an empty State.
func NewState() *State {
	return &State{Regions: map[string]*Region{}, Peerings: map[string]*peering{}}
}

// region returns the named region's resources, creating them on first use.
func (s *State) region(name string) *Region {
	lazy.Map(&s.Peerings)
	r := lazy.Entry(&s.Regions, name, func() *Region { return &Region{} })
	r.init()
	return r
}

// init makes every map of r non-nil (a state loaded from JSON may lack some).
func (r *Region) init() {
	lazy.Map(&r.VPCs)
	lazy.Map(&r.Subnets)
	lazy.Map(&r.RouteTables)
	lazy.Map(&r.InternetGateways)
	lazy.Map(&r.SecurityGroups)
	lazy.Map(&r.NATGateways)
	lazy.Map(&r.Addresses)
}

type vpc struct {
	ID           string            `json:"id"`
	CIDR         string            `json:"cidr"`
	CIDRAssocID  string            `json:"cidr_association_id"`
	Tenancy      string            `json:"tenancy"`
	DNSSupport   bool              `json:"dns_support"`
	DNSHostnames bool              `json:"dns_hostnames"`
	NAUMetrics   bool              `json:"nau_metrics,omitempty"`
	Created      time.Time         `json:"created"`
	Tags         map[string]string `json:"tags,omitempty"`
}

type subnet struct {
	ID          string            `json:"id"`
	VPCID       string            `json:"vpc_id"`
	CIDR        string            `json:"cidr"`
	Zone        string            `json:"zone"`
	MapPublicIP bool              `json:"map_public_ip"`
	Tags        map[string]string `json:"tags,omitempty"`
}

type routeTable struct {
	ID           string            `json:"id"`
	VPCID        string            `json:"vpc_id"`
	Routes       []*route          `json:"routes"`
	Associations []*rtAssociation  `json:"associations,omitempty"`
	Tags         map[string]string `json:"tags,omitempty"`
}

type route struct {
	Destination string `json:"destination"`
	GatewayID   string `json:"gateway_id,omitempty"`
	PeeringID   string `json:"peering_id,omitempty"`
	NATID       string `json:"nat_id,omitempty"`
	Origin      string `json:"origin"`
}

type rtAssociation struct {
	ID        string `json:"id"`
	SubnetID  string `json:"subnet_id,omitempty"`
	GatewayID string `json:"gateway_id,omitempty"`
	Main      bool   `json:"main,omitempty"`
}

type internetGateway struct {
	ID    string            `json:"id"`
	VPCID string            `json:"vpc_id,omitempty"`
	Tags  map[string]string `json:"tags,omitempty"`
}

type securityGroup struct {
	ID          string            `json:"id"`
	VPCID       string            `json:"vpc_id"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Rules       []*sgRule         `json:"rules,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// sgRule is one security group rule: one protocol and port range with
// exactly one peer (an IPv4 or IPv6 CIDR, a prefix list or a group).
type sgRule struct {
	ID          string            `json:"id"`
	Egress      bool              `json:"egress,omitempty"`
	Protocol    string            `json:"protocol"`
	From        int32             `json:"from"`
	To          int32             `json:"to"`
	CIDRv4      string            `json:"cidr_v4,omitempty"`
	CIDRv6      string            `json:"cidr_v6,omitempty"`
	PrefixList  string            `json:"prefix_list,omitempty"`
	GroupID     string            `json:"group_id,omitempty"`
	UserID      string            `json:"user_id,omitempty"`
	Description string            `json:"description,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
}

type peering struct {
	ID              string            `json:"id"`
	RequesterVPC    string            `json:"requester_vpc"`
	RequesterRegion string            `json:"requester_region"`
	RequesterCIDR   string            `json:"requester_cidr"`
	AccepterVPC     string            `json:"accepter_vpc"`
	AccepterRegion  string            `json:"accepter_region"`
	AccepterCIDR    string            `json:"accepter_cidr"`
	AccepterOwner   string            `json:"accepter_owner"`
	Status          string            `json:"status"`
	Message         string            `json:"message"`
	Expires         time.Time         `json:"expires"`
	Changed         time.Time         `json:"changed"`
	Tags            map[string]string `json:"tags,omitempty"`
}

// account returns the owning account, a fixed placeholder before any call.
func (s *State) account() string {
	if s.Account == "" {
		return "000000000000"
	}
	return s.Account
}

type natGateway struct {
	ID             string            `json:"id"`
	VPCID          string            `json:"vpc_id"`
	SubnetID       string            `json:"subnet_id"`
	Connectivity   string            `json:"connectivity"`
	AllocationID   string            `json:"allocation_id,omitempty"`
	PrivateIP      string            `json:"private_ip"`
	ENI            string            `json:"eni"`
	State          string            `json:"state"`
	FailureCode    string            `json:"failure_code,omitempty"`
	FailureMessage string            `json:"failure_message,omitempty"`
	Created        time.Time         `json:"created"`
	Changed        time.Time         `json:"changed"`
	Deleted        time.Time         `json:"deleted,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
	// ClientToken is the idempotency token of the call that made it.
	ClientToken string `json:"client_token,omitempty"`
}

// address is an Elastic IP address. Only NAT gateways associate them in
// the sandbox.
type address struct {
	ID            string            `json:"id"`
	PublicIP      string            `json:"public_ip"`
	AssociationID string            `json:"association_id,omitempty"`
	ENI           string            `json:"eni,omitempty"`
	PrivateIP     string            `json:"private_ip,omitempty"`
	Tags          map[string]string `json:"tags,omitempty"`
}
