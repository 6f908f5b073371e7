package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/kcstack/kcstack/pkg/resource"
)

// stackName is metadata.name of examples/aurora-rosa.yaml.
const stackName = "sso-rosa"

// inventory counts, by kind, the live resources tagged for a stack, read
// with each service's own describe calls.
type inventory map[string]int

// wantInventory is what examples/aurora-rosa.yaml owns once applied.
var wantInventory = inventory{
	"vpc": 1, "subnet": 3, "security-group": 1, "route-table": 1, "peering": 2,
	"db-cluster": 1, "db-instance": 2, "db-subnet-group": 1,
}

// emptyInventory is what any stack owns after destroy.
var emptyInventory = inventory{
	"vpc": 0, "subnet": 0, "security-group": 0, "route-table": 0, "peering": 0,
	"db-cluster": 0, "db-instance": 0, "db-subnet-group": 0,
}

// robust returns a copy of e's SDK configuration whose retryer outlasts a
// sandbox injecting faults: many attempts, short backoffs, no retry quota.
func (e *env) robust() aws.Config {
	return e.retrying(30)
}

// retrying returns a copy of e's SDK configuration whose retryer makes up
// to attempts attempts with backoffs of at most 20 ms and no retry quota.
func (e *env) retrying(attempts int) aws.Config {
	cfg := e.cfg.Copy()
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.MaxBackoff = 20 * time.Millisecond
			o.RateLimiter = ratelimit.None
		})
	}
	return cfg
}

// owned reads the inventory of the stack: the tags are checked on every
// resource, so the counts hold against endpoints whose tag filters are
// incomplete.
func (e *env) owned(t *testing.T, stack string) inventory {
	t.Helper()
	ctx := context.Background()
	cfg := e.robust()
	ec := ec2.NewFromConfig(cfg)
	tagged := []ec2types.Filter{{Name: aws.String("tag:" + resource.TagStack), Values: []string{stack}}}
	inv := inventory{}
	for kind := range emptyInventory {
		inv[kind] = 0
	}
	vpcs, err := ec.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: tagged})
	check(t, "describe vpcs", err)
	for _, v := range vpcs.Vpcs {
		inv.add("vpc", ec2Tag(v.Tags), stack)
	}
	subnets, err := ec.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: tagged})
	check(t, "describe subnets", err)
	for _, s := range subnets.Subnets {
		inv.add("subnet", ec2Tag(s.Tags), stack)
	}
	groups, err := ec.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: tagged})
	check(t, "describe security groups", err)
	for _, g := range groups.SecurityGroups {
		inv.add("security-group", ec2Tag(g.Tags), stack)
	}
	tables, err := ec.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: tagged})
	check(t, "describe route tables", err)
	for _, r := range tables.RouteTables {
		inv.add("route-table", ec2Tag(r.Tags), stack)
	}
	peerings, err := ec.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: tagged})
	check(t, "describe peering connections", err)
	for _, p := range peerings.VpcPeeringConnections {
		if peeringEnded(p.Status.Code) {
			continue // AWS keeps ended peerings visible for a while
		}
		inv.add("peering", ec2Tag(p.Tags), stack)
	}
	e.ownedRDS(t, rds.NewFromConfig(cfg), stack, inv)
	return inv
}

func (e *env) ownedRDS(t *testing.T, api *rds.Client, stack string, inv inventory) {
	t.Helper()
	ctx := context.Background()
	clusters, err := api.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{})
	check(t, "describe db clusters", err)
	for _, c := range clusters.DBClusters {
		inv.add("db-cluster", rdsTag(c.TagList), stack)
	}
	instances, err := api.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
	check(t, "describe db instances", err)
	for _, i := range instances.DBInstances {
		inv.add("db-instance", rdsTag(i.TagList), stack)
	}
	groups, err := api.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{})
	check(t, "describe db subnet groups", err)
	for _, g := range groups.DBSubnetGroups {
		tags, err := api.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: g.DBSubnetGroupArn})
		check(t, "list tags of db subnet group "+aws.ToString(g.DBSubnetGroupName), err)
		inv.add("db-subnet-group", rdsTag(tags.TagList), stack)
	}
}

// add counts one resource of kind when its stack tag is stack.
func (inv inventory) add(kind, tag, stack string) {
	if tag == stack {
		inv[kind]++
	}
}

