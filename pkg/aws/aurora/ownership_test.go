package aurora

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
)

func TestCreateTwiceAdopts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(1)
	first := e.createAll(t, ds)
	for _, d := range ds {
		again, err := e.handler(d).Create(ctx, d)
		if err != nil {
			t.Fatalf("second Create(%s): %v", d.Address, err)
		}
		if again.ID != first[d.Address].ID || !again.Exists || !again.Owned {
			t.Errorf("second Create(%s) = %+v, want the first one adopted", d.Address, again)
		}
	}
	clusters, err := e.rds.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{})
	if err != nil || len(clusters.DBClusters) != 1 {
		t.Errorf("after creating twice there are %d clusters (%v), want 1", len(clusters.DBClusters), err)
	}
	instances, err := e.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
	if err != nil || len(instances.DBInstances) != 1 {
		t.Errorf("after creating twice there are %d instances (%v), want 1", len(instances.DBInstances), err)
	}
}

func TestCreateRefusesSomeoneElses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(0)
	other := []types.Tag{{Key: aws.String(resource.TagStack), Value: aws.String("other")}}
	if _, err := e.rds.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("kc-aurora"),
		DBSubnetGroupDescription: aws.String("not ours"), SubnetIds: e.net.subnets}); err != nil {
		t.Fatalf("create an untagged subnet group: %v", err)
	}
	if _, err := e.rds.CreateDBCluster(ctx, &rds.CreateDBClusterInput{DBClusterIdentifier: aws.String("kc-aurora"),
		Engine: aws.String("aurora-postgresql"), MasterUsername: aws.String("someone"), ManageMasterUserPassword: aws.Bool(true),
		DBSubnetGroupName: aws.String("kc-aurora"), Tags: other}); err != nil {
		t.Fatalf("create another stack's cluster: %v", err)
	}
	for _, d := range ds {
		_, err := e.handler(d).Create(ctx, d)
		if err == nil || !strings.Contains(err.Error(), "kc-aurora already exists and is not "+d.Address) {
			t.Errorf("Create(%s) over someone else's: got %v, want an error naming it", d.Address, err)
		}
	}
}

func TestObserveOwnership(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(1)
	e.createAll(t, ds)
	// An owned instance the file no longer lists.
	gone := e.stackDesired(9)[10]
	e.createAll(t, []resource.Desired{gone})
	// Untagged look-alikes: same settings, no tags.
	if _, err := e.rds.CreateDBSubnetGroup(ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("kc-copy"),
		DBSubnetGroupDescription: aws.String("Aurora subnets of kcstack stack kc"), SubnetIds: e.net.subnets}); err != nil {
		t.Fatalf("create look-alike subnet group: %v", err)
	}
	if _, err := e.rds.CreateDBCluster(ctx, &rds.CreateDBClusterInput{DBClusterIdentifier: aws.String("kc-copy"),
		Engine: aws.String("aurora-postgresql"), EngineVersion: aws.String("16.8"), MasterUsername: aws.String("keycloak"),
		ManageMasterUserPassword: aws.Bool(true), DBSubnetGroupName: aws.String("kc-copy"), StorageEncrypted: aws.Bool(true)}); err != nil {
		t.Fatalf("create look-alike cluster: %v", err)
	}
	if _, err := e.rds.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String("kc-copy-1"),
		DBClusterIdentifier: aws.String("kc-copy"), Engine: aws.String("aurora-postgresql"), DBInstanceClass: aws.String("db.r6g.large")}); err != nil {
		t.Fatalf("create look-alike instance: %v", err)
	}

	e.srv.ResetCalls()
	obs := e.observe(t, ds)
	if n := total(e.srv.Calls()); n != 4 {
		t.Errorf("Observe made %d calls, want 4 (one per kind plus the tagging API): %v", n, e.srv.Calls())
	}
	want := map[string]string{
		"database.subnet-group": "kc-aurora", "database.cluster": "kc-aurora",
		"database.instance[0]": "kc-aurora-1", "database.instance[8]": "kc-aurora-9",
	}
	if diff := cmp.Diff(want, ids(obs)); diff != "" {
		t.Errorf("Observe: want the desired resources and the owned undesired instance, never look-alikes: -want +got:\n%s", diff)
	}
	if o := obs["database.instance[8]"]; !o.Owned || !o.Exists {
		t.Errorf("the undesired instance is not observed as owned: %+v", o)
	}

	// With nothing desired, everything the stack owns is returned for deletion.
	all := e.observe(t, nil)
	if diff := cmp.Diff(want, ids(all)); diff != "" {
		t.Errorf("Observe with nothing desired: -want +got:\n%s", diff)
	}
}

