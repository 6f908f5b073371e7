package e2e

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"
)

// TestPlanAcceptance proves the acceptance items of issue 4 (kcstack plan)
// end to end: the kcstack binary plans and applies examples/aurora-rosa.yaml
// against one sandbox, and the aws CLI, a client nobody here wrote, makes
// the drift. The subtests share that applied stack and run in order.
func TestPlanAcceptance(t *testing.T) {
	t.Parallel()
	e, srv := newSandbox(t)
	e.rosaNetworks(t)
	file := e.stackFile(t, "aurora-rosa.yaml")

	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"an empty account plans every owned resource as a create", func(t *testing.T) { planCreatesEverything(t, e, file) }},
		{"after apply the plan is No changes", func(t *testing.T) { planNoChangesAfterApply(t, e, file) }},
		{"a no-change plan reads each kind with one call", func(t *testing.T) { planCallsPerKind(t, srv, e.cfg, file) }},
		{"drift made with the aws CLI plans exactly that change", func(t *testing.T) { planDrift(t, e, file) }},
		{"a changed file plans exactly its changes", func(t *testing.T) { planFileChanges(t, e, file) }},
		{"resources tagged for the stack but not in the file are deleted, look-alikes left alone", func(t *testing.T) { planOwnership(t, e, file) }},
	}
	for _, s := range steps {
		if !t.Run(s.name, s.run) {
			t.Fatalf("%s failed; the later steps need it", s.name)
		}
	}
}

