package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// TestApplyTamperedPlan is the acceptance item "tamper tests": a saved
// plan file edited to delete a VPC that belongs to no stack, to point an
// update at one, to open PostgreSQL to the world, to apply in another
// region, or edited without a
// matching digest, is refused naming the address; nothing changes in AWS
// (checked through the aws CLI) and no lock is left. The plan file is
// written 0600, and apply PLANFILE -f FILE is refused as ambiguous.
func TestApplyTamperedPlan(t *testing.T) {
	t.Parallel()
	e, _, file := rosaStack(t)
	mustRun(t, "apply", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	vpc := e.ownedVPC(t, "database.vpc")
	r := e.aws(t, "ec2", "create-vpc", "--cidr-block", "172.31.0.0/16")
	if r.Code != 0 {
		t.Fatalf("aws ec2 create-vpc: exit %d\n%s", r.Code, r.Stderr)
	}
	var made struct{ Vpc struct{ VpcId string } }
	check(t, "decode create-vpc", json.Unmarshal([]byte(r.Stdout), &made))
	foreign := made.Vpc.VpcId
	// A tag edited by hand gives the next plan an update of database.vpc.
	if r := e.aws(t, "ec2", "create-tags", "--resources", vpc, "--tags", "Key=team,Value=someone-else"); r.Code != 0 {
		t.Fatalf("aws ec2 create-tags: exit %d\n%s", r.Code, r.Stderr)
	}
	good := filepath.Join(e.Dir, "good.kcplan")
	mustRun(t, "plan --out", e.kcstack(t, "plan", "-f", file, "--out", good), 0, "Plan: 0 to add, 1 to change, 0 to destroy.")
	fi, err := os.Stat(good)
	check(t, "stat plan file", err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("plan file mode %v, want 0600", fi.Mode().Perm())
	}
	before := e.owned(t, stackName)

	cases := map[string]struct {
		reason string
		edit   func(p *plan.Plan)
		redo   bool // recompute the digest, as an attacker can
		wants  []string
	}{
		"AddedDeleteOfForeignVPC": {
			reason: "a delete appended to the plan is not derivable from its desired state",
			edit: func(p *plan.Plan) {
				p.Changes = append(p.Changes, plan.Change{Address: "targets.old.vpc", Kind: "ec2:vpc", Action: plan.ActionDelete, Name: foreign,
					Observed: &resource.Observation{Address: "targets.old.vpc", Kind: "ec2:vpc", Exists: true, ID: foreign, Owned: true}})
				p.Summary.Destroy++
			},
			redo:  true,
			wants: []string{"does not give", "targets.old.vpc", "Nothing was applied"},
		},
		"ForeignObservedID": {
			reason: "an update pointed at a VPC the stack does not own",
			edit: func(p *plan.Plan) {
				c := find(t, p, "database.vpc")
				c.Observed.ID = foreign
			},
			redo:  true,
			wants: []string{"database.vpc", "Nothing was applied"},
		},
		"EditedDesired": {
			reason: "a desired value edited in the file (5432 open to the world)",
			edit: func(p *plan.Plan) {
				find(t, p, "targets.rosa-a.database-ingress").Desired.Props["cidr_ipv4"] = "0.0.0.0/0"
			},
			redo:  true,
			wants: []string{"does not give", "targets.rosa-a.database-ingress", "Nothing was applied"},
		},
		"OtherRegion": {
			reason: "the plan pointed at another region (here refused as not the environment's region; without AWS_REGION it is stale: nothing it observed is there)",
			edit:   func(p *plan.Plan) { p.Region = "us-east-1" },
			redo:   true,
			wants:  []string{"us-east-1"},
		},
		"EditedDigest": {
			reason: "a digest that does not match the content",
			edit:   func(p *plan.Plan) { p.Digest = "sha256:" + strings.Repeat("0", 64) },
			wants:  []string{"was modified after kcstack plan wrote it", "nothing was applied"},
		},
		"EditedWithoutDigest": {
			reason: "content edited, digest left as it was",
			edit: func(p *plan.Plan) {
				find(t, p, "targets.rosa-a.database-ingress").Desired.Props["cidr_ipv4"] = "0.0.0.0/0"
			},
			wants: []string{"was modified after kcstack plan wrote it"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path := tamper(t, good, filepath.Join(e.Dir, name+".kcplan"), tc.edit, tc.redo)
			mustRun(t, tc.reason, e.kcstack(t, "apply", path, "--auto-approve", "--allow-delete"), 1, tc.wants...)
			if r := e.aws(t, "ec2", "describe-vpcs", "--vpc-ids", foreign); r.Code != 0 || strings.Contains(r.Stdout, "kcstack:") {
				t.Errorf("the foreign VPC %s was deleted or tagged: exit %d\n%s%s", foreign, r.Code, r.Stdout, r.Stderr)
			}
			if r := e.aws(t, "ec2", "describe-security-group-rules"); opensPostgres(r.Stdout) {
				t.Errorf("PostgreSQL was opened to 0.0.0.0/0:\n%s", r.Stdout)
			}
			if diff := cmp.Diff(before, e.owned(t, stackName)); diff != "" {
				t.Errorf("owned resources changed (-before +after):\n%s", diff)
			}
			if e.lockHeld(t, stackName) {
				t.Errorf("a refused apply left its lock behind")
			}
		})
	}

	mustRun(t, "apply PLANFILE -f FILE", e.kcstack(t, "apply", good, "-f", file, "--auto-approve"), 1, "is ambiguous", "drop -f")
	if r := e.aws(t, "ec2", "describe-tags", "--filters", "Name=resource-id,Values="+vpc, "Name=key,Values=team"); !strings.Contains(r.Stdout, "someone-else") {
		t.Errorf("the refused applies changed the tags of %s:\n%s", vpc, r.Stdout)
	}
	mustRun(t, "apply the untouched plan", e.kcstack(t, "apply", good, "--auto-approve"), 0, "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.")
	mustRun(t, "plan after it", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
}

// opensPostgres reports whether describe-security-group-rules output has
// a rule from 0.0.0.0/0 to port 5432.
func opensPostgres(out string) bool {
	var rules struct {
		SecurityGroupRules []struct {
			CidrIpv4 string
			FromPort int
		}
	}
	if json.Unmarshal([]byte(out), &rules) != nil {
		return false
	}
	for _, r := range rules.SecurityGroupRules {
		if r.CidrIpv4 == "0.0.0.0/0" && r.FromPort == 5432 {
			return true
		}
	}
	return false
}

// tamper writes to dst the plan file src edited by edit, with its digest
// recomputed when redo is set.
func tamper(t *testing.T, src, dst string, edit func(*plan.Plan), redo bool) string {
	t.Helper()
	b, err := os.ReadFile(src)
	check(t, "read plan", err)
	var p plan.Plan
	check(t, "decode plan", json.Unmarshal(b, &p))
	edit(&p)
	if redo {
		p.Digest, err = p.ContentDigest()
		check(t, "digest", err)
	}
	b, err = json.MarshalIndent(&p, "", "  ")
	check(t, "encode plan", err)
	check(t, "write plan", os.WriteFile(dst, b, 0o600))
	return dst
}

// find returns the change of p at address.
func find(t *testing.T, p *plan.Plan, address string) *plan.Change {
	t.Helper()
	for i := range p.Changes {
		if p.Changes[i].Address == address {
			return &p.Changes[i]
		}
	}
	t.Fatalf("the plan has no change at %s", address)
	return nil
}