func TestObserveChangedIdentifier(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ds := e.stackDesired(1)
	e.createAll(t, ds)
	ds[1].Props["identifier"] = "kc-db"
	ds[2].Props["cluster_identifier"] = "kc-db"
	obs := e.observe(t, ds)
	if o := obs["database.cluster"]; o.ID != "kc-aurora" {
		t.Fatalf("the owned cluster is not matched by its address tag when its identifier changes: %+v", o)
	}
	want := []resource.FieldDiff{{Path: "identifier", Before: "kc-aurora", After: "kc-db", ForcesReplace: true,
		Reason: "kcstack does not rename DB clusters: a new identifier is a new cluster"}}
	if diff := cmp.Diff(want, e.h.cluster.Diff(ds[1], obs["database.cluster"])); diff != "" {
		t.Errorf("Diff of a changed identifier: -want +got:\n%s", diff)
	}
}

func TestFindByAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(1)
	created := e.createAll(t, ds)
	for _, d := range ds {
		f := e.handler(d).(resource.Finder)
		got, err := f.FindByAddress(ctx, testStack, d.Address)
		if err != nil || !got.Exists || got.ID != created[d.Address].ID || got.Address != d.Address {
			t.Errorf("FindByAddress(%s) = %+v, %v; want %s", d.Address, got, err, created[d.Address].ID)
		}
		none, err := f.FindByAddress(ctx, "other", d.Address)
		if err != nil || none.Exists {
			t.Errorf("FindByAddress(other stack, %s) = %+v, %v; want Exists false", d.Address, none, err)
		}
	}
}

func ids(obs map[string]resource.Observation) map[string]string {
	out := map[string]string{}
	for addr, o := range obs {
		out[addr] = o.ID
	}
	return out
}

func total(calls map[string]map[string]int) int {
	n := 0
	for _, ops := range calls {
		for _, c := range ops {
			n += c
		}
	}
	return n
}

// TestAmbiguousCreate makes every mutating call run and then answer 500,
// as when a response is lost: the SDK retries the create, finds the
// resource there (AlreadyExists) and the handler adopts it; deletes
// retried the same way find it already deleting. Nothing is created twice.
func TestAmbiguousCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newBareEnv(t, sandbox.WithFaults(sandbox.Faults{AmbiguousRate: 1, Seed: 7}))
	cluster := desiredCluster()
	delete(cluster.Props, "db_subnet_group_name")
	delete(cluster.Props, "vpc_security_group_ids")
	cluster.Props["deletion_protection"] = false
	instance := desiredInstance()
	delete(instance.Props, "availability_zone")
	obs := e.createAll(t, []resource.Desired{cluster, instance})
	for _, o := range obs {
		if !o.Exists || !o.Owned {
			t.Errorf("%s: Create after a lost response returned %+v, want the adopted resource", o.Address, o)
		}
	}
	clusters, err := e.rds.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{})
	if err != nil || len(clusters.DBClusters) != 1 {
		t.Errorf("there are %d clusters (%v), want 1", len(clusters.DBClusters), err)
	}
	instances, err := e.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{})
	if err != nil || len(instances.DBInstances) != 1 {
		t.Errorf("there are %d instances (%v), want 1", len(instances.DBInstances), err)
	}
	if calls := e.srv.Calls()["rds"]; calls["CreateDBCluster"] < 2 || calls["CreateDBInstance"] < 2 {
		t.Errorf("the creates were not retried (calls %v): the test does not test adoption", calls)
	}
	if err := e.h.instance.Delete(ctx, obs[instance.Address], nil); err != nil {
		t.Errorf("Delete instance after a lost response: %v", err)
	}
	if err := e.h.cluster.Delete(ctx, obs[cluster.Address], map[string]string{"skip_final_snapshot": "true"}); err != nil {
		t.Errorf("Delete cluster after a lost response: %v", err)
	}
}
