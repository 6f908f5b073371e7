package network

// The property names of the kinds this package manages, as desired
// resources and observations carry them. A name several kinds share is
// declared once.
const (
	// VPCs, subnets, route tables, security groups, internet gateways,
	// peerings and routes: the VPC (a peering's requester).
	propVPCID = "vpc_id"
	// VPCs and subnets.
	propCIDRBlock = "cidr_block"
	// Subnets.
	propAvailabilityZone = "availability_zone"
	// Associations, NAT gateways: the subnet.
	propSubnetID = "subnet_id"
	// Associations and routes: the route table.
	propRouteTableID = "route_table_id"
	// Security groups (and rules, for description).
	propGroupName   = "group_name"
	propDescription = "description"
	// Security group rules.
	propGroupID       = "group_id"
	propType          = "type"
	propProtocol      = "protocol"
	propFromPort      = "from_port"
	propToPort        = "to_port"
	propCIDRIPv4      = "cidr_ipv4"
	propSourceGroupID = "source_group_id"
	// Peerings.
	propPeerVPCID  = "peer_vpc_id"
	propPeerRegion = "peer_region"
	// Routes: where they go, what they route, and the tables holding them.
	propDestination   = "destination_cidr_block"
	propSubnetsWithin = "subnets_within"
	propRouteTableIDs = "route_table_ids"
	propPeeringID     = "vpc_peering_connection_id"
	propGatewayID     = "gateway_id"
	propNATGatewayID  = "nat_gateway_id"
	// Elastic IPs.
	propDomain = "domain"
	// NAT gateways: the elastic IP.
	propAllocationID = "allocation_id"
)
