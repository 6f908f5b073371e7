package e2e

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// taggableECS are the kinds of an ECS example whose tags kcstack keeps as
// the file says; routes and route table associations carry none.
var taggableECS = []string{
	"ec2:vpc", "ec2:subnet", "ec2:route-table", "ec2:security-group", "ec2:security-group-rule", "ec2:vpc-peering-connection",
	"ec2:internet-gateway", "ec2:elastic-ip", "ec2:natgateway",
	"rds:subgrp", "rds:cluster", "rds:db",
	"logs:log-group", "iam:role", "ecs:cluster", "ecs:task-definition", "ecs:service",
	"elasticloadbalancing:loadbalancer", "elasticloadbalancing:targetgroup", "elasticloadbalancing:listener",
}

// TestTagDrift: spec.tags edited after apply (a value changed, a key
// removed, one added) plans an update of exactly those tags on every
// taggable resource and nothing else; apply brings AWS there (the aws CLI
// reads the tags back) and the next plan is No changes.
func TestTagDrift(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	file := e.stackFile(t, "ecs-jdbc-ping.yaml")
	mustRun(t, "apply from empty", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")

	retagged := e.stackFile(t, "ecs-jdbc-ping.yaml", "    team: identity", "    team: sso",
		`    cost-center: "4711"              # tag values are strings: quote numbers`, "    owner: platform")
	r := e.kcstack(t, "plan", "-f", retagged, "--format", "json")
	if r.Code != 0 {
		t.Fatalf("plan: exit %d\n%s", r.Code, r.Stderr)
	}
	var p struct {
		ResourceChanges []struct {
			planChange
			Diffs []struct {
				Path          string
				Before, After any
			}
		} `json:"resource_changes"`
	}
	decode(t, "plan", r.Stdout, &p)
	type diff struct {
		Path          string
		Before, After any
	}
	want := []diff{{"tags.owner", nil, "platform"}, {"tags.team", "identity", "sso"}, {"tags.cost-center", "4711", nil}}
	var updatedKinds []string
	for _, c := range p.ResourceChanges {
		if c.Action == "no-op" {
			continue
		}
		if c.Action != "update" {
			t.Errorf("%s: %s, want update or no-op", c.Address, c.Action)
		}
		var got []diff
		for _, d := range c.Diffs {
			got = append(got, diff{d.Path, d.Before, d.After})
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: diffs (-want +got):\n%s", c.Address, d)
		}
		if !slices.Contains(updatedKinds, c.Kind) {
			updatedKinds = append(updatedKinds, c.Kind)
		}
	}
	slices.Sort(updatedKinds)
	wantKinds := slices.Sorted(slices.Values(taggableECS))
	if d := cmp.Diff(wantKinds, updatedKinds); d != "" {
		t.Errorf("kinds updated for their tags (-want +got):\n%s", d)
	}

	mustRun(t, "apply the tags", e.kcstack(t, "apply", "-f", retagged, "--auto-approve"), 0, "Apply complete!", "0 added", "0 destroyed")
	mustRun(t, "plan after", e.kcstack(t, "plan", "-f", retagged, "--detailed-exitcode"), 0, "No changes.")

	var clusters struct {
		DBClusters []struct{ TagList []struct{ Key, Value string } }
	}
	decode(t, "describe-db-clusters", awsJSON(t, e, "rds", "describe-db-clusters"), &clusters)
	var vpcs struct {
		Vpcs []struct{ Tags []struct{ Key, Value string } }
	}
	decode(t, "describe-vpcs", awsJSON(t, e, "ec2", "describe-vpcs", "--filters", "Name=tag:kcstack:stack,Values=sso-prod"), &vpcs)
	var lists [][]struct{ Key, Value string }
	for _, c := range clusters.DBClusters {
		lists = append(lists, c.TagList)
	}
	for _, v := range vpcs.Vpcs {
		lists = append(lists, v.Tags)
	}
	if len(lists) < 3 {
		t.Fatalf("read %d clusters and VPCs, want the cluster and two VPCs", len(lists))
	}
	for _, tags := range lists {
		m := map[string]string{}
		for _, tag := range tags {
			m[tag.Key] = tag.Value
		}
		if m["team"] != "sso" || m["owner"] != "platform" || m["cost-center"] != "" {
			b, _ := json.Marshal(m)
			t.Errorf("live tags %s, want team=sso, owner=platform, no cost-center", b)
		}
	}
}
