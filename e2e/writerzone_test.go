package e2e

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