func ec2Tag(tags []ec2types.Tag) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == resource.TagStack {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

func rdsTag(tags []rdstypes.Tag) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == resource.TagStack {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

func check(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// network is what a test keeps of networks kcstack must never touch: the
// ROSA VPCs with their subnets and route tables (routes and associations).
type network struct {
	VPCs    []string
	Subnets []string
	Tables  []string
}

// rosaNetwork reads the networks tagged with a ROSA cluster name.
func (e *env) rosaNetwork(t *testing.T) network {
	t.Helper()
	ctx := context.Background()
	ec := ec2.NewFromConfig(e.robust())
	byName := []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{"gh-keycloak-a-vpc", "gh-keycloak-b-vpc"}}}
	vpcs, err := ec.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: byName})
	check(t, "describe rosa vpcs", err)
	var n network
	var ids []string
	for _, v := range vpcs.Vpcs {
		ids = append(ids, aws.ToString(v.VpcId))
		n.VPCs = append(n.VPCs, fmt.Sprintf("%s %s %s", aws.ToString(v.VpcId), aws.ToString(v.CidrBlock), v.State))
	}
	if len(ids) != 2 {
		t.Fatalf("found %d ROSA VPCs (%v), want 2", len(ids), n.VPCs)
	}
	inVPCs := []ec2types.Filter{{Name: aws.String("vpc-id"), Values: ids}}
	subnets, err := ec.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: inVPCs})
	check(t, "describe rosa subnets", err)
	for _, s := range subnets.Subnets {
		n.Subnets = append(n.Subnets, fmt.Sprintf("%s %s %s", aws.ToString(s.SubnetId), aws.ToString(s.CidrBlock), aws.ToString(s.AvailabilityZone)))
	}
	tables, err := ec.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: inVPCs})
	check(t, "describe rosa route tables", err)
	for _, r := range tables.RouteTables {
		s := aws.ToString(r.RouteTableId) + " routes:"
		for _, rt := range r.Routes {
			s += fmt.Sprintf(" %s>%s%s%s", aws.ToString(rt.DestinationCidrBlock), aws.ToString(rt.GatewayId), aws.ToString(rt.VpcPeeringConnectionId), aws.ToString(rt.NatGatewayId))
		}
		s += " associations:"
		for _, a := range r.Associations {
			s += fmt.Sprintf(" %s/%t", aws.ToString(a.SubnetId), aws.ToBool(a.Main))
		}
		n.Tables = append(n.Tables, s)
	}
	sort.Strings(n.VPCs)
	sort.Strings(n.Subnets)
	sort.Strings(n.Tables)
	return n
}

// lockHeld reports whether the stack's lock parameter exists.
func (e *env) lockHeld(t *testing.T, stack string) bool {
	t.Helper()
	_, err := ssm.NewFromConfig(e.robust()).GetParameter(context.Background(), &ssm.GetParameterInput{Name: aws.String("/kcstack/" + stack + "/lock")})
	if err == nil {
		return true
	}
	if strings.Contains(err.Error(), "ParameterNotFound") {
		return false
	}
	t.Fatalf("read the lock parameter: %v", err)
	return false
}

// taggedARNs lists, through the aws CLI and the tagging API, the ARN of
// every resource tagged for stack, by its kcstack:address tag.
func (e *env) taggedARNs(t *testing.T, stack string) map[string]string {
	t.Helper()
	r := e.aws(t, "resourcegroupstaggingapi", "get-resources", "--tag-filters", "Key="+resource.TagStack+",Values="+stack)
	if r.Code != 0 {
		t.Fatalf("aws resourcegroupstaggingapi get-resources: exit %d\n%s", r.Code, r.Stderr)
	}
	var out struct {
		ResourceTagMappingList []struct {
			ResourceARN string
			Tags        []struct{ Key, Value string }
		}
	}
	if err := json.Unmarshal([]byte(r.Stdout), &out); err != nil {
		t.Fatalf("aws resourcegroupstaggingapi get-resources: %v\n%s", err, r.Stdout)
	}
	arns := map[string]string{}
	for _, m := range out.ResourceTagMappingList {
		addr := "(no address tag) " + m.ResourceARN
		for _, tag := range m.Tags {
			if tag.Key == resource.TagAddress {
				addr = tag.Value
			}
		}
		if prev, dup := arns[addr]; dup {
			t.Errorf("two resources tagged %s: %s and %s", addr, prev, m.ResourceARN)
		}
		arns[addr] = m.ResourceARN
	}
	return arns
}

// planChange is one change of kcstack plan --format json.
type planChange struct {
	Address string `json:"address"`
	Kind    string `json:"kind"`
	Action  string `json:"action"`
}

// jsonPlan runs kcstack plan --format json on file and returns its changes
// other than no-ops, as "action address".
func (e *env) jsonPlan(t *testing.T, file string) []string {
	t.Helper()
	return nonNoOps(t, e.kcstack(t, "plan", "-f", file, "--format", "json"))
}

