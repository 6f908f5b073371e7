package e2e

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// checkNATPerZone checks through the aws CLI the default NAT layout of an
// applied ECS example (natGateways: perZone): one available NAT gateway in
// each zone's public subnet, and every private subnet's route table
// sending 0.0.0.0/0 to the NAT gateway of the subnet's own zone.
func checkNATPerZone(t *testing.T, e *env, ex ecsExample) {
	t.Helper()
	vpc := ex.stack + "-" + ex.target
	var subnets struct {
		Subnets []struct {
			SubnetID         string `json:"SubnetId"`
			AvailabilityZone string
			Tags             []struct{ Key, Value string }
		}
	}
	decode(t, "describe-subnets", awsJSON(t, e, "ec2", "describe-subnets", "--filters", "Name=tag:kcstack:stack,Values="+ex.stack), &subnets)
	zoneOf, private := map[string]string{}, map[string]string{}
	for _, s := range subnets.Subnets {
		zoneOf[s.SubnetID] = s.AvailabilityZone
		for _, tag := range s.Tags {
			if tag.Key == "Name" && strings.HasPrefix(tag.Value, vpc+"-private-") {
				private[s.SubnetID] = s.AvailabilityZone
			}
		}
	}
	var nats struct {
		NatGateways []struct{ NatGatewayID, SubnetID, State string } `json:"NatGateways"`
	}
	decode(t, "describe-nat-gateways", awsJSON(t, e, "ec2", "describe-nat-gateways", "--filter", "Name=tag:kcstack:stack,Values="+ex.stack), &nats)
	natZone := map[string]string{}
	perZone := map[string]int{}
	for _, n := range nats.NatGateways {
		if n.State != "available" {
			continue
		}
		natZone[n.NatGatewayID] = zoneOf[n.SubnetID]
		perZone[zoneOf[n.SubnetID]]++
	}
	if len(private) == 0 {
		t.Fatalf("no private subnet tagged %s-private-*", vpc)
	}
	for _, zone := range private {
		if perZone[zone] != 1 {
			t.Errorf("zone %s has %d available NAT gateways, want 1 (NAT gateways by zone: %v)", zone, perZone[zone], perZone)
		}
	}
	var tables struct {
		RouteTables []struct {
			Associations []struct{ SubnetID string } `json:"Associations"`
			Routes       []struct{ DestinationCidrBlock, NatGatewayID string }
		}
	}
	decode(t, "describe-route-tables", awsJSON(t, e, "ec2", "describe-route-tables", "--filters", "Name=tag:kcstack:stack,Values="+ex.stack), &tables)
	routed := 0
	for _, rt := range tables.RouteTables {
		for _, a := range rt.Associations {
			zone, ok := private[a.SubnetID]
			if !ok {
				continue
			}
			routed++
			nat := ""
			for _, r := range rt.Routes {
				if r.DestinationCidrBlock == "0.0.0.0/0" {
					nat = r.NatGatewayID
				}
			}
			if natZone[nat] != zone {
				t.Errorf("private subnet %s in %s routes 0.0.0.0/0 to NAT gateway %q in zone %q, want its own zone's", a.SubnetID, zone, nat, natZone[nat])
			}
		}
	}
	if routed != len(private) {
		t.Errorf("%d of %d private subnets have a route table of their own", routed, len(private))
	}
}

// natOrder checks that a plan changing the NAT layout keeps the tasks'
// way out: every private subnet moves to its new table only after that
// table routes to its NAT gateway (the gateway made and available) and to
// the database, and every NAT gateway deleted goes only after every move.
func natOrder(p *plan.Plan) []string {
	byAddr := map[string]plan.Change{}
	for _, c := range p.Effective() {
		byAddr[c.Address] = c
	}
	var wrong, moves []string
	for _, c := range p.Effective() {
		if c.Kind != resource.KindRouteTableAssoc || !strings.Contains(c.Address, "[private-") || c.Action != plan.ActionUpdate {
			continue
		}
		moves = append(moves, c.Address)
		before := upstream(byAddr, c.Address)
		table, _ := c.Desired.Props["route_table_id"].(resource.Ref)
		route := strings.Replace(table.Address, ".route-table[", ".default-route[", 1)
		for _, need := range []string{route, strings.Split(c.Address, ".route-table-association")[0] + ".routes-to-database"} {
			if _, changed := byAddr[need]; changed && !before[need] {
				wrong = append(wrong, fmt.Sprintf("%s moves before %s is applied", c.Address, need))
			}
		}
		if _, changed := byAddr[route]; !changed {
			wrong = append(wrong, fmt.Sprintf("%s moves to a table whose default route %s the plan does not make", c.Address, route))
		}
	}
	if len(moves) == 0 {
		wrong = append(wrong, "no private subnet moves to another route table")
	}
	for _, c := range p.Effective() {
		if c.Kind != resource.KindNATGateway || c.Action != plan.ActionDelete {
			continue
		}
		before := upstream(byAddr, c.Address)
		off := movesOffNAT(p, c.Observed.ID, moves, byAddr)
		if len(off) == 0 {
			wrong = append(wrong, fmt.Sprintf("%s is deleted but no subnet routed through it moves", c.Address))
		}
		for _, m := range off {
			if !before[m] {
				wrong = append(wrong, fmt.Sprintf("%s is deleted before %s moves off it", c.Address, m))
			}
		}
	}
	return wrong
}

