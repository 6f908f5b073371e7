package ec2

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func TestOpsHaveTheirSDKShapes(t *testing.T) {
	for name, o := range Service().Ops {
		if err := api.ValidateFn(o.Fn); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		ft := reflect.TypeOf(o.Fn)
		in, out := ft.In(1).Elem(), ft.Out(0).Elem()
		if in.Name() != name+"Input" || out.Name() != name+"Output" || in.PkgPath() != reflect.TypeOf(ec2.CreateVpcInput{}).PkgPath() {
			t.Errorf("%s takes %s and returns %s, want the SDK's %sInput and %sOutput", name, in, out, name, name)
		}
	}
}

func TestWildcard(t *testing.T) {
	cases := map[string]struct {
		reason, pattern, s string
		want               bool
	}{
		"literal":          {"no wildcard matches itself", "vpc-1", "vpc-1", true},
		"literal mismatch": {"no wildcard matches only itself", "vpc-1", "vpc-12", false},
		"star suffix":      {"* matches any tail", "kc-*", "kc-db", true},
		"star empty":       {"* matches nothing too", "kc-*", "kc-", true},
		"star middle":      {"* backtracks", "a*b*c", "axxbyyc", true},
		"star no match":    {"* cannot invent characters", "a*b", "acc", false},
		"question":         {"? matches one character", "kc-d?", "kc-db", true},
		"question short":   {"? needs a character", "kc-db?", "kc-db", false},
		"escaped star":     {`\* matches a literal star`, `a\*`, "a*", true},
		"escaped star no":  {`\* is not a wildcard`, `a\*`, "ab", false},
		"only star":        {"* matches everything", "*", "anything", true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := wildcard(tc.pattern, tc.s); got != tc.want {
				t.Errorf("%s: wildcard(%q, %q) = %v, want %v", tc.reason, tc.pattern, tc.s, got, tc.want)
			}
		})
	}
}

func TestPaginate(t *testing.T) {
	items := []string{"a", "b", "c", "d", "e", "f", "g"}
	id := func(s string) string { return s }
	var got [][]string
	var token *string
	for {
		page, next, err := paginate(items, id, aws.Int32(5), token, bounds5to1000)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page)
		if next == nil {
			break
		}
		if strings.Contains(*next, "e") && len(*next) == 1 {
			t.Errorf("token %q exposes the id; tokens are opaque", *next)
		}
		token = next
	}
	if diff := cmp.Diff([][]string{{"a", "b", "c", "d", "e"}, {"f", "g"}}, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	all, next, err := paginate(items, id, nil, nil, bounds5to1000)
	if err != nil || next != nil || len(all) != len(items) {
		t.Errorf("without MaxResults: got %d items, token %v, err %v; want all, no token", len(all), next, err)
	}
}

func TestPaginateIsStableWhenItemsChange(t *testing.T) {
	page, next, err := paginate([]string{"a", "b", "c", "d", "e", "f"}, func(s string) string { return s }, aws.Int32(5), nil, bounds5to1000)
	if err != nil || len(page) != 5 {
		t.Fatalf("first page: %v %v", page, err)
	}
	// "c" is deleted and "z" created between the calls: the next page
	// continues after "e" without repeating or skipping anything.
	rest, _, err := paginate([]string{"a", "b", "d", "e", "f", "z"}, func(s string) string { return s }, aws.Int32(5), next, bounds5to1000)
	if diff := cmp.Diff([]string{"f", "z"}, rest); diff != "" || err != nil {
		t.Errorf("second page (-want +got):\n%s (err %v)", diff, err)
	}
}

func TestZoneIDPrefix(t *testing.T) {
	cases := map[string]struct{ reason, region, want string }{
		"eu-west-1":      {"direction words abbreviate to one letter", "eu-west-1", "euw1"},
		"us-east-1":      {"direction words abbreviate to one letter", "us-east-1", "use1"},
		"ap-southeast-2": {"compound directions keep two letters", "ap-southeast-2", "apse2"},
		"eu-central-1":   {"central is c", "eu-central-1", "euc1"},
		"us-gov-west-1":  {"other words keep their first letter", "us-gov-west-1", "usgw1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := zoneIDPrefix(tc.region); got != tc.want {
				t.Errorf("%s: zoneIDPrefix(%q) = %q, want %q", tc.reason, tc.region, got, tc.want)
			}
		})
	}
}

