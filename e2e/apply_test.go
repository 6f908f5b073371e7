package e2e

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestApplyCycle is issue 5's first acceptance item against the sandbox:
// apply from empty, an empty plan, adding and removing one Aurora instance
// without touching anything else, and a destroy that leaves nothing tagged
// and the ROSA networks as they were.
func TestApplyCycle(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	e.rosaNetworks(t)
	applyCycle(t, e)
}

// applyCycle runs the cycle against e, whose ROSA networks exist and
// which holds nothing of the stack yet.
func applyCycle(t *testing.T, e *env) {
	rosa := e.rosaNetwork(t)
	two := e.stackFile(t, "aurora-rosa.yaml", unprotected...)
	three := e.stackFile(t, "aurora-rosa.yaml", append([]string{"      instances: 2 ", "      instances: 3 "}, unprotected...)...)

	mustRun(t, "plan on an empty account", e.kcstack(t, "plan", "-f", two, "--detailed-exitcode"), 2, "Plan: 21 to add, 0 to change, 0 to destroy.")
	mustRun(t, "apply from empty", e.kcstack(t, "apply", "-f", two, "--auto-approve"), 0, "Apply complete! Resources: 21 added, 0 changed, 0 destroyed.")
	mustRun(t, "plan after apply", e.kcstack(t, "plan", "-f", two, "--detailed-exitcode"), 0, "No changes.")
	if diff := cmp.Diff(wantInventory, e.owned(t, stackName)); diff != "" {
		t.Fatalf("owned resources after apply (-want +got):\n%s", diff)
	}
	before := e.taggedARNs(t, stackName)

	t.Log("raise the instance count from 2 to 3: only database.instance[2] is created")
	if diff := cmp.Diff([]string{"create database.instance[2]"}, e.jsonPlan(t, three)); diff != "" {
		t.Fatalf("plan of 3 instances (-want +got):\n%s", diff)
	}
	mustRun(t, "apply 3 instances", e.kcstack(t, "apply", "-f", three, "--auto-approve"), 0, "Apply complete! Resources: 1 added, 0 changed, 0 destroyed.")
	after := e.taggedARNs(t, stackName)
	if diff := cmp.Diff(before, after, ignoreKey("database.instance[2]")); diff != "" {
		t.Errorf("resources other than the new instance changed (-before +after):\n%s", diff)
	}
	if !strings.Contains(after["database.instance[2]"], ":db:kc-aurora-3") {
		t.Errorf("database.instance[2] is %q, want the ARN of db kc-aurora-3", after["database.instance[2]"])
	}
	mustRun(t, "plan after apply of 3 instances", e.kcstack(t, "plan", "-f", three, "--detailed-exitcode"), 0, "No changes.")

	t.Log("lower it back to 2: only database.instance[2] is deleted, and only with --allow-delete")
	if diff := cmp.Diff([]string{"delete database.instance[2]"}, e.jsonPlan(t, two)); diff != "" {
		t.Fatalf("plan back to 2 instances (-want +got):\n%s", diff)
	}
	mustRun(t, "apply a delete with --auto-approve alone", e.kcstack(t, "apply", "-f", two, "--auto-approve"), 1,
		"this plan deletes or replaces 1 resources (database.instance[2])", "add --allow-delete")
	mustRun(t, "apply 2 instances", e.kcstack(t, "apply", "-f", two, "--auto-approve", "--allow-delete"), 0, "Apply complete! Resources: 0 added, 0 changed, 1 destroyed.")
	if diff := cmp.Diff(before, e.taggedARNs(t, stackName)); diff != "" {
		t.Errorf("back at 2 instances, the stack's resources differ from before (-before +after):\n%s", diff)
	}
	mustRun(t, "plan back at 2 instances", e.kcstack(t, "plan", "-f", two, "--detailed-exitcode"), 0, "No changes.")
	if diff := cmp.Diff(wantInventory, e.owned(t, stackName)); diff != "" {
		t.Fatalf("owned resources back at 2 instances (-want +got):\n%s", diff)
	}

	mustRun(t, "destroy", e.kcstack(t, "destroy", "-f", two, "--auto-approve"), 0, "Destroy complete! Resources: 21 destroyed.")
	if left := e.ended(t, e.taggedARNs(t, stackName)); len(left) > 0 {
		t.Errorf("after destroy the tagging API still lists resources tagged for the stack: %v", left)
	}
	if diff := cmp.Diff(emptyInventory, e.owned(t, stackName)); diff != "" {
		t.Errorf("owned resources after destroy (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(rosa, e.rosaNetwork(t)); diff != "" {
		t.Errorf("the ROSA networks changed between before apply and after destroy (-before +after):\n%s", diff)
	}
	mustRun(t, "plan after destroy", e.kcstack(t, "plan", "-f", two, "--detailed-exitcode"), 2, "Plan: 21 to add")
	if e.lockHeld(t, stackName) {
		t.Errorf("the stack lock is still held after destroy")
	}
}

func ignoreKey(key string) cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool {
		mi, ok := p.Last().(cmp.MapIndex)
		return ok && mi.Key().String() == key
	}, cmp.Ignore())
}

// TestApplyApproval checks what stands for approval when kcstack cannot
// ask: never standard input that is not a terminal.
func TestApplyApproval(t *testing.T) {
	t.Parallel()
	e, srv, file := rosaStack(t)
	cases := map[string]struct {
		reason string
		stdin  func(t *testing.T) *strings.Reader
		null   bool
	}{
		"devnull": {reason: "/dev/null is a character device but not a terminal: refuse, do not read it as an answer", null: true},
		"pipe":    {reason: "a pipe saying yes is not a reviewer: refuse", stdin: func(*testing.T) *strings.Reader { return strings.NewReader("yes\nsso-rosa\n") }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var r result
			if tc.null {
				r = e.kcstackIn(t, devNull(t), "apply", "-f", file)
			} else {
				r = e.kcstackIn(t, tc.stdin(t), "apply", "-f", file)
			}
			mustRun(t, tc.reason, r, 1, "standard input is not a terminal", "--auto-approve")
		})
	}
	if n := srv.Calls()["ec2"]["CreateVpc"]; n != 2 {
		// the two ROSA networks; none of the stack
		t.Errorf("CreateVpc called %d times, want 2 (the ROSA networks only): an unapproved apply changed AWS", n)
	}
}
