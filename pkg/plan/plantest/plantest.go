// Package plantest builds fixture plans for the tests of the packages that
// show plans (the renderers and the terminal UI), so both show the same
// situations.
package plantest

import (
	"time"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Fixture plans, one per situation a plan viewer must handle. Summaries are
// counted from the changes by Summarize, independently of any renderer.

// Markers as the planner writes them.
const (
	Unknown = "(known after apply)"
	Secret  = "(sensitive value)"
)

// NewPlan returns a plan for stack "prod" in eu-west-1 with changes and a
// summary counted from them.
func NewPlan(changes ...plan.Change) *plan.Plan {
	return &plan.Plan{
		FormatVersion: plan.FormatVersion,
		Stack:         "prod",
		Region:        "eu-west-1",
		StackDigest:   "sha256:3f1c9a",
		CreatedAt:     time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
		Summary:       Summarize(changes),
		Changes:       changes,
		Observed:      map[string]string{"database.vpc": "fp-1"},
	}
}

// Summarize counts changes the way Terraform does.
func Summarize(changes []plan.Change) plan.Summary {
	var s plan.Summary
	for _, c := range changes {
		switch c.Action {
		case plan.ActionCreate:
			s.Add++
		case plan.ActionUpdate:
			s.Change++
		case plan.ActionReplace:
			s.Add++
			s.Destroy++
		case plan.ActionDelete:
			s.Destroy++
		}
	}
	return s
}

// Tags is a fixture builder.
func Tags(address, name string) map[string]string {
	return map[string]string{"Name": name, "kcstack:stack": "prod", "kcstack:address": address, "team": "identity"}
}

// VPCProps is a fixture builder.
func VPCProps() resource.Props {
	return resource.Props{"cidr_block": "10.20.0.0/16", "enable_dns_hostnames": true, "tags": Tags("database.vpc", "prod-aurora")}
}

// SubnetProps is a fixture builder.
func SubnetProps(zone, cidr string) resource.Props {
	return resource.Props{"vpc_id": Unknown, "cidr_block": cidr, "availability_zone": zone}
}

// ClusterProps is a fixture builder.
func ClusterProps(id, version string) resource.Props {
	return resource.Props{
		"identifier":              id,
		"engine":                  "aurora-postgresql",
		"engine_version":          version,
		"database_name":           "keycloak",
		"master_username":         "keycloak",
		"master_password":         Secret,
		"port":                    int64(5432),
		"db_subnet_group_name":    Unknown,
		"vpc_security_group_ids":  []any{Unknown},
		"storage_encrypted":       true,
		"deletion_protection":     true,
		"backup_retention_period": int64(7),
	}
}

// ObservedClusterProps are a cluster's props as read from AWS: every
// reference resolved.
func ObservedClusterProps(id, version string) resource.Props {
	p := ClusterProps(id, version)
	p["db_subnet_group_name"] = "prod-aurora"
	p["vpc_security_group_ids"] = []any{"sg-0db"}
	return p
}

// InstanceProps is a fixture builder.
func InstanceProps(id, class string) resource.Props {
	return resource.Props{"identifier": id, "cluster_identifier": "kc-db", "engine": "aurora-postgresql", "instance_class": class}
}

// NoChanges is a fixture builder.
func NoChanges() *plan.Plan {
	return NewPlan(
		plan.Change{Address: "database.vpc", Kind: resource.KindVPC, Component: "database", Name: "prod-aurora",
			Action: plan.ActionNoOp, Before: VPCProps(), After: VPCProps()},
		plan.Change{Address: "database.cluster", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db",
			Action: plan.ActionNoOp, Before: ObservedClusterProps("kc-db", "16.4"), After: ObservedClusterProps("kc-db", "16.4"),
			DependsOn: []string{"database.vpc"}},
	)
}

// Creates is a fixture builder.
func Creates() *plan.Plan {
	return NewPlan(
		plan.Change{Address: "database.vpc", Kind: resource.KindVPC, Component: "database", Name: "prod-aurora",
			Action: plan.ActionCreate, After: VPCProps()},
		plan.Change{Address: "database.subnet[eu-west-1a]", Kind: resource.KindSubnet, Component: "database", Name: "eu-west-1a",
			Action: plan.ActionCreate, After: SubnetProps("eu-west-1a", "10.20.0.0/24"), DependsOn: []string{"database.vpc"}},
		plan.Change{Address: "database.subnet[eu-west-1b]", Kind: resource.KindSubnet, Component: "database", Name: "eu-west-1b",
			Action: plan.ActionCreate, After: SubnetProps("eu-west-1b", "10.20.1.0/24"), DependsOn: []string{"database.vpc"}},
		plan.Change{Address: "database.cluster", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db",
			Action: plan.ActionCreate, After: ClusterProps("kc-db", "16.4"),
			Diffs: []resource.FieldDiff{
				{Path: "master_password", After: Secret, Sensitive: true},
				{Path: "db_subnet_group_name", After: Unknown, KnownAfterApply: true},
			},
			DependsOn: []string{"database.subnet[eu-west-1a]", "database.subnet[eu-west-1b]"}},
	)
}

// SGRule is a fixture builder.
func SGRule(cidr, desc string) map[string]any {
	return map[string]any{"cidr_ipv4": cidr, "description": desc, "from_port": int64(5432), "protocol": "tcp", "to_port": int64(5432)}
}

// Update is a fixture builder.
func Update() *plan.Plan {
	before := InstanceProps("kc-db-1", "db.r6g.large")
	after := InstanceProps("kc-db-1", "db.r6g.xlarge")
	rulesBefore := []any{SGRule("10.1.0.0/16", "rosa-a"), SGRule("10.2.0.0/16", "rosa-b")}
	rulesAfter := []any{SGRule("10.1.0.0/16", "rosa-a"), SGRule("10.3.0.0/16", "rosa-c")}
	sgBefore := resource.Props{"group_name": "prod-aurora", "vpc_id": "vpc-0a1b2c", "ingress": rulesBefore,
		"egress_cidrs": []string{"0.0.0.0/0"}, "tags": map[string]string{"Name": "prod-aurora", "env": "staging", "old": "x"}}
	sgAfter := resource.Props{"group_name": "prod-aurora", "vpc_id": "vpc-0a1b2c", "ingress": rulesAfter,
		"egress_cidrs": []string{"0.0.0.0/0"}, "tags": map[string]string{"Name": "prod-aurora", "env": "prod", "owner": "iam"}}
	return NewPlan(
		plan.Change{Address: "database.security-group", Kind: resource.KindSecurityGroup, Component: "database", Name: "prod-aurora",
			Action: plan.ActionUpdate, Before: sgBefore, After: sgAfter,
			Diffs: []resource.FieldDiff{
				{Path: "tags", Before: sgBefore["tags"], After: sgAfter["tags"]},
				{Path: "ingress", Before: rulesBefore, After: rulesAfter},
			}},
		plan.Change{Address: "database.instance[0]", Kind: resource.KindDBInstance, Component: "database", Name: "kc-db-1",
			Action: plan.ActionUpdate, Before: before, After: after,
			Diffs:     []resource.FieldDiff{{Path: "instance_class", Before: "db.r6g.large", After: "db.r6g.xlarge"}},
			DependsOn: []string{"database.cluster"}},
	)
}

// Replace is a fixture builder.
func Replace() *plan.Plan {
	return NewPlan(
		plan.Change{Address: "database.cluster", Kind: resource.KindDBCluster, Component: "database", Name: "kc-db-2",
			Action: plan.ActionReplace, Before: ObservedClusterProps("kc-db", "15.8"), After: ClusterProps("kc-db-2", "16.4"),
			Diffs: []resource.FieldDiff{
				{Path: "identifier", Before: "kc-db", After: "kc-db-2", ForcesReplace: true,
					Reason: "RDS cannot rename a cluster kcstack tracks by identifier"},
				{Path: "engine_version", Before: "15.8", After: "16.4", ForcesReplace: true,
					Reason: "Aurora cannot change the engine major version in place"},
				{Path: "master_password", Before: Secret, After: Secret, Sensitive: true},
			},
			ReplaceReasons: []string{"identifier", "engine_version"},
			DependsOn:      []string{"database.subnet-group", "database.security-group"},
			DataLoss:       true},
		plan.Change{Address: "database.instance[0]", Kind: resource.KindDBInstance, Component: "database", Name: "kc-db-2-1",
			Action: plan.ActionReplace, Before: InstanceProps("kc-db-1", "db.r6g.large"),
			After: resource.Props{"identifier": "kc-db-2-1", "cluster_identifier": Unknown, "engine": "aurora-postgresql", "instance_class": "db.r6g.large"},
			Diffs: []resource.FieldDiff{
				{Path: "cluster_identifier", Before: "kc-db", After: Unknown, ForcesReplace: true, KnownAfterApply: true},
				{Path: "identifier", Before: "kc-db-1", After: "kc-db-2-1", ForcesReplace: true},
			},
			DependsOn: []string{"database.cluster"}},
		plan.Change{Address: "reports.cluster", Kind: resource.KindDBCluster, Component: "reports", Name: "kc-reports",
			Action: plan.ActionDelete, Before: ObservedClusterProps("kc-reports", "15.8"), DataLoss: true},
	)
}

// Peering is a fixture builder.
func Peering(target, cidr string, a plan.Action) []plan.Change {
	prefix, comp := "targets."+target, "target "+target
	props := resource.Props{"vpc_id": "vpc-0a1b2c", "peer_vpc_id": "vpc-0rosa" + target[len(target)-1:], "peer_region": "eu-west-1",
		"tags": map[string]string{"Name": "prod ROSA cluster " + target}}
	route := resource.Props{"vpc_id": "vpc-0a1b2c", "destination_cidr_block": cidr, "vpc_peering_connection_id": Unknown,
		"route_table_ids": []string{"rtb-0aa", "rtb-0bb"}}
	rule := resource.Props{"group_id": "sg-0db", "type": "ingress", "protocol": "tcp", "from_port": int64(5432), "to_port": int64(5432),
		"cidr_ipv4": cidr, "description": "PostgreSQL from ROSA cluster " + target}
	changes := []plan.Change{
		{Address: prefix + ".peering", Kind: resource.KindPeering, Component: comp, Name: "ROSA cluster " + target, Action: a},
		{Address: prefix + ".routes-from-database", Kind: resource.KindRoute, Component: comp, Name: "database → " + cidr, Action: a,
			DependsOn: []string{prefix + ".peering"}},
		{Address: prefix + ".database-ingress", Kind: resource.KindSecurityGroupRule, Component: comp, Name: "5432 from " + cidr, Action: a,
			DependsOn: []string{"database.security-group"}},
	}
	for i, p := range []resource.Props{props, route, rule} {
		if a == plan.ActionDelete {
			changes[i].Before = p
			continue
		}
		changes[i].After = p
	}
	return changes
}