// nonNoOps returns the changes other than no-ops of the JSON plan r
// printed, as "action address"; it fails t unless r exited 0.
func nonNoOps(t *testing.T, r result) []string {
	t.Helper()
	if r.Code != 0 {
		t.Fatalf("plan --format json: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	stdout := r.Stdout
	var p struct {
		ResourceChanges []planChange `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(stdout), &p); err != nil {
		t.Fatalf("plan --format json: %v\n%s", err, stdout)
	}
	var out []string
	for _, c := range p.ResourceChanges {
		if c.Action != "no-op" {
			out = append(out, c.Action+" "+c.Address)
		}
	}
	return out
}

// mustRun fails the test unless r exited with code and its output
// contains every one of wants.
func mustRun(t *testing.T, what string, r result, code int, wants ...string) {
	t.Helper()
	if r.Code != code {
		t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", what, r.Code, code, r.Stdout, r.Stderr)
	}
	for _, w := range wants {
		if !strings.Contains(r.Stdout+r.Stderr, w) {
			t.Fatalf("%s: output lacks %q\nstdout:\n%s\nstderr:\n%s", what, w, r.Stdout, r.Stderr)
		}
	}
}

// devNull opens /dev/null for a command's standard input: a character
// device, but not a terminal.
func devNull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// kcstackIn runs the kcstack binary with stdin as its standard input.
func (e *env) kcstackIn(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	return execute(t, invocation{bin: kcstackBin, args: args, dir: e.Dir, environ: e.environ(), stdin: stdin, timeout: 3 * time.Minute})
}

// ended filters out of arns the peering connections that AWS still shows,
// tagged, in a final state (deleted, rejected, failed, expired): AWS keeps
// them visible for about two hours after they end, and the tagging API
// lists them too. As the design says, what the tagging API lists is
// confirmed with the service's own describe.
func (e *env) ended(t *testing.T, arns map[string]string) map[string]string {
	t.Helper()
	left := map[string]string{}
	ec := ec2.NewFromConfig(e.robust())
	for addr, arn := range arns {
		id, isPeering := strings.CutPrefix(arn[strings.LastIndex(arn, ":")+1:], "vpc-peering-connection/")
		if isPeering {
			out, err := ec.DescribeVpcPeeringConnections(context.Background(), &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
			check(t, "describe peering "+id, err)
			if peeringEndedIn(out.VpcPeeringConnections, id) {
				continue
			}
		}
		left[addr] = arn
	}
	return left
}

func peeringEnded(code ec2types.VpcPeeringConnectionStateReasonCode) bool {
	switch code {
	case ec2types.VpcPeeringConnectionStateReasonCodeDeleted, ec2types.VpcPeeringConnectionStateReasonCodeRejected,
		ec2types.VpcPeeringConnectionStateReasonCodeFailed, ec2types.VpcPeeringConnectionStateReasonCodeExpired:
		return true
	}
	return false
}

// ownedID returns the id of the VPC tagged for the stack with address.
func (e *env) ownedVPC(t *testing.T, address string) string {
	t.Helper()
	out, err := ec2.NewFromConfig(e.robust()).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:" + resource.TagStack), Values: []string{stackName}},
		{Name: aws.String("tag:" + resource.TagAddress), Values: []string{address}},
	}})
	check(t, "describe vpc "+address, err)
	if len(out.Vpcs) != 1 {
		t.Fatalf("%d VPCs tagged %s, want 1", len(out.Vpcs), address)
	}
	return aws.ToString(out.Vpcs[0].VpcId)
}

// peeringEndedIn reports whether the connection id of pcs has ended; it
// looks for id itself, since moto answers every connection whatever the
// ids asked for.
func peeringEndedIn(pcs []ec2types.VpcPeeringConnection, id string) bool {
	for _, pc := range pcs {
		if aws.ToString(pc.VpcPeeringConnectionId) == id {
			return pc.Status != nil && peeringEnded(pc.Status.Code)
		}
	}
	return false
}

// seeded runs fn as subtests seed=1..n, up to workers at a time. The
// runs mostly wait (on state transitions, backoffs and processes), so
// they overlap well beyond go test's -parallel, which defaults to the
// number of CPUs.
func seeded(t *testing.T, n, workers int, fn func(t *testing.T, seed uint64)) {
	t.Helper()
	names := make([]string, n)
	seeds := make(map[string]uint64, n)
	for i := range names {
		names[i] = fmt.Sprintf("seed=%d", i+1)
		seeds[names[i]] = uint64(i + 1)
	}
	inParallel(t, names, workers, func(t *testing.T, name string) { fn(t, seeds[name]) })
}
