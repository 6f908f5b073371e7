package cache

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

var shop = app{name: "shop-dev", prefix: "shop"}

// TestLifecycle applies the stack's Redis from empty, checks what
// ElastiCache holds and that a no-change plan reads each kind with one
// call, then changes it field by field, each change planned as exactly
// the updates it needs, and destroys it with a final snapshot.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ds := e.desired(shop)
	e.cycle.Apply(e.cycle.Plan(ds, false))
	e.cycle.NoChanges(ds, "after apply")
	e.checkCreated(t, ds)
	e.checkObserveCalls(t, ds)

	// The cycle fails the test itself: the steps run in order, not as
	// subtests.
	find(t, ds, "redis.user[shop-dev]").Props[propAccessString] = "on ~shop:* &shop:* +@read -@dangerous"
	e.cycle.Update(ds, map[string]plan.Action{"redis.user[shop-dev]": plan.ActionUpdate}, "access string")
	if u := e.user(t, "kc-shop-dev"); aws.ToString(u.AccessString) != "on ~shop:* &shop:* +@read -@dangerous" {
		t.Errorf("access string %q after the update", aws.ToString(u.AccessString))
	}
	e.checkRotation(t, ds)
	e.checkMembership(t, ds)
	e.checkGroupUpdates(t, ds)
	all := func(resource.Desired) bool { return true }
	ds = awstest.Retag(ds, all)
	awstest.ApplyRetag(t, e.cycle, ds, all)
	e.checkHandTag(t, ds)
	e.checkDeleteOrder(t, ds)
	e.cycle.DestroyAll(ds)
	out, err := e.c.ElastiCache.DescribeSnapshots(context.Background(), &ec.DescribeSnapshotsInput{SnapshotName: aws.String("kc-redis-final")})
	if err != nil || len(out.Snapshots) != 1 {
		t.Errorf("no final snapshot kc-redis-final after the destroy: %v", err)
	}
}

// checkMembership adds an application (its user joins the user group)
// and removes it again (its user leaves and is deleted).
func (e *env) checkMembership(t *testing.T, ds []resource.Desired) {
	t.Helper()
	more := e.desired(shop, app{name: "blog-prod", prefix: "blog"})
	for i := range more {
		for _, d := range ds {
			if d.Address == more[i].Address && d.Kind != resource.KindCacheUserGroup {
				more[i] = d
			}
		}
	}
	e.cycle.Update(more, map[string]plan.Action{
		"redis.secret[blog-prod]": plan.ActionCreate, "redis.user[blog-prod]": plan.ActionCreate, "redis.user-group": plan.ActionUpdate,
	}, "an application added")
	if diff := cmp.Diff([]string{"kc-blog-prod", "kc-default", "kc-shop-dev"}, e.userGroup(t).UserIds); diff != "" {
		t.Errorf("user group members: -want +got:\n%s", diff)
	}
	e.cycle.Update(ds, map[string]plan.Action{
		"redis.secret[blog-prod]": plan.ActionDelete, "redis.user[blog-prod]": plan.ActionDelete, "redis.user-group": plan.ActionUpdate,
	}, "an application removed")
	if diff := cmp.Diff([]string{"kc-default", "kc-shop-dev"}, e.userGroup(t).UserIds); diff != "" {
		t.Errorf("user group members: -want +got:\n%s", diff)
	}
}

// checkGroupUpdates changes the replication group's node type, replicas
// and security groups in place.
func (e *env) checkGroupUpdates(t *testing.T, ds []resource.Desired) {
	t.Helper()
	rg := find(t, ds, "redis.replication-group")
	rg.Props[propNodeType] = "cache.t4g.medium"
	e.cycle.Update(ds, map[string]plan.Action{rg.Address: plan.ActionUpdate}, "node type")
	rg.Props[propReplicas] = int64(2)
	e.cycle.Update(ds, map[string]plan.Action{rg.Address: plan.ActionUpdate}, "more replicas")
	if n := len(e.replicationGroup(t).MemberClusters); n != 3 {
		t.Errorf("%d member clusters after 2 replicas, want 3", n)
	}
	rg.Props[propReplicas] = int64(1)
	rg.Props[propSecurityGroupIDs] = []any{e.net.sg, e.net.sg2}
	e.cycle.Update(ds, map[string]plan.Action{rg.Address: plan.ActionUpdate}, "fewer replicas and another security group")
	if g := e.replicationGroup(t); len(g.MemberClusters) != 2 || aws.ToString(g.CacheNodeType) != "cache.t4g.medium" {
		t.Errorf("replication group: %d members, node type %s; want 2 and cache.t4g.medium", len(g.MemberClusters), aws.ToString(g.CacheNodeType))
	}
}

