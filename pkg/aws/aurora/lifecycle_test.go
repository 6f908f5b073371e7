package aurora

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
)

// stackDesired is the database part of stack "kc" as pkg/stack produces
// it, with references resolved against e's network: a subnet group, a
// cluster and instances spread over the two zones.
func (e *env) stackDesired(instances int) []resource.Desired {
	return e.namedDesired(testStack, "kc-aurora", instances)
}

// namedDesired is stackDesired for stack with identifiers based on name.
func (e *env) namedDesired(stack, name string, instances int) []resource.Desired {
	tags := func(addr, label string) map[string]string {
		return map[string]string{resource.TagStack: stack, resource.TagAddress: addr, "Name": label, "team": "iam"}
	}
	out := []resource.Desired{
		{Address: "database.subnet-group", Kind: resource.KindDBSubnetGroup, Name: name,
			Props: resource.Props{"name": name, "description": "Aurora subnets of kcstack stack " + stack,
				"subnet_ids": []any{e.net.subnets[1], e.net.subnets[0]}},
			Tags: tags("database.subnet-group", name)},
		{Address: "database.cluster", Kind: resource.KindDBCluster, Name: name,
			Props: resource.Props{
				"identifier": name, "engine": "aurora-postgresql", "engine_version": "16.8",
				"database_name": "keycloak", "master_username": "keycloak", "manage_master_user_password": true,
				"port": int64(5432), "db_subnet_group_name": name, "vpc_security_group_ids": []any{e.net.sg},
				"storage_encrypted": true, "deletion_protection": false, "backup_retention_period": int64(7),
			},
			Options: map[string]string{"skip_final_snapshot": "false", "final_snapshot_identifier": name + "-final"},
			Tags:    tags("database.cluster", name)},
	}
	for i := range instances {
		addr, id := fmt.Sprintf("database.instance[%d]", i), fmt.Sprintf("%s-%d", name, i+1)
		out = append(out, resource.Desired{Address: addr, Kind: resource.KindDBInstance, Name: id,
			Props: resource.Props{"identifier": id, "cluster_identifier": name, "engine": "aurora-postgresql",
				"instance_class": "db.r6g.large", "availability_zone": e.net.zones[i%len(e.net.zones)]},
			Tags: tags(addr, id)})
	}
	return out
}

// handler returns the handler of d's kind.
func (e *env) handler(d resource.Desired) resource.Handler {
	for _, h := range e.h.handlers() {
		if h.Describe().Kind == d.Kind {
			return h
		}
	}
	return nil
}

// createAll creates ds in order and returns their observations by address.
func (e *env) createAll(t *testing.T, ds []resource.Desired) map[string]resource.Observation {
	t.Helper()
	out := map[string]resource.Observation{}
	for _, d := range ds {
		o, err := e.handler(d).Create(context.Background(), d)
		if err != nil {
			t.Fatalf("Create(%s): %v", d.Address, err)
		}
		out[d.Address] = o
	}
	return out
}

// observe runs the observer and returns its observations by address.
func (e *env) observe(t *testing.T, ds []resource.Desired) map[string]resource.Observation {
	t.Helper()
	obs, err := e.h.observer.Observe(context.Background(), resource.Query{Stack: e.stack, Desired: ds})
	if err != nil {
		t.Fatalf("Observe: %v", err)
	}
	out := map[string]resource.Observation{}
	for _, o := range obs {
		if _, dup := out[o.Address]; dup {
			t.Errorf("Observe returned %s twice", o.Address)
		}
		out[o.Address] = o
	}
	return out
}

