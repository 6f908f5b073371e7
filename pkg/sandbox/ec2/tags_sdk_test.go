package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
)

// tagRow is one DescribeTags row in a comparable form.
type tagRow struct{ ID, Type, Key, Value string }

func (e *env) describeTags(filters ...types.Filter) []tagRow {
	e.t.Helper()
	var rows []tagRow
	p := ec2.NewDescribeTagsPaginator(e.ec2, &ec2.DescribeTagsInput{Filters: filters, MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		for _, d := range must(p.NextPage(e.ctx))(e.t).Tags {
			rows = append(rows, tagRow{aws.ToString(d.ResourceId), string(d.ResourceType), aws.ToString(d.Key), aws.ToString(d.Value)})
		}
	}
	return rows
}

func TestCreateAndDeleteTags(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16", "Name", "db")
	sub := e.subnet(vpcID, "10.0.1.0/24")
	g := e.group(vpcID, "app")
	must(e.ec2.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{vpcID, sub, g}, Tags: tags("kcstack:stack", "prod", "Name", "x")}))(t)
	want := []tagRow{
		{g, "security-group", "Name", "x"}, {g, "security-group", "kcstack:stack", "prod"},
		{sub, "subnet", "Name", "x"}, {sub, "subnet", "kcstack:stack", "prod"},
		{vpcID, "vpc", "Name", "x"}, {vpcID, "vpc", "kcstack:stack", "prod"},
	}
	want = sortRows(want)
	if diff := cmp.Diff(want, e.describeTags()); diff != "" {
		t.Errorf("tags after CreateTags (-want +got):\n%s", diff)
	}

	must(e.ec2.DeleteTags(e.ctx, &ec2.DeleteTagsInput{Resources: []string{vpcID}, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("not x")}}}))(t)
	must(e.ec2.DeleteTags(e.ctx, &ec2.DeleteTagsInput{Resources: []string{sub}, Tags: []types.Tag{{Key: aws.String("Name")}}}))(t)
	must(e.ec2.DeleteTags(e.ctx, &ec2.DeleteTagsInput{Resources: []string{g}}))(t)
	want = sortRows([]tagRow{{sub, "subnet", "kcstack:stack", "prod"}, {vpcID, "vpc", "Name", "x"}, {vpcID, "vpc", "kcstack:stack", "prod"}})
	if diff := cmp.Diff(want, e.describeTags()); diff != "" {
		t.Errorf("tags after DeleteTags (value mismatch keeps, key only removes, no tags removes all) (-want +got):\n%s", diff)
	}
	vpcs := must(e.ec2.DescribeVpcs(e.ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("tag:kcstack:stack", "prod")}}))(t).Vpcs
	if len(vpcs) != 1 || aws.ToString(vpcs[0].VpcId) != vpcID {
		t.Errorf("VPCs tagged kcstack:stack=prod: got %d, want %s", len(vpcs), vpcID)
	}
}

