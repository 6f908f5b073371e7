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
}