// diffs returns the non-empty diffs of every desired resource.
func (e *env) diffs(ds []resource.Desired, obs map[string]resource.Observation) map[string][]resource.FieldDiff {
	out := map[string][]resource.FieldDiff{}
	for _, d := range ds {
		if fd := e.handler(d).Diff(d, obs[d.Address]); len(fd) > 0 {
			out[d.Address] = fd
		}
	}
	return out
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(2)
	created := e.createAll(t, ds)

	cl := created["database.cluster"]
	for _, attr := range []string{"endpoint", "reader_endpoint", "master_user_secret_arn", "arn"} {
		if cl.Attrs[attr] == "" {
			t.Errorf("cluster observation after Create has no %s attr: %v", attr, cl.Attrs)
		}
	}
	if cl.Attrs["status"] != "available" {
		t.Errorf("Create returned a cluster in status %q, want available", cl.Attrs["status"])
	}
	zones := []string{created["database.instance[0]"].Props["availability_zone"].(string), created["database.instance[1]"].Props["availability_zone"].(string)}
	if diff := cmp.Diff(e.net.zones, zones); diff != "" {
		t.Errorf("instances are not spread over the zones: -want +got:\n%s", diff)
	}

	e.srv.ResetCalls()
	obs := e.observe(t, ds)
	if diff := cmp.Diff(map[string][]resource.FieldDiff{}, e.diffs(ds, obs)); diff != "" {
		t.Errorf("a freshly created stack plans changes: -want +got:\n%s", diff)
	}
	wantCalls := map[string]map[string]int{
		"rds":                      {"DescribeDBSubnetGroups": 1, "DescribeDBClusters": 1, "DescribeDBInstances": 1},
		"resourcegroupstaggingapi": {"GetResources": 1},
	}
	if diff := cmp.Diff(wantCalls, e.srv.Calls()); diff != "" {
		t.Errorf("Observe made other calls than one per kind: -want +got:\n%s", diff)
	}
	for _, d := range ds {
		if o := obs[d.Address]; !o.Exists || !o.Owned || o.Tags["team"] != "iam" {
			t.Errorf("%s: observed Exists %v Owned %v tags %v, want an owned resource with the stack's tags", d.Address, o.Exists, o.Owned, o.Tags)
		}
	}

	// The instance class of the second instance changes in place.
	ds[3].Props["instance_class"] = "db.r6g.xlarge"
	fd := e.handler(ds[3]).Diff(ds[3], obs[ds[3].Address])
	want := []resource.FieldDiff{{Path: "instance_class", Before: "db.r6g.large", After: "db.r6g.xlarge"}}
	if diff := cmp.Diff(want, fd); diff != "" {
		t.Fatalf("Diff after changing instance_class: -want +got:\n%s", diff)
	}
	updated, err := e.h.instance.Update(ctx, ds[3], obs[ds[3].Address], fd)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if updated.Props["instance_class"] != "db.r6g.xlarge" || updated.Attrs["status"] != "available" {
		t.Errorf("Update returned class %v status %s, want db.r6g.xlarge available", updated.Props["instance_class"], updated.Attrs["status"])
	}
	if diff := cmp.Diff(map[string][]resource.FieldDiff{}, e.diffs(ds, e.observe(t, ds))); diff != "" {
		t.Errorf("after Update the plan is not empty: -want +got:\n%s", diff)
	}

	// Delete in reverse order: instances, the cluster with its final
	// snapshot, the subnet group.
	deleteAll(t, e, ds, obs)
	snap, err := e.rds.DescribeDBClusterSnapshots(ctx, &rds.DescribeDBClusterSnapshotsInput{DBClusterSnapshotIdentifier: aws.String("kc-aurora-final")})
	if err != nil || len(snap.DBClusterSnapshots) != 1 {
		t.Errorf("no final snapshot kc-aurora-final after deleting the cluster: %v", err)
	}
	for addr, o := range e.observe(t, ds) {
		if o.Exists {
			t.Errorf("%s still exists after Delete", addr)
		}
	}
}

// deleteAll deletes ds in reverse order with the desired Options, then
// deletes them again to show a delete of something gone succeeds.
func deleteAll(t *testing.T, e *env, ds []resource.Desired, obs map[string]resource.Observation) {
	t.Helper()
	for round := range 2 {
		for i := len(ds) - 1; i >= 0; i-- {
			d := ds[i]
			if err := e.handler(d).Delete(context.Background(), obs[d.Address], d.Options); err != nil {
				t.Fatalf("Delete(%s), round %d: %v", d.Address, round+1, err)
			}
		}
	}
}

func TestDeleteWithoutFinalSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(1)
	ds[1].Options = map[string]string{"skip_final_snapshot": "true"}
	obs := e.createAll(t, ds)
	deleteAll(t, e, ds, obs)
	snap, err := e.rds.DescribeDBClusterSnapshots(ctx, &rds.DescribeDBClusterSnapshotsInput{})
	if err != nil {
		t.Fatalf("describe snapshots: %v", err)
	}
	if n := len(snap.DBClusterSnapshots); n != 0 {
		t.Errorf("skip_final_snapshot=true left %d snapshots", n)
	}
}

