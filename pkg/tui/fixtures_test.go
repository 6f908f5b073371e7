package tui

import (
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/plantest"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Fixture plans, one per situation the UI must show; most come from
// plantest, shared with pkg/plan/render's tests, so the UI's field diffs can
// be compared with the text plan's.

// createsPlan is plantest's creates fixture with an instance, so the
// progress view has a dependency chain to wait on.
func createsPlan() *plan.Plan {
	return plantest.NewPlan(
		plan.Change{Address: "database.vpc", Kind: resource.KindVPC, Component: "database", Name: "prod-aurora",
			Action: plan.ActionCreate, After: plantest.VPCProps()},
		plan.Change{Address: "database.subnet[eu-west-1a]", Kind: resource.KindSubnet, Component: "database", Name: "eu-west-1a",
			Action: plan.ActionCreate, After: plantest.SubnetProps("eu-west-1a", "10.20.0.0/24"), DependsOn: []string{"database.vpc"}},
		plan.Change{Address: "database.subnet[eu-west-1b]", Kind: resource.KindSubnet, Component: "database", Name: "eu-west-1b",
			Action: plan.ActionCreate, After: plantest.SubnetProps("eu-west-1b", "10.20.1.0/24"), DependsOn: []string{"database.vpc"}},
		plan.Change{Address: "database.cluster", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db",
			Action: plan.ActionCreate, After: plantest.ClusterProps("kc-db", "16.4"),
			Diffs: []resource.FieldDiff{
				{Path: "master_password", After: plantest.Secret, Sensitive: true},
				{Path: "db_subnet_group_name", After: plantest.Unknown, KnownAfterApply: true},
			},
			DependsOn: []string{"database.subnet[eu-west-1a]", "database.subnet[eu-west-1b]"}},
		plan.Change{Address: "database.instance[0]", Kind: resource.KindDBInstance, Component: "database", Name: "kc-db-1",
			Action: plan.ActionCreate, After: plantest.InstanceProps("kc-db-1", "db.r6g.large"), DependsOn: []string{"database.cluster"}},
	)
}

// replaceDeletePlan replaces the database (data loss) and deletes a
// target's peering.
func replaceDeletePlan() *plan.Plan {
	p := plantest.Replace()
	p.Changes = append(p.Changes, plantest.Peering("rosa-b", "10.2.0.0/16", plan.ActionDelete)...)
	p.Summary = plantest.Summarize(p.Changes)
	return p
}

// failedPlan adds a target and removes another; the removal fails.
func failedPlan() *plan.Plan {
	changes := plantest.Peering("rosa-c", "10.3.0.0/16", plan.ActionCreate)
	changes = append(changes, plantest.Peering("rosa-b", "10.2.0.0/16", plan.ActionDelete)...)
	// The peering goes after its routes.
	changes[4].DependsOn = nil
	changes[3].DependsOn = []string{"targets.rosa-b.routes-from-database"}
	return plantest.NewPlan(changes...)
}

// longPlan has more changes than any screen shows at once.
func longPlan() *plan.Plan {
	var changes []plan.Change
	for _, t := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		changes = append(changes, plantest.Peering("rosa-"+t, "10.9.0.0/16", plan.ActionCreate)...)
	}
	return plantest.NewPlan(changes...)
}

// fixtures are the fixture plans by name; golden files are named after
// them.
var fixtures = map[string]func() *plan.Plan{
	"no-changes":     plantest.NoChanges,
	"creates":        createsPlan,
	"update":         plantest.Update,
	"replace-delete": replaceDeletePlan,
	"failed":         failedPlan,
	"long-destroy":   longDestroyPlan,
	"notes":          notesPlan,
	"notes-only":     notesOnlyPlan,
}

// notesPlan creates resources, uses a Namespace it did not create, and
// could not read a target's cluster (which blocks apply).
func notesPlan() *plan.Plan {
	p := createsPlan()
	p.Notes = []plan.Note{
		{Target: "rosa-a", Address: "targets.rosa-a.k8s.namespace",
			Text: "namespace keycloak (targets.rosa-a.k8s.namespace) exists without kcstack's labels: kcstack uses it as it is and never deletes it."},
		{Target: "rosa-b", Blocking: true,
			Text: "the in-cluster part of target rosa-b (Keycloak custom resource, Secrets, discovery objects) was not read: the kubeconfig has no context rosa-b (rosa.kubeContext, by default the cluster's name)."},
	}
	return p
}

// notesOnlyPlan changes nothing it read and could not read a target's
// cluster.
func notesOnlyPlan() *plan.Plan {
	p := plantest.NoChanges()
	p.Notes = []plan.Note{{Target: "rosa-a",
		Text: "the in-cluster part of target rosa-a (Keycloak custom resource, Secrets, discovery objects) was not read: no kubeconfig: set KUBECONFIG or pass --kubeconfig with a context named rosa-a."}}
	return p
}

// longDestroyPlan destroys more resources than the confirmation shows at
// once, the database last in plan order.
func longDestroyPlan() *plan.Plan {
	var changes []plan.Change
	for _, t := range []string{"a", "b", "c", "d", "e", "f"} {
		target := plantest.Peering("rosa-"+t, "10.9.0.0/16", plan.ActionDelete)
		// A peering goes after its routes.
		target[0].DependsOn, target[1].DependsOn = []string{target[1].Address}, nil
		changes = append(changes, target...)
	}
	changes = append(changes, plan.Change{Address: "database.cluster", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db",
		Action: plan.ActionDelete, Before: plantest.ObservedClusterProps("kc-db", "16.4"), DataLoss: true})
	p := plantest.NewPlan(changes...)
	p.Destroy = true
	return p
}
