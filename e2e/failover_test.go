package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"
)

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