// planCreatesEverything: `kcstack plan --detailed-exitcode` exits 2 and
// lists every owned resource as a create; the JSON form parses and its
// counts match the text summary.
func planCreatesEverything(t *testing.T, e *env, file string) {
	text := e.kcstack(t, "plan", "-f", file, "--detailed-exitcode")
	if text.Code != 2 {
		t.Fatalf("plan --detailed-exitcode: exit %d, want 2\n%s%s", text.Code, text.Stdout, text.Stderr)
	}
	for _, a := range ownedAddresses {
		if !strings.Contains(text.Stdout, "# "+a+" will be created\n") {
			t.Errorf("text plan does not say %q", "# "+a+" will be created")
		}
	}
	p, code := e.planJSON(t, file)
	if code != 2 {
		t.Errorf("plan --format json --detailed-exitcode: exit %d, want 2", code)
	}
	if p.FormatVersion != "1.0" || p.Stack != "sso-rosa" {
		t.Errorf("format_version %q stack %q, want 1.0 and sso-rosa", p.FormatVersion, p.Stack)
	}
	if diff := cmp.Diff(everyAddress(ownedAddresses, "create"), p.actions()); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	want := summaryJSON{Add: len(ownedAddresses)}
	if diff := cmp.Diff(want, textSummary(t, text.Stdout)); diff != "" {
		t.Errorf("text summary line (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, p.Summary); diff != "" {
		t.Errorf("json summary (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, p.countActions()); diff != "" {
		t.Errorf("json resource_changes counted by action (-want +got):\n%s", diff)
	}
}

// planNoChangesAfterApply: once apply has created everything, with its
// tags, the plan is `No changes.` and --detailed-exitcode exits 0.
func planNoChangesAfterApply(t *testing.T, e *env, file string) {
	if r := e.kcstack(t, "apply", "-f", file, "--auto-approve"); r.Code != 0 {
		t.Fatalf("apply: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	assertNoChanges(t, e, file)
}

func assertNoChanges(t *testing.T, e *env, file string) {
	t.Helper()
	r := e.kcstack(t, "plan", "-f", file, "--detailed-exitcode", "--trace")
	if r.Code != 0 || !strings.Contains(r.Stdout, "No changes.") || strings.Contains(r.Stdout, "Plan:") {
		t.Fatalf("plan: exit %d, want 0 and No changes.\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}

// planDrift: each drift made with the aws CLI plans exactly that change
// (the addresses, actions and diff paths, nothing else), and apply then
// converges back to No changes.
func planDrift(t *testing.T, e *env, file string) {
	cases := []struct {
		name    string
		reason  string
		drift   func(t *testing.T, e *env)
		actions map[string]string
		paths   map[string][]string
	}{
		{
			name:    "db security group rule revoked",
			reason:  "the rule that opens 5432 to rosa-a's machine CIDR is gone, so it is created again",
			drift:   revokeIngress("targets.rosa-a.database-ingress"),
			actions: map[string]string{"targets.rosa-a.database-ingress": "create"},
			paths:   map[string][]string{},
		},
		{
			name:    "instance class modified",
			reason:  "the class is changed in place, not by replacing the instance",
			drift:   modifyInstanceClass("kc-aurora-1", "db.r7g.xlarge"),
			actions: map[string]string{"database.instance[0]": "update"},
			paths:   map[string][]string{"database.instance[0]": {"instance_class"}},
		},
		{
			name:    "route deleted from a ROSA route table",
			reason:  "one of rosa-a's three private route tables lost its route to the database: the route set is updated",
			drift:   deleteROSARoute("gh-keycloak-a-vpc", "192.168.0.0/24"),
			actions: map[string]string{"targets.rosa-a.routes-to-database": "update"},
			paths:   map[string][]string{"targets.rosa-a.routes-to-database": {"route_table_ids"}},
		},
	}
	for _, tc := range cases {
		if !t.Run(tc.name, func(t *testing.T) {
			tc.drift(t, e)
			p, code := e.planJSON(t, file)
			if code != 2 {
				t.Errorf("plan --detailed-exitcode: exit %d, want 2", code)
			}
			if diff := cmp.Diff(tc.actions, p.actions()); diff != "" {
				t.Errorf("%s\nchanges (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.paths, p.diffPaths()); diff != "" {
				t.Errorf("%s\ndiff paths (-want +got):\n%s", tc.reason, diff)
			}
			if r := e.kcstack(t, "apply", "-f", file, "--auto-approve"); r.Code != 0 {
				t.Fatalf("apply: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
			}
			assertNoChanges(t, e, file)
		}) {
			t.FailNow()
		}
	}
}

// revokeIngress revokes, with the aws CLI, the security group rule tagged
// with address (found through the SDK: each aws CLI run costs seconds).
func revokeIngress(address string) func(t *testing.T, e *env) {
	return func(t *testing.T, e *env) {
		out, err := e.ec2().DescribeSecurityGroupRules(context.Background(), &ec2.DescribeSecurityGroupRulesInput{
			Filters: []ec2types.Filter{{Name: aws.String("tag:kcstack:address"), Values: []string{address}}},
		})
		if err != nil || len(out.SecurityGroupRules) != 1 {
			t.Fatalf("rules tagged %s: %v, want one (%v)", address, out, err)
		}
		r := out.SecurityGroupRules[0]
		e.awsOK(t, "ec2", "revoke-security-group-ingress", "--group-id", aws.ToString(r.GroupId), "--security-group-rule-ids", aws.ToString(r.SecurityGroupRuleId))
	}
}

// modifyInstanceClass changes an instance's class at once with the aws CLI
// and waits until the instance is available again (polling through the
// SDK: the aws CLI's waiter sleeps 30 s between polls).
func modifyInstanceClass(id, class string) func(t *testing.T, e *env) {
	return func(t *testing.T, e *env) {
		e.awsOK(t, "rds", "modify-db-instance", "--db-instance-identifier", id, "--db-instance-class", class, "--apply-immediately")
		client := rds.NewFromConfig(e.cfg)
		deadline := time.Now().Add(30 * time.Second)
		for {
			out, err := client.DescribeDBInstances(context.Background(), &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id)})
			if err != nil {
				t.Fatalf("describe db instance %s: %v", id, err)
			}
			i := out.DBInstances[0]
			if aws.ToString(i.DBInstanceStatus) == "available" && aws.ToString(i.DBInstanceClass) == class {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance %s not available with class %s after 30s: %s %s", id, class, aws.ToString(i.DBInstanceStatus), aws.ToString(i.DBInstanceClass))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// deleteROSARoute deletes, with the aws CLI, the route to dest from the
// first route table (by id) of the VPC named vpcName that has one.
func deleteROSARoute(vpcName, dest string) func(t *testing.T, e *env) {
	return func(t *testing.T, e *env) {
		ctx := context.Background()
		vpcs, err := e.ec2().DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{vpcName}}}})
		if err != nil || len(vpcs.Vpcs) != 1 {
			t.Fatalf("vpcs named %s: %v, want one (%v)", vpcName, vpcs, err)
		}
		tables, err := e.ec2().DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{aws.ToString(vpcs.Vpcs[0].VpcId)}}}})
		if err != nil {
			t.Fatal(err)
		}
		var with []string
		for _, rt := range tables.RouteTables {
			for _, r := range rt.Routes {
				if aws.ToString(r.DestinationCidrBlock) == dest {
					with = append(with, aws.ToString(rt.RouteTableId))
				}
			}
		}
		sort.Strings(with)
		if len(with) < 2 {
			t.Fatalf("route tables of %s with a route to %s: %v, want at least two (one per private subnet)", vpcName, dest, with)
		}
		e.awsOK(t, "ec2", "delete-route", "--route-table-id", with[0], "--destination-cidr-block", dest)
	}
}

// planFileChanges: edits of the file plan exactly their changes; a
// replacement names the field that forces it. Plans only: AWS is not
// changed, so the cases run in parallel.
func planFileChanges(t *testing.T, e *env, file string) {
	cases := map[string]struct {
		reason   string
		edit     []string
		actions  map[string]string
		replaces map[string]string // address → the field its replace_reasons and text name
		// protected: the plan replaces the cluster, whose deletion
		// protection is on; it is shown, then refused (exit 1).
		protected bool
	}{
		"engine major version": {
			reason: "Aurora cannot upgrade a major version in place from kcstack: the cluster is replaced, and its instances with it",
			edit:   []string{`engineVersion: "16.8"`, `engineVersion: "17.4"`},
			actions: map[string]string{
				"database.cluster": "replace", "database.instance[0]": "replace", "database.instance[1]": "replace",
			},
			replaces:  map[string]string{"database.cluster": "engine_version", "database.instance[0]": "cluster_identifier", "database.instance[1]": "cluster_identifier"},
			protected: true,
		},
		"cluster identifier": {
			reason: "a cluster cannot be renamed by kcstack: a new identifier is a new cluster; the instance identifiers derive from it",
			edit:   []string{"clusterIdentifier: kc-aurora", "clusterIdentifier: kc-aurora-next"},
			actions: map[string]string{
				"database.cluster": "replace", "database.instance[0]": "replace", "database.instance[1]": "replace",
			},
			replaces:  map[string]string{"database.cluster": "identifier", "database.instance[0]": "identifier", "database.instance[1]": "identifier"},
			protected: true,
		},
		"target removed": {
			reason: "rosa-b's peering, its routes on both sides and its ingress rule are tagged for the stack (routes through the owned peering) but no longer described",
			edit: []string{`    - name: rosa-b
      rosa:
        cluster: gh-keycloak-b
        vpc: {tags: {Name: gh-keycloak-b-vpc}}
        machineCidr: 10.1.0.0/16     # a different range from rosa-a: both peer with Aurora
        namespace: keycloak
        instances: 3
`, ""},
			actions: map[string]string{
				"targets.rosa-b.peering": "delete", "targets.rosa-b.routes-to-database": "delete",
				"targets.rosa-b.routes-from-database": "delete", "targets.rosa-b.database-ingress": "delete",
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			edited := e.stackFile(t, "aurora-rosa.yaml", tc.edit...)
			p, code := e.planJSON(t, edited)
			if want := map[bool]int{false: 2, true: 1}[tc.protected]; code != want {
				t.Errorf("plan --detailed-exitcode: exit %d, want %d", code, want)
			}
			if diff := cmp.Diff(tc.actions, p.actions()); diff != "" {
				t.Errorf("%s\nchanges (-want +got):\n%s", tc.reason, diff)
			}
			if len(tc.replaces) == 0 {
				return
			}
			text := e.kcstack(t, "plan", "-f", edited)
			for addr, field := range tc.replaces {
				c := p.change(t, addr)
				if !anyHasPrefix(c.ReplaceReasons, field+":") {
					t.Errorf("%s: replace_reasons %q do not name %s", addr, c.ReplaceReasons, field)
				}
				if !forcedBy(c, field) {
					t.Errorf("%s: no diff of %s with forces_replace: %+v", addr, field, c.Diffs)
				}
				if !textForces(text.Stdout, addr, field) {
					t.Errorf("%s: the text plan does not mark %s with # forces replacement:\n%s", addr, field, text.Stdout)
				}
			}
		})
	}
}

func anyHasPrefix(ss []string, prefix string) bool {
	for _, s := range ss {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func forcedBy(c changeJSON, field string) bool {
	for _, d := range c.Diffs {
		if d.Path == field && d.ForcesReplace {
			return true
		}
	}
	return false
}

// textForces reports whether the text plan's block of address has a line
// for field marked `# forces replacement`.
func textForces(text, address, field string) bool {
	_, block, ok := strings.Cut(text, "# "+address+" must be replaced\n")
	if !ok {
		return false
	}
	block, _, _ = strings.Cut(block, "\n    }\n")
	for _, line := range strings.Split(block, "\n") {
		if strings.Contains(line, " "+field+" ") && strings.Contains(line, "# forces replacement") {
			return true
		}
	}
	return false
}

// planOwnership: a security group tagged for the stack but absent from the
// file (made with the aws CLI) is planned for deletion; look-alikes that
// are not tagged for the stack (the same name and description in another
// VPC, a VPC with the database's CIDR and Name, a group of another stack)
// are not in the plan at all. Apply deletes the tagged group only, and
// only with --allow-delete.
func planOwnership(t *testing.T, e *env, file string) {
	ctx := context.Background()
	dbVPC := vpcID(t, e, "tag:kcstack:address", "database.vpc")
	rosaVPC := vpcID(t, e, "tag:Name", "gh-keycloak-a-vpc")
	e.awsOK(t, "ec2", "create-security-group", "--vpc-id", dbVPC, "--group-name", "sso-rosa-extra", "--description", "extra",
		"--tag-specifications", "ResourceType=security-group,Tags=[{Key=kcstack:stack,Value=sso-rosa},{Key=kcstack:address,Value=database.extra-sg}]")
	lookAlikes := map[string]*ec2.CreateSecurityGroupInput{
		"same name, untagged": {VpcId: aws.String(rosaVPC), GroupName: aws.String("sso-rosa-extra"), Description: aws.String("extra")},
		"the database group's name, untagged": {VpcId: aws.String(rosaVPC), GroupName: aws.String("sso-rosa-aurora"),
			Description: aws.String("Aurora PostgreSQL of kcstack stack sso-rosa")},
		"another stack's": {VpcId: aws.String(dbVPC), GroupName: aws.String("other-extra"), Description: aws.String("extra"),
			TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSecurityGroup, Tags: []ec2types.Tag{
				{Key: aws.String("kcstack:stack"), Value: aws.String("other")}, {Key: aws.String("kcstack:address"), Value: aws.String("database.extra-sg")}}}}},
	}
	var keep []string
	for name, in := range lookAlikes {
		out, err := e.ec2().CreateSecurityGroup(ctx, in)
		if err != nil {
			t.Fatalf("create the look-alike %s: %v", name, err)
		}
		keep = append(keep, aws.ToString(out.GroupId))
	}
	vpc, err := e.ec2().CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("192.168.0.0/24"), TagSpecifications: []ec2types.TagSpecification{
		{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("sso-rosa-aurora")}}}}})
	if err != nil {
		t.Fatalf("create the look-alike database vpc: %v", err)
	}

	p, code := e.planJSON(t, file)
	if code != 2 {
		t.Errorf("plan --detailed-exitcode: exit %d, want 2", code)
	}
	if diff := cmp.Diff(map[string]string{"database.extra-sg": "delete"}, p.actions()); diff != "" {
		t.Errorf("only the group tagged for the stack is deleted (-want +got):\n%s", diff)
	}
	if r := e.kcstack(t, "apply", "-f", file, "--auto-approve"); r.Code == 0 {
		t.Errorf("apply --auto-approve deleted without --allow-delete\n%s%s", r.Stdout, r.Stderr)
	}
	if r := e.kcstack(t, "apply", "-f", file, "--auto-approve", "--allow-delete"); r.Code != 0 {
		t.Fatalf("apply --allow-delete: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	assertNoChanges(t, e, file)
	groups, err := e.ec2().DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: keep})
	if err != nil || len(groups.SecurityGroups) != len(keep) {
		t.Errorf("the look-alike groups are not all left: %v %v", groups, err)
	}
	if _, err := e.ec2().DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(vpc.Vpc.VpcId)}}); err != nil {
		t.Errorf("the look-alike vpc is gone: %v", err)
	}
}

// vpcID returns the id of the one VPC whose filter name has value.
func vpcID(t *testing.T, e *env, name, value string) string {
	t.Helper()
	out, err := e.ec2().DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String(name), Values: []string{value}}}})
	if err != nil || len(out.Vpcs) != 1 {
		t.Fatalf("vpcs with %s=%s: %v, want one (%v)", name, value, out, err)
	}
	return aws.ToString(out.Vpcs[0].VpcId)
}