func TestPeeringTicks(t *testing.T) {
	cases := map[string]struct {
		reason  string
		status  string
		changed time.Duration // before now
		expires time.Duration // after now
		want    string        // "" when the connection is gone
	}{
		"provisioning done":   {"provisioning becomes active after the create delay", statusProvisioning, 2 * time.Second, time.Hour, statusActive},
		"provisioning waits":  {"provisioning stays until the create delay passes", statusProvisioning, 0, time.Hour, statusProvisioning},
		"deleting done":       {"deleting becomes deleted after the delete delay", statusDeleting, 2 * time.Second, time.Hour, statusDeleted},
		"request expires":     {"an unanswered request expires", statusPending, time.Hour, -time.Second, statusExpired},
		"request waits":       {"a request waits up to its expiry", statusPending, time.Hour, time.Hour, statusPending},
		"deleted shows":       {"deleted connections stay visible for a while", statusDeleted, time.Hour, 0, statusDeleted},
		"deleted disappears":  {"deleted connections vanish after two hours", statusDeleted, 3 * time.Hour, 0, ""},
		"rejected disappears": {"rejected connections vanish after two days", statusRejected, 49 * time.Hour, 0, ""},
		"active stays":        {"active connections stay active", statusActive, 1000 * time.Hour, 0, statusActive},
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			st := NewState()
			st.Peerings["pcx-1"] = &peering{ID: "pcx-1", Status: tc.status, Changed: now.Add(-tc.changed), Expires: now.Add(tc.expires)}
			st.Tick(now, api.Settings{CreateDelay: time.Second, DeleteDelay: time.Second})
			got := ""
			if p := st.Peerings["pcx-1"]; p != nil {
				got = p.Status
			}
			if got != tc.want {
				t.Errorf("%s: status %q, want %q", tc.reason, got, tc.want)
			}
		})
	}
}

