package render

import (
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/plantest"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Fixture plans beyond plantest's, for situations only the renderers show.

func mixedPlan() *plan.Plan {
	changes := []plan.Change{
		{Address: "database.vpc", Kind: resource.KindVPC, Component: "database", Name: "prod-aurora",
			Action: plan.ActionNoOp, Before: plantest.VPCProps(), After: plantest.VPCProps()},
	}
	changes = append(changes, plantest.Peering("rosa-c", "10.3.0.0/16", plan.ActionCreate)...)
	changes = append(changes, plantest.Update().Changes...)
	changes = append(changes, plan.Change{Address: "targets.rosa-a.routes-to-database", Kind: resource.KindRoute, Component: "target rosa-a",
		Name: "ROSA cluster rosa-a → 10.20.0.0/16", Action: plan.ActionReplace,
		Before: resource.Props{"destination_cidr_block": "10.20.0.0/16", "route_table_ids": []string{"rtb-1", "rtb-2"}, "vpc_peering_connection_id": "pcx-0a"},
		After:  resource.Props{"destination_cidr_block": "10.20.0.0/16", "route_table_ids": []string{"rtb-1", "rtb-3"}, "vpc_peering_connection_id": "pcx-0a"},
		Diffs: []resource.FieldDiff{{Path: "route_table_ids", Before: []string{"rtb-1", "rtb-2"}, After: []string{"rtb-1", "rtb-3"},
			ForcesReplace: true, Reason: "routes belong to the route tables associated with the subnets in use"}}})
	changes = append(changes, plantest.Peering("rosa-b", "10.2.0.0/16", plan.ActionDelete)...)
	changes = append(changes, plan.Change{Address: "database.instance[1]", Kind: resource.KindDBInstance, Component: "database", Name: "kc-db-2",
		Action: plan.ActionCreate, After: plantest.InstanceProps("kc-db-2", "db.r6g.xlarge"), DependsOn: []string{"database.cluster"}})
	return plantest.NewPlan(changes...)
}

func destroyPlan() *plan.Plan {
	p := plantest.NewPlan(
		plan.Change{Address: "database.cluster", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db",
			Action: plan.ActionDelete, Before: plantest.ObservedClusterProps("kc-db", "16.4"), DataLoss: true},
		plan.Change{Address: "database.vpc", Kind: resource.KindVPC, Component: "database", Name: "prod-aurora",
			Action: plan.ActionDelete, Before: plantest.VPCProps()},
	)
	p.Destroy = true
	return p
}

// unreadPlan changes nothing it read, and could not read two ROSA
// targets' clusters: one for want of a kubeconfig, one (blocking) whose
// context is missing.
func unreadPlan() *plan.Plan {
	p := plantest.NoChanges()
	p.Notes = []plan.Note{
		{Target: "rosa-a", Text: "the in-cluster part of target rosa-a (Keycloak custom resource, Secrets, discovery objects) was not read: no kubeconfig: set KUBECONFIG or pass --kubeconfig with a context named rosa-a."},
		{Target: "rosa-b", Blocking: true, Text: "the in-cluster part of target rosa-b (Keycloak custom resource, Secrets, discovery objects) was not read: the kubeconfig has no context rosa-b (rosa.kubeContext, by default the cluster's name)."},
	}
	return p
}

// adoptedPlan creates resources and uses a Namespace it did not create.
func adoptedPlan() *plan.Plan {
	p := plantest.Creates()
	p.Notes = []plan.Note{{Target: "rosa-a", Address: "targets.rosa-a.k8s.namespace",
		Text: "namespace keycloak (targets.rosa-a.k8s.namespace) exists without kcstack's labels: kcstack uses it as it is and never deletes it."}}
	return p
}

// fixtures are every fixture plan by name; golden files are named after
// them.
var fixtures = map[string]func() *plan.Plan{
	"no-changes": plantest.NoChanges,
	"creates":    plantest.Creates,
	"update":     plantest.Update,
	"replace":    plantest.Replace,
	"mixed":      mixedPlan,
	"destroy":    destroyPlan,
	"unread":     unreadPlan,
	"adopted":    adoptedPlan,
	"redis":      redisPlan,
}

// redisPlan is a Redis edit: an application added (its secret and user,
// the user group updated), a rotated password (the user's update), and the
// replication group replaced by a new port (data loss).
func redisPlan() *plan.Plan {
	const comp = "redis"
	user := func(key, version string) resource.Props {
		return resource.Props{"user_id": "prod-" + key, "user_name": key, "engine": "redis",
			"access_string":       "on ~" + key + ":* &" + key + ":* +@all -@dangerous",
			"password_secret_arn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kcstack/prod/redis/" + key + "-AbCdEf",
			"password_version":    version}
	}
	group := func(port int64) resource.Props {
		return resource.Props{"replication_group_id": "prod-redis", "engine": "redis", "engine_version": "7.1",
			"node_type": "cache.r7g.large", "replicas": int64(1), "port": port,
			"transit_encryption": true, "at_rest_encryption": true, "automatic_failover": true, "multi_az": true}
	}
	return plantest.NewPlan(
		plan.Change{Address: "redis.secret[search-prod]", Kind: resource.KindSecret, Component: comp, Name: "kcstack/prod/redis/search-prod",
			Action: plan.ActionCreate, After: resource.Props{"name": "kcstack/prod/redis/search-prod", "username": "search-prod", "password_length": int64(32)}},
		plan.Change{Address: "redis.user[search-prod]", Kind: resource.KindCacheUser, Component: comp, Name: "search-prod",
			Action: plan.ActionCreate, After: resource.Props{"user_id": "prod-search-prod", "user_name": "search-prod", "engine": "redis",
				"access_string": "on ~search:* &search:* +@all -@dangerous", "password_secret_arn": plantest.Unknown, "password_version": plantest.Unknown},
			DependsOn: []string{"redis.secret[search-prod]"}},
		plan.Change{Address: "redis.user[shop-prod]", Kind: resource.KindCacheUser, Component: comp, Name: "shop-prod",
			Action: plan.ActionUpdate, Before: user("shop-prod", "v-1"), After: user("shop-prod", "v-2"),
			Diffs: []resource.FieldDiff{{Path: "password_version", Before: "v-1", After: "v-2"}}},
		plan.Change{Address: "redis.user-group", Kind: resource.KindCacheUserGroup, Component: comp, Name: "prod-redis",
			Action:    plan.ActionUpdate,
			Before:    resource.Props{"user_group_id": "prod-redis", "engine": "redis", "user_ids": []string{"prod-default", "prod-shop-prod"}},
			After:     resource.Props{"user_group_id": "prod-redis", "engine": "redis", "user_ids": []any{"prod-default", "prod-shop-prod", plantest.Unknown}},
			Diffs:     []resource.FieldDiff{{Path: "user_ids[2]", After: plantest.Unknown, KnownAfterApply: true}},
			DependsOn: []string{"redis.user[search-prod]"}},
		plan.Change{Address: "redis.replication-group", Kind: resource.KindReplicationGroup, Component: comp, Name: "prod-redis",
			Action: plan.ActionReplace, Before: group(6379), After: group(6380),
			Diffs:          []resource.FieldDiff{{Path: "port", Before: int64(6379), After: int64(6380), ForcesReplace: true, Reason: "a replication group's port is set at creation only"}},
			ReplaceReasons: []string{"port"}, DataLoss: true},
	)
}