func TestDeletionProtection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(0)
	ds[1].Props["deletion_protection"] = true
	obs := e.createAll(t, ds)
	cl := obs["database.cluster"]

	err := e.h.cluster.Delete(ctx, cl, ds[1].Options)
	if !errors.Is(err, ErrDeletionProtected) || !strings.Contains(err.Error(), "deletionProtection: false") {
		t.Fatalf("Delete of a protected cluster: got %v, want ErrDeletionProtected saying how to turn it off in the stack file", err)
	}
	// A stale observation does not get past RDS's own refusal either.
	stale := cl
	stale.Props = resource.Props{"deletion_protection": false}
	if err := e.h.cluster.Delete(ctx, stale, ds[1].Options); !errors.Is(err, ErrDeletionProtected) {
		t.Fatalf("Delete with a stale observation: got %v, want ErrDeletionProtected", err)
	}
	if o := e.observe(t, ds)["database.cluster"]; !o.Exists || o.Props["deletion_protection"] != true {
		t.Fatalf("the protected cluster was changed or deleted: %+v", o)
	}

	// Turning it off is a change in the file, applied by Update.
	ds[1].Props["deletion_protection"] = false
	fd := e.h.cluster.Diff(ds[1], cl)
	want := []resource.FieldDiff{{Path: "deletion_protection", Before: true, After: false}}
	if diff := cmp.Diff(want, fd); diff != "" {
		t.Fatalf("Diff: -want +got:\n%s", diff)
	}
	cl, err = e.h.cluster.Update(ctx, ds[1], cl, fd)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if err := e.h.cluster.Delete(ctx, cl, map[string]string{"skip_final_snapshot": "true"}); err != nil {
		t.Fatalf("Delete after turning protection off: %v", err)
	}
}

func TestClusterUpdateInPlace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(1)
	obs := e.createAll(t, ds)
	d := ds[1]
	d.Props["engine_version"] = "16.9"
	d.Props["backup_retention_period"] = int64(14)
	d.Props["vpc_security_group_ids"] = []any{e.net.sg, e.net.otherSG}
	fd := e.h.cluster.Diff(d, obs[d.Address])
	if len(fd) != 3 {
		t.Fatalf("Diff: got %d diffs, want engine_version, backup_retention_period and vpc_security_group_ids: %+v", len(fd), fd)
	}
	got, err := e.h.cluster.Update(ctx, d, obs[d.Address], fd)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if diff := cmp.Diff([]resource.FieldDiff(nil), e.h.cluster.Diff(d, got)); diff != "" {
		t.Errorf("Diff after Update: -want +got:\n%s", diff)
	}
	if diff := cmp.Diff([]resource.FieldDiff(nil), e.h.cluster.Diff(d, e.observe(t, ds)[d.Address])); diff != "" {
		t.Errorf("Diff of a fresh observation after Update: -want +got:\n%s", diff)
	}

	// A major version is never attempted in place.
	d.Props["engine_version"] = "17.4"
	fd = e.h.cluster.Diff(d, got)
	if _, err := e.h.cluster.Update(ctx, d, got, fd); err == nil || !strings.Contains(err.Error(), "major version upgrade 16 → 17") {
		t.Errorf("Update with a major version: got %v, want the replacement reason", err)
	}
}

func TestSubnetGroupUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	ds := e.stackDesired(0)[:1]
	obs := e.createAll(t, ds)
	d := ds[0]
	d.Props["subnet_ids"] = []any{e.net.subnets[0], e.net.subnets[1], e.net.subnetC}
	fd := e.h.subnetGroup.Diff(d, obs[d.Address])
	got, err := e.h.subnetGroup.Update(ctx, d, obs[d.Address], fd)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if diff := cmp.Diff([]resource.FieldDiff(nil), e.h.subnetGroup.Diff(d, e.observe(t, ds)[d.Address])); diff != "" {
		t.Errorf("Diff after Update: -want +got:\n%s", diff)
	}
	if !got.Owned || got.Tags[resource.TagAddress] != d.Address {
		t.Errorf("Update lost ownership: %+v", got)
	}
	if got.Attrs["arn"] == "" {
		t.Errorf("Update returned no arn attr, which SetTags needs after it: %v", got.Attrs)
	}
}