func TestStateRoundTripsThroughJSON(t *testing.T) {
	h := newHarness(t)
	vpc := do[ec2.CreateVpcOutput](h, "CreateVpc", &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}).Vpc.VpcId
	peer := do[ec2.CreateVpcOutput](h, "CreateVpc", &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")}).Vpc.VpcId
	do[ec2.CreateSubnetOutput](h, "CreateSubnet", &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24")})
	do[ec2.CreateVpcPeeringConnectionOutput](h, "CreateVpcPeeringConnection", &ec2.CreateVpcPeeringConnectionInput{VpcId: vpc, PeerVpcId: peer})
	before := do[ec2.DescribeRouteTablesOutput](h, "DescribeRouteTables", &ec2.DescribeRouteTablesInput{})

	data, err := json.Marshal(h.state())
	if err != nil {
		t.Fatal(err)
	}
	loaded := Service().NewState()
	if err := json.Unmarshal(data, loaded); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(h.state(), loaded, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("state after a JSON round trip (-want +got):\n%s", diff)
	}
	h.world.states[Name] = loaded
	after := do[ec2.DescribeRouteTablesOutput](h, "DescribeRouteTables", &ec2.DescribeRouteTablesInput{})
	if diff := cmp.Diff(before.RouteTables, after.RouteTables, cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
		t.Errorf("describe after reload (-want +got):\n%s", diff)
	}
}

func TestTaggedResources(t *testing.T) {
	h := newHarness(t)
	vpc := do[ec2.CreateVpcOutput](h, "CreateVpc", &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}).Vpc.VpcId
	do[ec2.CreateTagsOutput](h, "CreateTags", &ec2.CreateTagsInput{Resources: []string{*vpc}, Tags: tagList("kcstack:stack", "prod")})
	h.region = "us-east-1"
	do[ec2.CreateInternetGatewayOutput](h, "CreateInternetGateway", &ec2.CreateInternetGatewayInput{})

	var got []api.TaggedResource
	for _, r := range h.state().TaggedResources() {
		if r.Type == "ec2:vpc" || r.Type == "ec2:internet-gateway" {
			r.ARN = r.ARN[:strings.LastIndex(r.ARN, "/")+1]
			got = append(got, r)
		}
	}
	want := []api.TaggedResource{
		{ARN: "arn:aws:ec2:eu-west-1:123456789012:vpc/", Type: "ec2:vpc", Region: "eu-west-1", Tags: map[string]string{"kcstack:stack": "prod"}},
		{ARN: "arn:aws:ec2:us-east-1:123456789012:internet-gateway/", Type: "ec2:internet-gateway", Region: "us-east-1", Tags: map[string]string{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tagged resources (-want +got):\n%s", diff)
	}
	types := map[string]bool{}
	for _, r := range h.state().TaggedResources() {
		types[r.Type] = true
	}
	if diff := cmp.Diff(map[string]bool{"ec2:vpc": true, "ec2:route-table": true, "ec2:security-group": true, "ec2:security-group-rule": true, "ec2:internet-gateway": true}, types); diff != "" {
		t.Errorf("resource types a VPC and a gateway bring (-want +got):\n%s", diff)
	}
}

func tagList(kv ...string) []ec2types.Tag {
	var out []ec2types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, ec2types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func TestDependentsOnlyAskOtherServices(t *testing.T) {
	h := newHarness(t)
	asked := map[string]bool{}
	h.world.states["rds"] = &fakeDependents{DependentsOfFn: func(id string) []string { asked[id] = true; return nil }}
	h.world.states["ssm"] = struct{}{} // a state without Dependents is skipped
	vpc := do[ec2.CreateVpcOutput](h, "CreateVpc", &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}).Vpc.VpcId
	sub := do[ec2.CreateSubnetOutput](h, "CreateSubnet", &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24")}).Subnet.SubnetId
	do[ec2.DeleteSubnetOutput](h, "DeleteSubnet", &ec2.DeleteSubnetInput{SubnetId: sub})
	if !asked[*sub] {
		t.Errorf("DeleteSubnet did not ask RDS about %s", *sub)
	}
}

func TestDryRun(t *testing.T) {
	h := newHarness(t)
	_, err := h.call("DescribeVpcs", &ec2.DescribeVpcsInput{DryRun: aws.Bool(true)})
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Code != "DryRunOperation" || ae.HTTPStatus() != 412 {
		t.Errorf("DryRun: got %v, want DryRunOperation with status 412", err)
	}
}

func TestLookups(t *testing.T) {
	h := newHarness(t)
	vpc := do[ec2.CreateVpcOutput](h, "CreateVpc", &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}).Vpc.VpcId
	sub := do[ec2.CreateSubnetOutput](h, "CreateSubnet", &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("eu-west-1c")}).Subnet.SubnetId
	sg := do[ec2.CreateSecurityGroupOutput](h, "CreateSecurityGroup", &ec2.CreateSecurityGroupInput{VpcId: vpc, GroupName: aws.String("db"), Description: aws.String("d")}).GroupId
	st := h.state()
	type result struct {
		VPC, Zone string
		OK        bool
	}
	cases := map[string]struct {
		reason string
		got    func() result
		want   result
	}{
		"subnet":           {"a subnet resolves to its VPC and zone", func() result { v, z, ok := st.LookupSubnet("eu-west-1", *sub); return result{v, z, ok} }, result{*vpc, "eu-west-1c", true}},
		"subnet elsewhere": {"subnets are regional", func() result { v, z, ok := st.LookupSubnet("us-east-1", *sub); return result{v, z, ok} }, result{}},
		"unknown subnet": {"unknown ids do not resolve", func() result {
			v, z, ok := st.LookupSubnet("eu-west-1", "subnet-0123456789abcdef0")
			return result{v, z, ok}
		}, result{}},
		"group": {"a group resolves to its VPC", func() result { v, ok := st.LookupSecurityGroup("eu-west-1", *sg); return result{VPC: v, OK: ok} }, result{VPC: *vpc, OK: true}},
		"unknown group": {"unknown ids do not resolve", func() result {
			v, ok := st.LookupSecurityGroup("eu-west-1", "sg-0123456789abcdef0")
			return result{VPC: v, OK: ok}
		}, result{}},
		"default group": {"every VPC has a default group", func() result {
			g, ok := st.DefaultSecurityGroup("eu-west-1", *vpc)
			return result{OK: ok && strings.HasPrefix(g, "sg-") && g != *sg}
		}, result{OK: true}},
		"default group of nothing": {"an unknown VPC has none", func() result {
			g, ok := st.DefaultSecurityGroup("eu-west-1", "vpc-0123456789abcdef0")
			return result{VPC: g, OK: ok}
		}, result{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.got()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
