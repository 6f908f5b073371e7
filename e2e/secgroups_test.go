package e2e

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

// TestSecurityGroupsAuthoritative proves issue 12's "security groups
// kcstack owns are authoritative" on examples/ecs-jdbc-ping.yaml: a tcp/22
// rule from 0.0.0.0/0 added to the tasks' group with the aws CLI is planned
// as a delete of exactly that rule, a plan saved before it was added is
// refused as stale naming it, a plan saved after it passes apply's checks
// and revokes it, and the next plan is `No changes.`. The aws CLI checks
// the groups' egress, the load balancer's attribute and the roles' trust
// conditions before and after.
func TestSecurityGroupsAuthoritative(t *testing.T) {
	t.Parallel()
	ex := ecsExamples["jdbc-ping"]
	e, _ := newSandbox(t)
	file := e.stackFile(t, ex.file, unprotectedECS...)
	mustRun(t, "apply from empty", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	checkLeastPrivilege(t, e, ex)

	edited := e.stackFile(t, ex.file, append(append([]string(nil), unprotectedECS...), ex.edits...)...)
	saved := filepath.Join(e.Dir, "before.kcplan")
	mustRun(t, "plan --out before the hand edit", e.kcstack(t, "plan", "-f", edited, "--out", saved), 0, "Plan: 0 to add, 1 to change, 0 to destroy.")

	prefix := "targets." + ex.target
	tasks := groupsByAddress(t, e, ex)[prefix+".task-security-group"]
	var added struct {
		SecurityGroupRules []struct {
			SecurityGroupRuleID string `json:"SecurityGroupRuleId"`
		}
	}
	decode(t, "authorize-security-group-ingress", awsJSON(t, e, "ec2", "authorize-security-group-ingress",
		"--group-id", tasks.GroupID, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0"), &added)
	if len(added.SecurityGroupRules) != 1 {
		t.Fatalf("authorize-security-group-ingress made %d rules, want 1", len(added.SecurityGroupRules))
	}
	byHand := prefix + ".task-security-group.rule[" + added.SecurityGroupRules[0].SecurityGroupRuleID + "]"

	p, code := e.planJSON(t, file)
	if code != 2 {
		t.Errorf("plan after the hand edit: exit %d, want 2", code)
	}
	if diff := cmp.Diff(map[string]string{byHand: "delete"}, p.actions()); diff != "" {
		t.Errorf("plan after the hand edit: changes (-want +got):\n%s", diff)
	}
	mustRun(t, "text plan", e.kcstack(t, "plan", "-f", file), 0, "# "+byHand+" will be", "- resource \"ec2:security-group-rule\" \""+added.SecurityGroupRules[0].SecurityGroupRuleID+"\"", "Plan: 0 to add, 0 to change, 1 to destroy.")

	mustRun(t, "apply the plan saved before the hand edit", e.kcstack(t, "apply", saved, "--auto-approve"), 1,
		"the saved plan is stale", byHand, "Nothing was applied")
	if !slices.Contains(ruleIDs(t, e, tasks.GroupID), added.SecurityGroupRules[0].SecurityGroupRuleID) {
		t.Errorf("a refused stale plan changed the group's rules")
	}

	// A saved plan of the delete passes apply's checks of a saved plan: the
	// rule is the stack's through its group.
	fresh := filepath.Join(e.Dir, "after.kcplan")
	mustRun(t, "plan --out after the hand edit", e.kcstack(t, "plan", "-f", file, "--out", fresh), 0, "Plan: 0 to add, 0 to change, 1 to destroy.")
	mustRun(t, "apply", e.kcstack(t, "apply", fresh, "--auto-approve", "--allow-delete"), 0, "Resources: 0 added, 0 changed, 1 destroyed.")
	mustRun(t, "plan after apply", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
	if slices.Contains(ruleIDs(t, e, tasks.GroupID), added.SecurityGroupRules[0].SecurityGroupRuleID) {
		t.Errorf("after apply the rule added by hand is still on the tasks' group")
	}
	checkLeastPrivilege(t, e, ex)
}

// groupsByAddress reads the security groups of ex's stack with the aws
// CLI, by address tag.
func groupsByAddress(t *testing.T, e *env, ex ecsExample) map[string]securityGroup {
	t.Helper()
	var out struct{ SecurityGroups []securityGroup }
	decode(t, "describe-security-groups", awsJSON(t, e, "ec2", "describe-security-groups",
		"--filters", "Name=tag:"+resource.TagStack+",Values="+ex.stack), &out)
	groups := map[string]securityGroup{}
	for _, g := range out.SecurityGroups {
		groups[g.address()] = g
	}
	return groups
}

// ruleIDs reads the ids of every rule of group with the aws CLI.
func ruleIDs(t *testing.T, e *env, group string) []string {
	t.Helper()
	var out struct {
		SecurityGroupRules []struct {
			SecurityGroupRuleID string `json:"SecurityGroupRuleId"`
		}
	}
	decode(t, "describe-security-group-rules", awsJSON(t, e, "ec2", "describe-security-group-rules",
		"--filters", "Name=group-id,Values="+group), &out)
	var ids []string
	for _, r := range out.SecurityGroupRules {
		ids = append(ids, r.SecurityGroupRuleID)
	}
	return ids
}

// checkLeastPrivilege checks with the aws CLI what ex's stack allows
// beyond ingress: the egress of each group (none for the database's; the
// tasks' to the database, to their JGroups peers and to HTTPS; the load
// balancer's to the tasks' Keycloak ports only), the load balancer's
// dropping of invalid header fields, and the roles' trust conditions.
func checkLeastPrivilege(t *testing.T, e *env, ex ecsExample) {
	t.Helper()
	prefix := "targets." + ex.target
	groups := groupsByAddress(t, e, ex)
	tasks := "group " + prefix + ".task-security-group"
	want := map[string][]string{
		"database.security-group":       nil,
		prefix + ".task-security-group": {"tcp 443 to 0.0.0.0/0", "tcp 5432 to " + ex.databaseCIDR, "tcp 57800 to " + tasks, "tcp 7800 to " + tasks},
		prefix + ".lb-security-group":   {"tcp 8080 to " + tasks, "tcp 9000 to " + tasks},
	}
	got := map[string][]string{}
	for addr, g := range groups {
		got[addr] = g.egress(groups)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("egress of the stack's groups (-want +got):\n%s", diff)
	}
	checkDropInvalidHeaders(t, e, ex)
	for _, role := range []string{"execution", "task"} {
		checkTrustConditions(t, e, ex.stack+"-"+ex.target+"-"+role)
	}
}

// egress describes each egress rule of g as "<protocol> <port> to <CIDR
// or group address>", sorted; groups names the groups by address.
func (g securityGroup) egress(groups map[string]securityGroup) []string {
	names := map[string]string{}
	for addr, other := range groups {
		names[other.GroupID] = "group " + addr
	}
	var out []string
	for _, p := range g.IPPermissionsEgress {
		port := fmt.Sprint(p.FromPort)
		if p.ToPort != p.FromPort {
			port += "-" + fmt.Sprint(p.ToPort)
		}
		for _, r := range p.IPRanges {
			out = append(out, p.IPProtocol+" "+port+" to "+r.CidrIP)
		}
		for _, pair := range p.UserIDGroupPairs {
			out = append(out, p.IPProtocol+" "+port+" to "+names[pair.GroupID])
		}
	}
	slices.Sort(out)
	return out
}

// checkDropInvalidHeaders: the load balancer's
// routing.http.drop_invalid_header_fields.enabled is true.
func checkDropInvalidHeaders(t *testing.T, e *env, ex ecsExample) {
	t.Helper()
	var lbs struct {
		LoadBalancers []struct{ LoadBalancerArn string }
	}
	decode(t, "describe-load-balancers", awsJSON(t, e, "elbv2", "describe-load-balancers", "--names", ex.stack+"-"+ex.target), &lbs)
	if len(lbs.LoadBalancers) != 1 {
		t.Fatalf("%d load balancers named %s-%s, want 1", len(lbs.LoadBalancers), ex.stack, ex.target)
	}
	var attrs struct{ Attributes []struct{ Key, Value string } }
	decode(t, "describe-load-balancer-attributes", awsJSON(t, e, "elbv2", "describe-load-balancer-attributes",
		"--load-balancer-arn", lbs.LoadBalancers[0].LoadBalancerArn), &attrs)
	if !slices.Contains(attrs.Attributes, struct{ Key, Value string }{"routing.http.drop_invalid_header_fields.enabled", "true"}) {
		t.Errorf("load balancer attributes %+v, want routing.http.drop_invalid_header_fields.enabled=true", attrs.Attributes)
	}
}

// checkTrustConditions: the role lets ECS tasks assume it only for the
// caller's account (aws:SourceAccount) and ECS resources of the region in
// it (aws:SourceArn).
func checkTrustConditions(t *testing.T, e *env, role string) {
	t.Helper()
	var caller struct{ Account string }
	decode(t, "sts get-caller-identity", awsJSON(t, e, "sts", "get-caller-identity"), &caller)
	var out struct {
		Role struct {
			AssumeRolePolicyDocument struct {
				Statement []struct {
					Principal map[string]any
					Condition map[string]map[string]any
				}
			}
		}
	}
	decode(t, "iam get-role", awsJSON(t, e, "iam", "get-role", "--role-name", role), &out)
	st := out.Role.AssumeRolePolicyDocument.Statement
	if len(st) != 1 {
		t.Fatalf("trust policy of %s has %d statements, want 1", role, len(st))
	}
	want := map[string]map[string]any{
		"StringEquals": {"aws:SourceAccount": caller.Account},
		"ArnLike":      {"aws:SourceArn": "arn:aws:ecs:eu-west-1:" + caller.Account + ":*"},
	}
	if diff := cmp.Diff(want, st[0].Condition); diff != "" || st[0].Principal["Service"] != "ecs-tasks.amazonaws.com" {
		t.Errorf("trust policy of %s: principal %v, conditions (-want +got):\n%s", role, st[0].Principal, diff)
	}
}
