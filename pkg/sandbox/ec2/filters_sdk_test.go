package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
)

func TestDescribeVpcsFilters(t *testing.T) {
	e := newEnv(t)
	a := e.vpc("10.0.0.0/16", "kcstack:stack", "prod", "Name", "db")
	b := e.vpc("10.1.0.0/16", "kcstack:stack", "dev")
	c := e.vpc("172.16.0.0/16")
	cases := map[string]struct {
		reason  string
		filters []types.Filter
		want    []string
	}{
		"vpc-id":              {"selects by id", []types.Filter{filter("vpc-id", b)}, []string{b}},
		"cidr":                {"the primary block, exactly", []types.Filter{filter("cidr", "10.0.0.0/16")}, []string{a}},
		"cidr association":    {"any associated block", []types.Filter{filter("cidr-block-association.cidr-block", "172.16.0.0/16")}, []string{c}},
		"tag":                 {"tag:<key> matches the value", []types.Filter{filter("tag:kcstack:stack", "prod")}, []string{a}},
		"tag wildcard":        {"tag values take wildcards", []types.Filter{filter("tag:kcstack:stack", "*")}, sortedIDs(a, b)},
		"tag-key":             {"tag-key matches any value", []types.Filter{filter("tag-key", "Name")}, []string{a}},
		"tag-value":           {"tag-value matches any key", []types.Filter{filter("tag-value", "dev")}, []string{b}},
		"state":               {"VPCs are available", []types.Filter{filter("state", "available")}, sortedIDs(a, b, c)},
		"is-default":          {"the sandbox has no default VPC", []types.Filter{filter("is-default", "true")}, nil},
		"owner-id":            {"every VPC is the account's", []types.Filter{filter("owner-id", "123456789012"), filter("vpc-id", a, c)}, sortedIDs(a, c)},
		"ids and filters AND": {"VpcIds and Filters both apply", []types.Filter{filter("tag-key", "kcstack:stack")}, []string{b}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in := &ec2.DescribeVpcsInput{Filters: tc.filters}
			if name == "ids and filters AND" {
				in.VpcIds = []string{b, c}
			}
			var got []string
			for _, v := range must(e.ec2.DescribeVpcs(e.ctx, in))(t).Vpcs {
				got = append(got, aws.ToString(v.VpcId))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDescribeSubnetsFilters(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	a := e.subnet(vpcID, "10.0.0.0/24")
	b := must(e.ec2.CreateSubnet(e.ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.0.1.0/28"), AvailabilityZoneId: aws.String("euw1-az3"),
		TagSpecifications: tagSpec(types.ResourceTypeSubnet, "tier", "private")}))(t).Subnet
	bID := aws.ToString(b.SubnetId)
	other := e.subnet(e.vpc("10.1.0.0/16"), "10.1.0.0/24")
	cases := map[string]struct {
		reason  string
		filters []types.Filter
		want    []string
	}{
		"vpc-id":               {"selects the VPC's subnets", []types.Filter{filter("vpc-id", vpcID)}, sortedIDs(a, bID)},
		"availability-zone":    {"selects by zone name", []types.Filter{filter("availability-zone", "eu-west-1c")}, []string{bID}},
		"availabilityZone":     {"the alternative spelling works too", []types.Filter{filter("availabilityZone", "eu-west-1c")}, []string{bID}},
		"availability-zone-id": {"selects by zone id", []types.Filter{filter("availability-zone-id", "euw1-az3")}, []string{bID}},
		"cidr-block":           {"selects by block", []types.Filter{filter("cidr-block", "10.1.0.0/24")}, []string{other}},
		"cidr":                 {"cidr is an alternative name", []types.Filter{filter("cidr", "10.0.0.0/24")}, []string{a}},
		"available ips":        {"a /28 has 11 usable addresses", []types.Filter{filter("available-ip-address-count", "11")}, []string{bID}},
		"subnet-id":            {"selects by id", []types.Filter{filter("subnet-id", a, other)}, sortedIDs(a, other)},
		"tag":                  {"selects by tag", []types.Filter{filter("tag:tier", "private")}, []string{bID}},
		"default-for-az":       {"no sandbox subnet is a default one", []types.Filter{filter("default-for-az", "true")}, nil},
		"state":                {"subnets are available", []types.Filter{filter("state", "available"), filter("vpc-id", vpcID)}, sortedIDs(a, bID)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, s := range must(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{Filters: tc.filters}))(t).Subnets {
				got = append(got, aws.ToString(s.SubnetId))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDescribeRouteTablesFilters(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	main := aws.ToString(e.mainRouteTable(vpcID).RouteTableId)
	private := e.routeTable(vpcID)
	sub := e.subnet(vpcID, "10.0.1.0/24")
	assoc := aws.ToString(must(e.ec2.AssociateRouteTable(e.ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(private), SubnetId: aws.String(sub)}))(t).AssociationId)
	public := e.routeTable(vpcID)
	igw := e.igw(vpcID)
	must(e.ec2.CreateRoute(e.ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(public), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String(igw)}))(t)
	cases := map[string]struct {
		reason  string
		filters []types.Filter
		want    []string
	}{
		"main":                   {"association.main=true selects the main table", []types.Filter{filter("association.main", "true")}, []string{main}},
		"not main":               {"association.main=false needs a non-main association", []types.Filter{filter("association.main", "false")}, []string{private}},
		"association id":         {"selects by association id", []types.Filter{filter("association.route-table-association-id", assoc)}, []string{private}},
		"association table":      {"selects tables with associations", []types.Filter{filter("association.route-table-id", private, public)}, []string{private}},
		"route gateway":          {"selects tables routing to a gateway", []types.Filter{filter("route.gateway-id", igw)}, []string{public}},
		"route origin":           {"CreateRoute marks added routes", []types.Filter{filter("route.origin", "CreateRoute")}, []string{public}},
		"route-table-id":         {"selects by id", []types.Filter{filter("route-table-id", public)}, []string{public}},
		"local route everywhere": {"every table routes its VPC's block", []types.Filter{filter("route.destination-cidr-block", "10.0.0.0/16")}, sortedIDs(main, private, public)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, rt := range must(e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: tc.filters}))(t).RouteTables {
				got = append(got, aws.ToString(rt.RouteTableId))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestUnknownFilterNames(t *testing.T) {
	e := newEnv(t)
	bad := []types.Filter{filter("colour", "red")}
	calls := map[string]func() error{
		"DescribeVpcs": func() error { _, err := e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{Filters: bad}); return err },
		"DescribeSubnets": func() error {
			_, err := e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{Filters: bad})
			return err
		},
		"DescribeRouteTables": func() error {
			_, err := e.ec2.DescribeRouteTables(e.ctx, &ec2.DescribeRouteTablesInput{Filters: bad})
			return err
		},
		"DescribeInternetGateways": func() error {
			_, err := e.ec2.DescribeInternetGateways(e.ctx, &ec2.DescribeInternetGatewaysInput{Filters: bad})
			return err
		},
		"DescribeSecurityGroups": func() error {
			_, err := e.ec2.DescribeSecurityGroups(e.ctx, &ec2.DescribeSecurityGroupsInput{Filters: bad})
			return err
		},
		"DescribeSecurityGroupRules": func() error {
			_, err := e.ec2.DescribeSecurityGroupRules(e.ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: bad})
			return err
		},
		"DescribeVpcPeeringConnections": func() error {
			_, err := e.ec2.DescribeVpcPeeringConnections(e.ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: bad})
			return err
		},
		"DescribeTags": func() error { _, err := e.ec2.DescribeTags(e.ctx, &ec2.DescribeTagsInput{Filters: bad}); return err },
		"DescribeAvailabilityZones": func() error {
			_, err := e.ec2.DescribeAvailabilityZones(e.ctx, &ec2.DescribeAvailabilityZonesInput{Filters: bad})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			checkCode(t, name+" with an unknown filter", err, "InvalidParameterValue")
			var ae interface{ ErrorMessage() string }
			if asMessage(err, &ae) && ae.ErrorMessage() != "The filter 'colour' is invalid" {
				t.Errorf("message: got %q", ae.ErrorMessage())
			}
		})
	}
}