// TestUpdateAfterInterruptedChange: an instance still modifying (a change
// an interrupted run left going) is waited for before it is modified
// again, as RDS modifies available instances only.
func TestUpdateAfterInterruptedChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// Transitions long enough for the observe to see "modifying".
	e := newEnv(t, sandbox.WithDelays(400*time.Millisecond, 10*time.Millisecond))
	ds := e.stackDesired(1)
	e.createAll(t, ds)
	if _, err := e.rds.ModifyDBInstance(ctx, &rds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("kc-aurora-1"),
		DBInstanceClass: aws.String("db.r6g.2xlarge"), ApplyImmediately: aws.Bool(true)}); err != nil {
		t.Fatalf("modify out of band: %v", err)
	}
	o := e.observe(t, ds)["database.instance[0]"]
	if o.Attrs["status"] != "modifying" {
		t.Fatalf("instance status %q, want modifying for this test", o.Attrs["status"])
	}
	ds[2].Props["instance_class"] = "db.r6g.xlarge"
	got, err := e.h.instance.Update(ctx, ds[2], o, e.h.instance.Diff(ds[2], o))
	if err != nil {
		t.Fatalf("Update of a modifying instance: %v", err)
	}
	if got.Props["instance_class"] != "db.r6g.xlarge" {
		t.Errorf("instance class after Update = %v, want db.r6g.xlarge", got.Props["instance_class"])
	}
}

// TestFinalSnapshotExists: a final snapshot name already taken stops the
// delete with an error that says what to change; the cluster stays.
func TestFinalSnapshotExists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	first := e.stackDesired(0)
	deleteAll(t, e, first, e.createAll(t, first))
	again := e.stackDesired(0)
	obs := e.createAll(t, again)
	err := e.h.cluster.Delete(ctx, obs["database.cluster"], again[1].Options)
	if err == nil || !strings.Contains(err.Error(), "the final snapshot kc-aurora-final already exists: set spec.database.aurora.finalSnapshotIdentifier") {
		t.Fatalf("Delete with a taken final snapshot name: got %v, want an error saying what to change", err)
	}
	if !e.observe(t, again)["database.cluster"].Exists {
		t.Errorf("the cluster was deleted without its final snapshot")
	}
}

// TestTagDrift plans and applies the stack as kcstack does, then changes
// every resource's tags in the file and one cluster tag by hand: each is
// planned as a tags-only update, applied with RDS's own tagging calls, and
// leaves nothing to plan. The cluster's master user secret, RDS's and not
// the stack's, keeps its tags.
func TestTagDrift(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ds := ordered(e.stackDesired(2))
	c := e.cycle(t)
	c.Apply(c.Plan(ds, false))
	secretTags := e.secretTags(t, "kc-aurora")
	checkTagDrift(t, e, c, ds)
	if diff := cmp.Diff(secretTags, e.secretTags(t, "kc-aurora")); diff != "" {
		t.Errorf("tagging the cluster changed the tags of its master user secret: -before +after:\n%s", diff)
	}
}

// checkTagDrift takes ds, applied, through a change of tags in the file
// (one key added, one value changed, one removed on every resource) and a
// tag added by hand to the cluster; it edits ds's tags.
func checkTagDrift(t *testing.T, e *env, c *awstest.Cycle, ds []resource.Desired) {
	t.Helper()
	ctx := context.Background()
	if p := c.Plan(ds, false); p.HasChanges() {
		t.Fatalf("after apply the plan has changes: %v", awstest.Changes(p))
	}
	want := map[string][]resource.FieldDiff{}
	for i := range ds {
		d := &ds[i]
		want[d.Address] = []resource.FieldDiff{
			{Path: "tags.cost-center", After: "kc-42"},
			{Path: "tags.team", Before: "iam", After: "identity"},
			{Path: "tags.Name", Before: d.Tags["Name"]},
		}
		d.Tags = resource.WithTags(d.Tags, map[string]string{"cost-center": "kc-42", "team": "identity"}, []string{"Name"})
	}
	applyTagChanges(t, e, c, ds, want)

	cluster := ds[1]
	if _, err := e.rds.AddTagsToResource(ctx, &rds.AddTagsToResourceInput{ResourceName: aws.String(e.arnOf(t, cluster)),
		Tags: rdsTags(map[string]string{"owner": "someone"})}); err != nil {
		t.Fatalf("tag the cluster by hand: %v", err)
	}
	want = map[string][]resource.FieldDiff{cluster.Address: {{Path: "tags.owner", Before: "someone"}}}
	applyTagChanges(t, e, c, ds, want)
}