// movesOffNAT returns the moves (of moves) of subnets whose table, before
// the plan, routes through the NAT gateway nat.
func movesOffNAT(p *plan.Plan, nat string, moves []string, byAddr map[string]plan.Change) []string {
	tables := map[string]bool{}
	for _, c := range p.Changes {
		if c.Kind == resource.KindRoute && c.Observed != nil && c.Observed.Props["nat_gateway_id"] == nat {
			tables[fmt.Sprint(c.Observed.Props["route_table_id"])] = true
		}
	}
	var out []string
	for _, m := range moves {
		if ob := byAddr[m].Observed; ob != nil && tables[fmt.Sprint(ob.Props["route_table_id"])] {
			out = append(out, m)
		}
	}
	return out
}

// upstream returns every change addr waits for, directly or not.
func upstream(byAddr map[string]plan.Change, addr string) map[string]bool {
	seen := map[string]bool{}
	var walk func(a string)
	walk = func(a string) {
		for _, d := range byAddr[a].DependsOn {
			if !seen[d] {
				seen[d] = true
				walk(d)
			}
		}
	}
	walk(addr)
	return seen
}

// TestWriterZone: examples/ecs-jdbc-ping.yaml with three instances and
// database.aurora.writerZone eu-west-1b applies on the sandbox and plans
// No changes; the aws CLI shows the writer in eu-west-1b with promotion
// tier 0, the readers in the zones after it with tiers 1 and 2. A reader's
// tier changed by hand is planned as an update in place (no replacement)
// and one apply puts it back.
func TestWriterZone(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	file := e.stackFile(t, "ecs-jdbc-ping.yaml", "      instances: 2",
		"      deletionProtection: false\n      skipFinalSnapshot: true\n      writerZone: eu-west-1b\n      instances: 3")
	mustRun(t, "apply from empty", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	mustRun(t, "plan after apply", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
	want := []member{
		{ID: "sso-prod-db-1", Zone: "eu-west-1b", Tier: 0, Writer: true},
		{ID: "sso-prod-db-2", Zone: "eu-west-1c", Tier: 1},
		{ID: "sso-prod-db-3", Zone: "eu-west-1a", Tier: 2},
	}
	if diff := cmp.Diff(want, clusterMembers(t, e, "sso-prod-db")); diff != "" {
		t.Errorf("cluster members as the aws CLI describes them (-want +got):\n%s", diff)
	}

	awsJSON(t, e, "rds", "modify-db-instance", "--db-instance-identifier", "sso-prod-db-3", "--promotion-tier", "9", "--apply-immediately")
	r := e.kcstack(t, "plan", "-f", file, "--detailed-exitcode")
	mustRun(t, "plan after the tier changed by hand", r, 2, "database.instance[2] will be updated in-place", "promotion_tier")
	if strings.Contains(r.Stdout, "must be replaced") {
		t.Errorf("a changed promotion tier is planned as a replacement:\n%s", r.Stdout)
	}
	mustRun(t, "apply the tier", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "0 added, 1 changed, 0 destroyed")
	mustRun(t, "plan after", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
	if diff := cmp.Diff(want, clusterMembers(t, e, "sso-prod-db")); diff != "" {
		t.Errorf("cluster members after the apply (-want +got):\n%s", diff)
	}
}

// member is a DB cluster member as verify reads it: instance, zone,
// failover priority and whether it is the writer.
type member struct {
	ID, Zone string
	Tier     int
	Writer   bool
}

// clusterMembers describes the members of cluster through the aws CLI,
// sorted by instance identifier.
func clusterMembers(t *testing.T, e *env, cluster string) []member {
	t.Helper()
	var clusters struct {
		DBClusters []struct {
			DBClusterMembers []struct {
				DBInstanceIdentifier string
				IsClusterWriter      bool
				PromotionTier        int
			}
		}
	}
	decode(t, "describe-db-clusters", awsJSON(t, e, "rds", "describe-db-clusters", "--db-cluster-identifier", cluster), &clusters)
	if len(clusters.DBClusters) != 1 {
		t.Fatalf("%d clusters named %s", len(clusters.DBClusters), cluster)
	}
	var out []member
	for _, m := range clusters.DBClusters[0].DBClusterMembers {
		var instances struct {
			DBInstances []struct{ AvailabilityZone string }
		}
		decode(t, "describe-db-instances", awsJSON(t, e, "rds", "describe-db-instances", "--db-instance-identifier", m.DBInstanceIdentifier), &instances)
		if len(instances.DBInstances) != 1 {
			t.Fatalf("instance %s: %d described", m.DBInstanceIdentifier, len(instances.DBInstances))
		}
		out = append(out, member{ID: m.DBInstanceIdentifier, Zone: instances.DBInstances[0].AvailabilityZone, Tier: m.PromotionTier, Writer: m.IsClusterWriter})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// TestWriterZoneFailover is the acceptance item "writer zone reported by
// verify when it drifted (failover)": examples/ecs-jdbc-ping.yaml with
// writerZone eu-west-1b is applied and verified; `aws rds
// failover-db-cluster` moves the writer to the reader in eu-west-1c. Then
// verify exits 1 in text and JSON, failing exactly the writer zone (naming
// both zones) and the promotion tiers, each hint naming the failover back.
// Plan, which compares each instance with the file and has no notion of
// which one writes, plans no change at all: no replacement for a failover.
// Running the hint's command through the aws CLI makes verify pass again.
func TestWriterZoneFailover(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	file := e.stackFile(t, "ecs-jdbc-ping.yaml", "      instances: 2",
		"      deletionProtection: false\n      skipFinalSnapshot: true\n      writerZone: eu-west-1b\n      instances: 2")
	mustRun(t, "apply --wait", e.kcstack(t, "apply", "-f", file, "--auto-approve", "--wait", "--wait-timeout", "2m"), 0,
		"Apply complete!", "Stack verified: every check passes.")

	var out struct{ DBCluster struct{ Status string } }
	decode(t, "failover-db-cluster", awsJSON(t, e, "rds", "failover-db-cluster", "--db-cluster-identifier", "sso-prod-db",
		"--target-db-instance-identifier", "sso-prod-db-2"), &out)
	if out.DBCluster.Status != "failing-over" {
		t.Errorf("failover-db-cluster answers status %q, want failing-over", out.DBCluster.Status)
	}
	clusterAvailable(t, e, "sso-prod-db")
	want := []member{{ID: "sso-prod-db-1", Zone: "eu-west-1b", Tier: 0}, {ID: "sso-prod-db-2", Zone: "eu-west-1c", Tier: 1, Writer: true}}
	if diff := cmp.Diff(want, clusterMembers(t, e, "sso-prod-db")); diff != "" {
		t.Fatalf("members after the failover (-want +got):\n%s", diff)
	}

	back := "aws rds failover-db-cluster --db-cluster-identifier sso-prod-db --target-db-instance-identifier sso-prod-db-1"
	text, doc := verifyStack(t, e, file, "sso-prod", 1)
	for _, w := range []string{"aurora writer zone: writer is in eu-west-1c, the file asks eu-west-1b", back, "Verification failed:"} {
		if !strings.Contains(text, w) {
			t.Errorf("verify text lacks %q:\n%s", w, text)
		}
	}
	var failed []string
	for _, c := range doc.Checks {
		if c.Status != "fail" {
			continue
		}
		failed = append(failed, c.Name)
		if !strings.Contains(c.Hint, back) {
			t.Errorf("verify JSON: check %q hints %q, want the failover back %q", c.Name, c.Hint, back)
		}
	}
	if diff := cmp.Diff([]string{"aurora writer zone", "aurora promotion tiers"}, failed); diff != "" {
		t.Errorf("verify JSON failed checks (-want +got):\n%s", diff)
	}

	r := e.kcstack(t, "plan", "-f", file, "--detailed-exitcode")
	mustRun(t, "plan after the failover", r, 0, "No changes.")
	if strings.Contains(r.Stdout, "replaced") {
		t.Errorf("plan after a failover replaces something:\n%s", r.Stdout)
	}

	mustRun(t, "the hint's failover back", e.aws(t, strings.Fields(strings.TrimPrefix(back, "aws "))...), 0)
	clusterAvailable(t, e, "sso-prod-db")
	verifyStack(t, e, file, "sso-prod", 0)
}

// clusterAvailable waits until cluster is available again.
func clusterAvailable(t *testing.T, e *env, cluster string) {
	t.Helper()
	waiter := rds.NewDBClusterAvailableWaiter(rds.NewFromConfig(e.cfg), func(o *rds.DBClusterAvailableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	})
	if err := waiter.Wait(context.Background(), &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(cluster)}, time.Minute); err != nil {
		t.Fatalf("wait for %s available: %v", cluster, err)
	}
}