func sortRows(rows []tagRow) []tagRow {
	out := append([]tagRow(nil), rows...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].ID < out[i].ID || (out[j].ID == out[i].ID && out[j].Key < out[i].Key) {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestDescribeTagsFilters(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16", "team", "iam", "env", "prod")
	rt := e.routeTable(vpcID)
	must(e.ec2.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{rt}, Tags: tags("team", "web")}))(t)
	cases := map[string]struct {
		reason  string
		filters []types.Filter
		want    []tagRow
	}{
		"resource-type": {"selects rows of one type", []types.Filter{filter("resource-type", "route-table")}, []tagRow{{rt, "route-table", "team", "web"}}},
		"resource-id":   {"selects rows of one resource", []types.Filter{filter("resource-id", vpcID)}, sortRows([]tagRow{{vpcID, "vpc", "env", "prod"}, {vpcID, "vpc", "team", "iam"}})},
		"key":           {"selects rows by key", []types.Filter{filter("key", "team")}, sortRows([]tagRow{{vpcID, "vpc", "team", "iam"}, {rt, "route-table", "team", "web"}})},
		"value":         {"selects rows by value, with wildcards", []types.Filter{filter("value", "pr*")}, []tagRow{{vpcID, "vpc", "env", "prod"}}},
		"tag:key":       {"selects every tag row of matching resources", []types.Filter{filter("tag:team", "web")}, []tagRow{{rt, "route-table", "team", "web"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, e.describeTags(tc.filters...)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
	_, err := e.ec2.DescribeTags(e.ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{filter("colour", "red")}})
	checkCode(t, "unknown filter", err, "InvalidParameterValue")
}

func TestCreateTagsErrors(t *testing.T) {
	e := newEnv(t)
	vpcID := e.vpc("10.0.0.0/16")
	cases := map[string]struct {
		reason string
		in     *ec2.CreateTagsInput
		want   string
	}{
		"unknown VPC":       {"the resource must exist", &ec2.CreateTagsInput{Resources: []string{"vpc-0123456789abcdef0"}, Tags: tags("a", "b")}, "InvalidVpcID.NotFound"},
		"unknown subnet":    {"the resource must exist", &ec2.CreateTagsInput{Resources: []string{"subnet-0123456789abcdef0"}, Tags: tags("a", "b")}, "InvalidSubnetID.NotFound"},
		"unknown peering":   {"the resource must exist", &ec2.CreateTagsInput{Resources: []string{"pcx-0123456789abcdef0"}, Tags: tags("a", "b")}, "InvalidVpcPeeringConnectionID.NotFound"},
		"not an id":         {"ids have the form <type>-<hex>", &ec2.CreateTagsInput{Resources: []string{"my-vpc"}, Tags: tags("a", "b")}, "InvalidID"},
		"reserved key":      {"aws: keys are reserved", &ec2.CreateTagsInput{Resources: []string{vpcID}, Tags: tags("aws:cloudformation", "b")}, "InvalidParameterValue"},
		"partial existence": {"nothing is tagged unless every resource exists", &ec2.CreateTagsInput{Resources: []string{vpcID, "vpc-0123456789abcdef0"}, Tags: tags("partial", "b")}, "InvalidVpcID.NotFound"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.ec2.CreateTags(e.ctx, tc.in)
			if got := errorCode(err); got != tc.want {
				t.Errorf("%s: error code %q, want %q (%v)", tc.reason, got, tc.want, err)
			}
		})
	}
	if rows := e.describeTags(filter("key", "partial")); len(rows) != 0 {
		t.Errorf("a failed CreateTags tagged %v", rows)
	}
	many := make([]types.Tag, 0, 51)
	for i := 0; i < 51; i++ {
		many = append(many, types.Tag{Key: aws.String("k" + string(rune('A'+i/26)) + string(rune('a'+i%26))), Value: aws.String("v")})
	}
	_, err := e.ec2.CreateTags(e.ctx, &ec2.CreateTagsInput{Resources: []string{vpcID}, Tags: many})
	checkCode(t, "more than 50 tags", err, "TagLimitExceeded")
}

func TestDescribeAvailabilityZones(t *testing.T) {
	e := newEnv(t)
	out := must(e.ec2.DescribeAvailabilityZones(e.ctx, &ec2.DescribeAvailabilityZonesInput{}))(t)
	var got []string
	for _, z := range out.AvailabilityZones {
		if z.State != types.AvailabilityZoneStateAvailable || aws.ToString(z.RegionName) != "eu-west-1" {
			t.Errorf("zone %s: state %q region %q", aws.ToString(z.ZoneName), z.State, aws.ToString(z.RegionName))
		}
		got = append(got, aws.ToString(z.ZoneName)+"="+aws.ToString(z.ZoneId))
	}
	if diff := cmp.Diff([]string{"eu-west-1a=euw1-az1", "eu-west-1b=euw1-az2", "eu-west-1c=euw1-az3"}, got); diff != "" {
		t.Errorf("zones (-want +got):\n%s", diff)
	}
	ap := must(e.clientIn("ap-southeast-2").DescribeAvailabilityZones(e.ctx, &ec2.DescribeAvailabilityZonesInput{Filters: []types.Filter{filter("zone-name", "*b")}}))(t).AvailabilityZones
	if len(ap) != 1 || aws.ToString(ap[0].ZoneId) != "apse2-az2" {
		t.Errorf("ap-southeast-2 zone b: got %+v, want apse2-az2", ap)
	}
	_, err := e.ec2.DescribeAvailabilityZones(e.ctx, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"eu-west-1z"}})
	checkCode(t, "unknown zone", err, "InvalidParameterValue")
	regions := must(e.ec2.DescribeRegions(e.ctx, &ec2.DescribeRegionsInput{Filters: []types.Filter{filter("region-name", "eu-*")}}))(t).Regions
	if len(regions) == 0 || aws.ToString(regions[0].Endpoint) == "" {
		t.Errorf("DescribeRegions eu-*: got %+v", regions)
	}
}