// checkHandTag tags the replication group and a user by hand: the plan
// removes exactly those tags, with ElastiCache's own tagging calls.
func (e *env) checkHandTag(t *testing.T, ds []resource.Desired) {
	t.Helper()
	ctx := context.Background()
	for _, arn := range []string{aws.ToString(e.replicationGroup(t).ARN), aws.ToString(e.user(t, "kc-shop-dev").ARN)} {
		if _, err := e.c.ElastiCache.AddTagsToResource(ctx, &ec.AddTagsToResourceInput{ResourceName: aws.String(arn),
			Tags: ecTags(map[string]string{"owner": "someone"})}); err != nil {
			t.Fatalf("tag %s by hand: %v", arn, err)
		}
	}
	p := e.cycle.Plan(ds, false)
	awstest.CheckUpdates(t, p, map[string][]resource.FieldDiff{
		"redis.replication-group": {{Path: "tags.owner", Before: "someone"}},
		"redis.user[shop-dev]":    {{Path: "tags.owner", Before: "someone"}},
	})
	e.cycle.Apply(p)
	e.cycle.NoChanges(ds, "after removing the tags made by hand")
	if tags := e.tags(t, aws.ToString(e.user(t, "kc-shop-dev").ARN)); tags["owner"] != "" || tags[tagPasswordVersion] == "" {
		t.Errorf("user tags after the plan removed the hand-made tag: %v, want no owner and the password version kept", tags)
	}
}

// checkDeleteOrder checks the order the destroy plan deletes in: the
// replication group before its user group and subnet group, the user
// group before its users, each user before its secret.
func (e *env) checkDeleteOrder(t *testing.T, ds []resource.Desired) {
	t.Helper()
	deps := map[string][]string{}
	for _, c := range e.cycle.Plan(ds, true).Changes {
		deps[c.Address] = c.DependsOn
	}
	for addr, before := range map[string]string{
		"redis.user-group": "redis.replication-group", "redis.subnet-group": "redis.replication-group",
		"redis.user[shop-dev]": "redis.user-group", "redis.default-user": "redis.user-group",
		"redis.secret[shop-dev]": "redis.user[shop-dev]",
	} {
		if !slices.Contains(deps[addr], before) {
			t.Errorf("the destroy deletes %s without waiting for %s (it waits for %v)", addr, before, deps[addr])
		}
	}
}

// checkCreated checks what ElastiCache holds after the first apply.
func (e *env) checkCreated(t *testing.T, ds []resource.Desired) {
	t.Helper()
	def := e.user(t, "kc-default")
	if aws.ToString(def.UserName) != "default" || aws.ToString(def.AccessString) != "off -@all" {
		t.Errorf("default user: name %q access %q, want default, off -@all", aws.ToString(def.UserName), aws.ToString(def.AccessString))
	}
	if def.Authentication == nil || def.Authentication.Type != "password" {
		t.Errorf("default user authentication %+v, want a password", def.Authentication)
	}
	rg := e.replicationGroup(t)
	if !aws.ToBool(rg.TransitEncryptionEnabled) || !aws.ToBool(rg.AtRestEncryptionEnabled) || !cmp.Equal(rg.UserGroupIds, []string{"kc-redis"}) {
		t.Errorf("replication group: transit %v at rest %v user groups %v, want encrypted and kc-redis", rg.TransitEncryptionEnabled, rg.AtRestEncryptionEnabled, rg.UserGroupIds)
	}
	ob := awstest.Observed(t, e.cycle.Plan(ds, false), "redis.replication-group")
	for _, attr := range []string{attrPrimaryEndpoint, attrReaderEndpoint, attrPort, attrARN} {
		if ob.Attrs[attr] == "" {
			t.Errorf("replication group observation has no %s: %v", attr, ob.Attrs)
		}
	}
	if ob.Attrs[attrPort] != "6379" {
		t.Errorf("port attr %q, want 6379", ob.Attrs[attrPort])
	}
}

