package provider_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/stack"
	"github.com/kcstack/kcstack/pkg/state"
)

// TestOutputsObserved applies the ECS JDBC_PING example (with a Redis
// added when the example has none) on the sandbox,
// observes it once, and checks every output each AWS kind's descriptor
// declares: the kind's observer sets the attribute on every resource of
// the kind it reads, and every kind declaring outputs was read.
func TestOutputsObserved(t *testing.T) {
	srv := sandboxtest.New(t)
	st, ds, err := stack.LoadFile(filepath.Join("..", "..", "..", "examples", "ecs-jdbc-ping.yaml"))
	if err != nil || ds.HasErrors() {
		t.Fatalf("load: %v %s", err, ds)
	}
	p, err := provider.New(sandboxtest.AWSConfig(t, srv), st.Metadata.Name, provider.WithWait(poll.Options{First: 10 * time.Millisecond, Max: 50 * time.Millisecond, Timeout: time.Minute}))
	if err != nil {
		t.Fatal(err)
	}
	all, err := desired.Resources(st)
	if err != nil {
		t.Fatal(err)
	}
	all = withRedis(t, st.Metadata.Name, all)
	ctx := context.Background()
	snap := observe(ctx, t, st.Metadata.Name, all, p)
	pl, err := plan.Compute(plan.Input{Stack: st.Metadata.Name, Desired: all, Snapshot: snap, Registry: p.Registry, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if res := apply.Apply(ctx, pl, apply.Options{Stack: st.Metadata.Name, Handlers: p.Registry, Retryable: awserr.IsAmbiguous, Parallelism: 10}); !res.OK() {
		t.Fatalf("apply: %+v", res.Failed)
	}
	snap = observe(ctx, t, st.Metadata.Name, all, p)
	read := map[resource.Kind]bool{}
	for _, ob := range snap.Observations {
		if !ob.Exists {
			continue
		}
		read[ob.Kind] = true
		for _, o := range p.Registry[ob.Kind].Describe().Outputs {
			if ob.Attrs[o.Attr] == "" {
				t.Errorf("%s (%s): output %s declares attribute %s, which its observer does not set", ob.Address, ob.Kind, o.Name, o.Attr)
			}
		}
	}
	for k, d := range p.Registry.Descriptors() {
		if len(d.Outputs) > 0 && !read[k] {
			t.Errorf("%s declares outputs, but the example has no resource of the kind to check them on", k)
		}
	}
}

func observe(ctx context.Context, t *testing.T, name string, all []resource.Desired, p *provider.Provider) *state.Snapshot {
	t.Helper()
	snap, err := state.Observe(ctx, name, all, p.Observers)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// withRedis adds to all, when it has no Redis, the Redis kinds pkg/desired
// makes for one application: in the database's subnets and security
// groups, one user with its secret, the default user, the user group and
// the replication group.
func withRedis(t *testing.T, stack string, all []resource.Desired) []resource.Desired {
	t.Helper()
	var subnets, groups any
	var subnetDeps, groupDeps []string
	for _, d := range all {
		switch d.Kind {
		case resource.KindReplicationGroup:
			return all
		case resource.KindDBSubnetGroup:
			subnets, subnetDeps = d.Props["subnet_ids"], d.DependsOn
		case resource.KindDBCluster:
			groups, groupDeps = d.Props["vpc_security_group_ids"], d.DependsOn
		}
	}
	if subnets == nil || groups == nil {
		t.Fatal("the example has no database subnet group or cluster to put Redis beside")
	}
	ref := func(addr, attr string) resource.Ref { return resource.Ref{Address: addr, Attr: attr} }
	redis := []resource.Desired{
		{Address: "redis.subnet-group", Kind: resource.KindCacheSubnetGroup, DependsOn: subnetDeps, Props: resource.Props{"name": stack + "-redis", "description": "Redis", "subnet_ids": subnets}},
		{Address: "redis.secret[app-dev]", Kind: resource.KindSecret, Props: resource.Props{"name": "kcstack/" + stack + "/redis/app-dev", "description": "Redis user", "username": "app-dev", "password_length": int64(32)},
			Options: map[string]string{"recovery_window_days": "0"}},
		{Address: "redis.default-user", Kind: resource.KindCacheUser, Props: resource.Props{"user_id": stack + "-default", "user_name": "default", "engine": "redis", "access_string": "off -@all"}},
		{Address: "redis.user[app-dev]", Kind: resource.KindCacheUser, DependsOn: []string{"redis.secret[app-dev]"}, Props: resource.Props{
			"user_id": stack + "-app-dev", "user_name": "app-dev", "engine": "redis", "access_string": "on ~app:* &app:* +@all -@dangerous",
			"password_secret_arn": ref("redis.secret[app-dev]", "arn"), "password_version": ref("redis.secret[app-dev]", "version_id")}},
		{Address: "redis.user-group", Kind: resource.KindCacheUserGroup, DependsOn: []string{"redis.default-user", "redis.user[app-dev]"}, Props: resource.Props{
			"user_group_id": stack + "-redis", "engine": "redis", "user_ids": []any{ref("redis.default-user", "id"), ref("redis.user[app-dev]", "id")}}},
		{Address: "redis.replication-group", Kind: resource.KindReplicationGroup, DependsOn: append([]string{"redis.subnet-group", "redis.user-group"}, groupDeps...), Props: resource.Props{
			"replication_group_id": stack + "-redis", "description": "Redis", "engine": "redis", "engine_version": "7.1", "node_type": "cache.t4g.small",
			"replicas": int64(1), "subnet_group": ref("redis.subnet-group", "name"), "security_group_ids": groups,
			"user_group_ids": []any{ref("redis.user-group", "id")}, "port": int64(6379), "transit_encryption": true, "at_rest_encryption": true,
			"automatic_failover": true, "multi_az": true, "snapshot_retention_days": int64(1)}},
	}
	for i := range redis {
		redis[i].Component = "redis"
		redis[i].Tags = map[string]string{resource.TagStack: stack, resource.TagAddress: redis[i].Address}
	}
	return append(all, redis...)
}