// applyTagChanges checks that the plan of ds is exactly want's updates,
// applies it, and checks that nothing is left to plan and that RDS
// returns the desired tags.
func applyTagChanges(t *testing.T, e *env, c *awstest.Cycle, ds []resource.Desired, want map[string][]resource.FieldDiff) {
	t.Helper()
	p := c.Plan(ds, false)
	awstest.CheckUpdates(t, p, want)
	c.Apply(p)
	if p := c.Plan(ds, false); p.HasChanges() {
		t.Errorf("after applying the tag changes the plan has changes: %v", awstest.Changes(p))
	}
	for _, d := range ds {
		if diff := cmp.Diff(d.Tags, e.liveTags(t, d)); diff != "" {
			t.Errorf("%s: tags RDS lists: -want +got:\n%s", d.Address, diff)
		}
	}
}

// ordered makes the cluster depend on the subnet group and the instances
// on the cluster, as pkg/stack does, for the apply engine.
func ordered(ds []resource.Desired) []resource.Desired {
	for i := range ds {
		switch ds[i].Kind {
		case resource.KindDBCluster:
			ds[i].DependsOn = []string{ds[0].Address}
		case resource.KindDBInstance:
			ds[i].DependsOn = []string{ds[1].Address}
		}
	}
	return ds
}

// cycle plans and applies with the three handlers and the observer.
func (e *env) cycle(t *testing.T) *awstest.Cycle {
	return awstest.NewCycle(t, e.stack, e.h.handlers(),
		[]resource.Observer{e.h.observer})
}

// liveTags reads the tags of d's resource with RDS's ListTagsForResource.
func (e *env) liveTags(t *testing.T, d resource.Desired) map[string]string {
	t.Helper()
	out, err := e.rds.ListTagsForResource(context.Background(), &rds.ListTagsForResourceInput{ResourceName: aws.String(e.arnOf(t, d))})
	if err != nil {
		t.Fatalf("list tags of %s: %v", d.Address, err)
	}
	return tagMap(out.TagList)
}

// arnOf describes d's resource and returns its ARN.
func (e *env) arnOf(t *testing.T, d resource.Desired) string {
	t.Helper()
	ctx := context.Background()
	var arn *string
	var err error
	switch d.Kind {
	case resource.KindDBSubnetGroup:
		var out *rds.DescribeDBSubnetGroupsOutput
		if out, err = e.rds.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String(propString(d.Props, "name"))}); err == nil && len(out.DBSubnetGroups) == 1 {
			arn = out.DBSubnetGroups[0].DBSubnetGroupArn
		}
	case resource.KindDBCluster:
		var out *rds.DescribeDBClustersOutput
		if out, err = e.rds.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(propString(d.Props, "identifier"))}); err == nil && len(out.DBClusters) == 1 {
			arn = out.DBClusters[0].DBClusterArn
		}
	case resource.KindDBInstance:
		var out *rds.DescribeDBInstancesOutput
		if out, err = e.rds.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(propString(d.Props, "identifier"))}); err == nil && len(out.DBInstances) == 1 {
			arn = out.DBInstances[0].DBInstanceArn
		}
	}
	if arn == nil {
		t.Fatalf("describe %s: no ARN (%v)", d.Address, err)
	}
	return *arn
}

// secretTags returns the tags of cluster id's master user secret.
func (e *env) secretTags(t *testing.T, id string) map[string]string {
	t.Helper()
	ctx := context.Background()
	cl, err := e.rds.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(id)})
	if err != nil || len(cl.DBClusters) != 1 || cl.DBClusters[0].MasterUserSecret == nil {
		t.Fatalf("describe cluster %s for its master user secret: %v", id, err)
	}
	out, err := secretsmanager.NewFromConfig(e.cfg).DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: cl.DBClusters[0].MasterUserSecret.SecretArn})
	if err != nil {
		t.Fatalf("describe the master user secret of %s: %v", id, err)
	}
	tags := map[string]string{}
	for _, tag := range out.Tags {
		tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return tags
}
