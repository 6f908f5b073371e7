package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// summary is a check as the tests compare it.
type summary struct {
	Name, Status, Message string
	Details               []string
	Hint                  string
}

func summaries(r *Report) []summary {
	var out []summary
	for _, c := range r.Checks {
		out = append(out, summary{Name: c.Name, Status: string(c.Status), Message: c.Message, Details: c.Details, Hint: c.Hint})
	}
	return out
}

func snapshot(obs ...resource.Observation) *state.Snapshot {
	s := &state.Snapshot{Observations: map[string]resource.Observation{}}
	for _, o := range obs {
		if o.Attrs == nil {
			o.Attrs = map[string]string{}
		}
		o.Attrs["id"] = o.ID
		s.Observations[o.Address] = o
	}
	return s
}

// aurora is a cluster "db" of two instances, db-1 in eu-west-1a and db-2
// in eu-west-1b.
var aurora = []resource.Desired{
	{Address: "database.cluster", Kind: resource.KindDBCluster},
	{Address: "database.instance[0]", Kind: resource.KindDBInstance, Props: resource.Props{"identifier": "db-1", "promotion_tier": int64(0)}},
	{Address: "database.instance[1]", Kind: resource.KindDBInstance, Props: resource.Props{"identifier": "db-2", "promotion_tier": int64(1)}},
}

type instance struct {
	id, zone, status string
	writer           bool
	tier             int32
}

func fakeAurora(is ...instance) fakeRDS {
	return fakeRDS{
		ClustersFn: func(*rds.DescribeDBClustersInput) *rds.DescribeDBClustersOutput {
			c := rdstypes.DBCluster{DBClusterIdentifier: aws.String("db")}
			for _, i := range is {
				c.DBClusterMembers = append(c.DBClusterMembers, rdstypes.DBClusterMember{DBInstanceIdentifier: aws.String(i.id), IsClusterWriter: aws.Bool(i.writer), PromotionTier: aws.Int32(i.tier)})
			}
			return &rds.DescribeDBClustersOutput{DBClusters: []rdstypes.DBCluster{c}}
		},
		InstancesFn: func(*rds.DescribeDBInstancesInput) *rds.DescribeDBInstancesOutput {
			out := &rds.DescribeDBInstancesOutput{}
			for _, i := range is {
				out.DBInstances = append(out.DBInstances, rdstypes.DBInstance{DBInstanceIdentifier: aws.String(i.id), AvailabilityZone: aws.String(i.zone), DBInstanceStatus: aws.String(i.status)})
			}
			return out
		},
	}
}