// checkObserveCalls: a no-change plan reads each kind with one call.
func (e *env) checkObserveCalls(t *testing.T, ds []resource.Desired) {
	t.Helper()
	e.srv.ResetCalls()
	e.cycle.NoChanges(ds, "again")
	want := map[string]map[string]int{
		"elasticache": {"DescribeCacheSubnetGroups": 1, "DescribeUsers": 1, "DescribeUserGroups": 1, "DescribeReplicationGroups": 1,
			"DescribeCacheClusters": 1},
		"resourcegroupstaggingapi": {"GetResources": 1},
		"secretsmanager":           {"ListSecrets": 1},
	}
	if diff := cmp.Diff(want, e.srv.Calls()); diff != "" {
		t.Errorf("a no-change plan made other calls than one per kind: -want +got:\n%s", diff)
	}
}

// checkRotation gives the secret a new password (a new length) and checks
// that the plan updates the secret and the user, and that afterwards the
// user carries the secret's new version.
func (e *env) checkRotation(t *testing.T, ds []resource.Desired) {
	t.Helper()
	secret := find(t, ds, "redis.secret[shop-dev]")
	secret.Props["password_length"] = int64(48)
	e.cycle.Update(ds, map[string]plan.Action{secret.Address: plan.ActionUpdate, "redis.user[shop-dev]": plan.ActionUpdate}, "password rotation")
	v, err := e.c.Secrets.GetSecretValue(context.Background(), &sm.GetSecretValueInput{SecretId: aws.String("kcstack/kc/redis/shop-dev")})
	if err != nil {
		t.Fatal(err)
	}
	var value struct{ Password string }
	if err := json.Unmarshal([]byte(aws.ToString(v.SecretString)), &value); err != nil || len(value.Password) != 48 {
		t.Errorf("the secret holds no new 48-character password")
	}
	if b, err := json.Marshal(e.cycle.Plan(ds, false)); err != nil || strings.Contains(string(b), value.Password) {
		t.Errorf("the plan's JSON holds the password (or cannot be written: %v)", err)
	}
	tags := e.tags(t, aws.ToString(e.user(t, "kc-shop-dev").ARN))
	if tags[tagPasswordVersion] != aws.ToString(v.VersionId) {
		t.Errorf("user's %s tag %q, want the secret's current version %s", tagPasswordVersion, tags[tagPasswordVersion], aws.ToString(v.VersionId))
	}
}

// user describes user id.
func (e *env) user(t *testing.T, id string) types.User {
	t.Helper()
	out, err := e.c.ElastiCache.DescribeUsers(context.Background(), &ec.DescribeUsersInput{UserId: aws.String(id)})
	if err != nil || len(out.Users) != 1 {
		t.Fatalf("describe user %s: %v", id, err)
	}
	return out.Users[0]
}

// userGroup describes the stack's user group.
func (e *env) userGroup(t *testing.T) types.UserGroup {
	t.Helper()
	out, err := e.c.ElastiCache.DescribeUserGroups(context.Background(), &ec.DescribeUserGroupsInput{UserGroupId: aws.String(e.stack + "-redis")})
	if err != nil || len(out.UserGroups) != 1 {
		t.Fatalf("describe user group: %v", err)
	}
	g := out.UserGroups[0]
	slices.Sort(g.UserIds)
	return g
}

// replicationGroup describes the stack's replication group.
func (e *env) replicationGroup(t *testing.T) types.ReplicationGroup {
	t.Helper()
	out, err := e.c.ElastiCache.DescribeReplicationGroups(context.Background(), &ec.DescribeReplicationGroupsInput{ReplicationGroupId: aws.String(e.stack + "-redis")})
	if err != nil || len(out.ReplicationGroups) != 1 {
		t.Fatalf("describe replication group: %v", err)
	}
	return out.ReplicationGroups[0]
}

// tags lists the tags of arn.
func (e *env) tags(t *testing.T, arn string) map[string]string {
	t.Helper()
	out, err := e.c.ElastiCache.ListTagsForResource(context.Background(), &ec.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	if err != nil {
		t.Fatalf("list tags of %s: %v", arn, err)
	}
	return tagMap(out.TagList)
}