func TestDatabase(t *testing.T) {
	tests := map[string]struct {
		reason     string
		writerZone string
		instances  []instance
		want       []summary
	}{
		"healthy": {
			reason:     "both members available, the writer in the writerZone with tier 0, the reader tier 1: all pass",
			writerZone: "eu-west-1a",
			instances:  []instance{{"db-1", "eu-west-1a", "available", true, 0}, {"db-2", "eu-west-1b", "available", false, 1}},
			want: []summary{
				{Name: "aurora members available", Status: "pass", Message: "2 of 2 instances available"},
				{Name: "aurora writer zone", Status: "pass", Message: "writer db-1 is in eu-west-1a"},
				{Name: "aurora promotion tiers", Status: "pass", Message: "tiers db-1=0, db-2=1"},
			},
		},
		"failed over": {
			reason:     "after a failover the writer is in another zone with the reader's tier: the zone check names the failover back",
			writerZone: "eu-west-1a",
			instances:  []instance{{"db-1", "eu-west-1a", "available", false, 0}, {"db-2", "eu-west-1b", "available", true, 1}},
			want: []summary{
				{Name: "aurora members available", Status: "pass", Message: "2 of 2 instances available"},
				{Name: "aurora writer zone", Status: "fail", Message: "writer is in eu-west-1b, the file asks eu-west-1a",
					Hint: "fail over with aws rds failover-db-cluster --db-cluster-identifier db --target-db-instance-identifier db-1"},
				{Name: "aurora promotion tiers", Status: "fail", Message: "tiers db-1=0, db-2=1",
					Details: []string{"reader db-1 has tier 0, want 1 to 1", "writer db-2 has tier 1, want 0"},
					Hint:    "the instances have the tiers the file sets but a failover moved the writer (kcstack apply changes nothing): fail over back with aws rds failover-db-cluster --db-cluster-identifier db --target-db-instance-identifier db-1"},
			},
		},
		"tier changed by hand": {
			reason:    "a reader's tier changed by hand is not a failover: the hint is kcstack apply",
			instances: []instance{{"db-1", "eu-west-1a", "available", true, 0}, {"db-2", "eu-west-1b", "available", false, 5}},
			want: []summary{
				{Name: "aurora members available", Status: "pass", Message: "2 of 2 instances available"},
				{Name: "aurora promotion tiers", Status: "fail", Message: "tiers db-1=0, db-2=5", Details: []string{"reader db-2 has tier 5, want 1 to 1"},
					Hint: "run kcstack apply to set the tiers the file asks"},
			},
		},
		"member missing and one modifying": {
			reason:    "an instance not in the cluster and one not available are named; without writerZone no zone check",
			instances: []instance{{"db-1", "eu-west-1a", "modifying", true, 0}},
			want: []summary{
				{Name: "aurora members available", Status: "fail", Message: "0 of 2 instances available",
					Details: []string{"instance db-1 is modifying", "instance db-2 is not a member of db"},
					Hint:    "aws rds describe-db-instances --filters Name=db-cluster-id,Values=db; aws rds describe-events --source-type db-instance; run kcstack apply to create a missing instance"},
				{Name: "aurora promotion tiers", Status: "pass", Message: "tiers db-1=0"},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			in := Input{Desired: aurora, WriterZone: tc.writerZone,
				Snapshot: snapshot(resource.Observation{Address: "database.cluster", Exists: true, ID: "db"})}
			rep, err := Run(context.Background(), Clients{RDS: fakeAurora(tc.instances...)}, in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, summaries(rep)); diff != "" {
				t.Errorf("%s\n(-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	ref := func(a string) resource.Ref { return resource.Ref{Address: a, Attr: "id"} }
	desired := []resource.Desired{
		{Address: "t.routes-to-database", Kind: resource.KindRoute, Props: resource.Props{"vpc_id": ref("t.vpc"), "destination_cidr_block": "192.168.0.0/24",
			"vpc_peering_connection_id": ref("t.peering"), "route_table_ids": []any{ref("t.rt[a]"), ref("t.rt[b]")}}},
		{Address: "t.routes-from-database", Kind: resource.KindRoute, Props: resource.Props{"vpc_id": ref("db.vpc"), "destination_cidr_block": "10.0.0.0/16",
			"vpc_peering_connection_id": ref("t.peering"), "subnets_within": "192.168.0.0/24"}},
	}
	snap := snapshot(
		resource.Observation{Address: "t.vpc", Exists: true, ID: "vpc-t"}, resource.Observation{Address: "db.vpc", Exists: true, ID: "vpc-db"},
		resource.Observation{Address: "t.peering", Exists: true, ID: "pcx-1"},
		resource.Observation{Address: "t.rt[a]", Exists: true, ID: "rtb-a"}, resource.Observation{Address: "t.rt[b]", Exists: true, ID: "rtb-b"},
	)
	route := func(dest string) ec2types.Route {
		return ec2types.Route{DestinationCidrBlock: aws.String(dest), VpcPeeringConnectionId: aws.String("pcx-1"), State: ec2types.RouteStateActive}
	}
	fake := fakeEC2{
		SubnetsFn: func(in *ec2.DescribeSubnetsInput) *ec2.DescribeSubnetsOutput {
			if diff := cmp.Diff([]string{"vpc-db", "vpc-t"}, in.Filters[0].Values); diff != "" {
				t.Errorf("subnets of one call for both VPCs (-want +got):\n%s", diff)
			}
			return &ec2.DescribeSubnetsOutput{Subnets: []ec2types.Subnet{{SubnetId: aws.String("subnet-db"), VpcId: aws.String("vpc-db"), CidrBlock: aws.String("192.168.0.0/26")}}}
		},
		TablesFn: func(*ec2.DescribeRouteTablesInput) *ec2.DescribeRouteTablesOutput {
			return &ec2.DescribeRouteTablesOutput{RouteTables: []ec2types.RouteTable{
				{RouteTableId: aws.String("rtb-a"), VpcId: aws.String("vpc-t"), Routes: []ec2types.Route{route("192.168.0.0/24")}},
				{RouteTableId: aws.String("rtb-b"), VpcId: aws.String("vpc-t")},
				{RouteTableId: aws.String("rtb-db"), VpcId: aws.String("vpc-db"), Routes: []ec2types.Route{route("10.0.0.0/16")},
					Associations: []ec2types.RouteTableAssociation{{SubnetId: aws.String("subnet-db")}}},
			}}
		},
	}
	rep, err := Run(context.Background(), Clients{EC2: fake}, Input{Desired: desired, Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	want := []summary{
		{Name: "peering routes", Status: "fail", Message: "192.168.0.0/24 → pcx-1 in 1 of 2 route tables",
			Details: []string{"route table rtb-b: no route to 192.168.0.0/24 through pcx-1"},
			Hint:    "aws ec2 describe-route-tables --filters Name=vpc-id,Values=vpc-t; run kcstack apply to add the routes back"},
		{Name: "peering routes", Status: "pass", Message: "10.0.0.0/16 → pcx-1 in 1 of 1 route tables"},
	}
	if diff := cmp.Diff(want, summaries(rep)); diff != "" {
		t.Errorf("a table listed without the route fails, naming it; the database's table in use passes (-want +got):\n%s", diff)
	}
}

func TestRules(t *testing.T) {
	ref := func(a string) resource.Ref { return resource.Ref{Address: a, Attr: "id"} }
	desired := []resource.Desired{
		{Address: "a.database-ingress", Kind: resource.KindSecurityGroupRule, Props: resource.Props{"type": "ingress", "protocol": "tcp",
			"from_port": int64(5432), "to_port": int64(5432), "group_id": ref("db.sg"), "source_group_id": ref("a.sg")}},
		{Address: "b.database-ingress", Kind: resource.KindSecurityGroupRule, Props: resource.Props{"type": "ingress", "protocol": "tcp",
			"from_port": int64(5432), "to_port": int64(5432), "group_id": ref("db.sg"), "cidr_ipv4": "10.1.0.0/16"}},
		{Address: "a.task-ingress", Kind: resource.KindSecurityGroupRule, Props: resource.Props{"type": "ingress", "protocol": "tcp",
			"from_port": int64(8080), "to_port": int64(8080), "group_id": ref("a.sg")}},
	}
	snap := snapshot(resource.Observation{Address: "db.sg", Exists: true, ID: "sg-db"}, resource.Observation{Address: "a.sg", Exists: true, ID: "sg-a"})
	calls := 0
	fake := fakeEC2{RulesFn: func(in *ec2.DescribeSecurityGroupRulesInput) *ec2.DescribeSecurityGroupRulesOutput {
		calls++
		return &ec2.DescribeSecurityGroupRulesOutput{SecurityGroupRules: []ec2types.SecurityGroupRule{
			{GroupId: aws.String("sg-db"), IsEgress: aws.Bool(false), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432),
				ReferencedGroupInfo: &ec2types.ReferencedSecurityGroup{GroupId: aws.String("sg-a")}},
			{GroupId: aws.String("sg-db"), IsEgress: aws.Bool(true), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), CidrIpv4: aws.String("10.1.0.0/16")},
		}}
	}}
	rep, err := Run(context.Background(), Clients{EC2: fake}, Input{Desired: desired, Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	want := []summary{
		{Name: "database ingress rule", Status: "pass", Message: "tcp 5432 from sg-a on sg-db"},
		{Name: "database ingress rule", Status: "fail", Message: "no ingress rule for tcp 5432 from 10.1.0.0/16 on the database security group sg-db",
			Hint: "aws ec2 describe-security-group-rules --filters Name=group-id,Values=sg-db; run kcstack apply to add the rule back"},
	}
	if diff := cmp.Diff(want, summaries(rep)); diff != "" {
		t.Errorf("the rule from a group passes, the CIDR rule present only as egress fails, the 8080 rule is not checked (-want +got):\n%s", diff)
	}
	if calls != 1 {
		t.Errorf("DescribeSecurityGroupRules calls: %d, want 1 for all the groups", calls)
	}
}

func TestJSON(t *testing.T) {
	rep := &Report{Stack: "s", Region: "eu-west-1", Checks: []Check{
		{Name: "peering active", Address: "t.peering", Status: Pass, Message: "pcx-1 is active"},
		{Name: "keycloak ready", Address: "targets.r", Status: Skip, Message: "the in-cluster part was not read: no kubeconfig"},
	}}
	var b bytes.Buffer
	if err := JSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["format_version"] != FormatVersion || got["passed"] != true {
		t.Errorf("format_version %v passed %v, want %s and true: a skipped check does not fail", got["format_version"], got["passed"], FormatVersion)
	}
	check := got["checks"].([]any)[0].(map[string]any)
	if _, ok := check["details"].([]any); !ok || check["hint"] != "" {
		t.Errorf("a passed check's details %v and hint %v: want [] and \"\", every field present", check["details"], check["hint"])
	}
	var text bytes.Buffer
	if err := Text(&text, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "SKIP  targets.r: keycloak ready: the in-cluster part was not read: no kubeconfig") ||
		!strings.Contains(text.String(), "Verified: 1 passed, 0 failed, 1 skipped.") {
		t.Errorf("text form:\n%s", text.String())
	}
}

// fakeRDS, fakeEC2, fakeECS, fakeELB and fakeCloudMap answer with their
// function fields; a call without one answers an empty output.
type fakeRDS struct {
	ClustersFn  func(*rds.DescribeDBClustersInput) *rds.DescribeDBClustersOutput
	InstancesFn func(*rds.DescribeDBInstancesInput) *rds.DescribeDBInstancesOutput
}

func (f fakeRDS) DescribeDBClusters(_ context.Context, in *rds.DescribeDBClustersInput, _ ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error) {
	return orEmpty(f.ClustersFn, in), nil
}

func (f fakeRDS) DescribeDBInstances(_ context.Context, in *rds.DescribeDBInstancesInput, _ ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	return orEmpty(f.InstancesFn, in), nil
}

type fakeEC2 struct {
	TablesFn  func(*ec2.DescribeRouteTablesInput) *ec2.DescribeRouteTablesOutput
	SubnetsFn func(*ec2.DescribeSubnetsInput) *ec2.DescribeSubnetsOutput
	RulesFn   func(*ec2.DescribeSecurityGroupRulesInput) *ec2.DescribeSecurityGroupRulesOutput
}

func (f fakeEC2) DescribeRouteTables(_ context.Context, in *ec2.DescribeRouteTablesInput, _ ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	return orEmpty(f.TablesFn, in), nil
}

func (f fakeEC2) DescribeSubnets(_ context.Context, in *ec2.DescribeSubnetsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	return orEmpty(f.SubnetsFn, in), nil
}

func (f fakeEC2) DescribeSecurityGroupRules(_ context.Context, in *ec2.DescribeSecurityGroupRulesInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	return orEmpty(f.RulesFn, in), nil
}

type fakeECS struct {
	ServicesFn func(*ecs.DescribeServicesInput) *ecs.DescribeServicesOutput
	ListFn     func(*ecs.ListTasksInput) *ecs.ListTasksOutput
	TasksFn    func(*ecs.DescribeTasksInput) *ecs.DescribeTasksOutput
}

func (f fakeECS) DescribeServices(_ context.Context, in *ecs.DescribeServicesInput, _ ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error) {
	return orEmpty(f.ServicesFn, in), nil
}

func (f fakeECS) ListTasks(_ context.Context, in *ecs.ListTasksInput, _ ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	return orEmpty(f.ListFn, in), nil
}

func (f fakeECS) DescribeTasks(_ context.Context, in *ecs.DescribeTasksInput, _ ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	return orEmpty(f.TasksFn, in), nil
}

type fakeELB struct {
	HealthFn func(*elb.DescribeTargetHealthInput) *elb.DescribeTargetHealthOutput
}

func (f fakeELB) DescribeTargetHealth(_ context.Context, in *elb.DescribeTargetHealthInput, _ ...func(*elb.Options)) (*elb.DescribeTargetHealthOutput, error) {
	return orEmpty(f.HealthFn, in), nil
}

type fakeCloudMap struct {
	InstancesFn func(*servicediscovery.ListInstancesInput) *servicediscovery.ListInstancesOutput
}

func (f fakeCloudMap) ListInstances(_ context.Context, in *servicediscovery.ListInstancesInput, _ ...func(*servicediscovery.Options)) (*servicediscovery.ListInstancesOutput, error) {
	return orEmpty(f.InstancesFn, in), nil
}

// orEmpty calls fn, or returns an empty output without one.
func orEmpty[I, O any](fn func(*I) *O, in *I) *O {
	if fn == nil {
		return new(O)
	}
	return fn(in)
}
