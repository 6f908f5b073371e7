package e2e

import (
	"strings"
	"testing"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// dnsStack is the stack name of examples/ecs-dns-ping.yaml.
const dnsStack = "sso-dns"

// verifyDoc is kcstack verify --format json.
type verifyDoc struct {
	FormatVersion string `json:"format_version"`
	Stack         string `json:"stack"`
	Passed        bool   `json:"passed"`
	Checks        []struct {
		Name    string   `json:"name"`
		Address string   `json:"address"`
		Status  string   `json:"status"`
		Message string   `json:"message"`
		Details []string `json:"details"`
		Hint    string   `json:"hint"`
	} `json:"checks"`
}

// failed returns the failed checks' name, message and details, one line
// each.
func (d verifyDoc) failed() []string {
	var out []string
	for _, c := range d.Checks {
		if c.Status == "fail" {
			out = append(out, c.Address+" "+c.Name+": "+c.Message+" "+strings.Join(c.Details, "; "))
		}
	}
	return out
}

// appliedDNSStack applies examples/ecs-dns-ping.yaml on a sandbox made
// with opts and waits until it verifies.
func appliedDNSStack(t *testing.T, opts ...sandbox.Option) (*env, string) {
	t.Helper()
	e, _ := newSandbox(t, opts...)
	file := e.stackFile(t, "ecs-dns-ping.yaml")
	mustRun(t, "apply --wait", e.kcstack(t, "apply", "-f", file, "--auto-approve", "--wait", "--wait-timeout", "2m"), 0,
		"Apply complete!", "Stack verified: every check passes.")
	return e, file
}

// verifyBoth runs kcstack verify in both forms on the stack of
// examples/ecs-dns-ping.yaml (verifyStack).
func verifyBoth(t *testing.T, e *env, file string, code int) (string, verifyDoc) {
	t.Helper()
	return verifyStack(t, e, file, dnsStack, code)
}

// verifyStack runs kcstack verify in both forms, checks that they exit
// with code and that the JSON form agrees and names stack, and returns
// the text output and the JSON document.
func verifyStack(t *testing.T, e *env, file, stack string, code int) (string, verifyDoc) {
	t.Helper()
	text := e.kcstack(t, "verify", "-f", file)
	mustRun(t, "verify", text, code)
	r := e.kcstack(t, "verify", "-f", file, "--format", "json")
	mustRun(t, "verify --format json", r, code)
	var doc verifyDoc
	decode(t, "verify --format json", r.Stdout, &doc)
	if doc.FormatVersion != "1" || doc.Stack != stack || doc.Passed != (code == 0) {
		t.Errorf("verify JSON: format_version %q stack %q passed %v, want 1, %s, %v", doc.FormatVersion, doc.Stack, doc.Passed, stack, code == 0)
	}
	return text.Stdout, doc
}

// TestVerifyAfterApply is the acceptance item "kcstack verify passes
// after apply": every check passes, in text and JSON, with exit 0, and
// each kind of check was made.
func TestVerifyAfterApply(t *testing.T) {
	t.Parallel()
	e, file := appliedDNSStack(t)
	text, doc := verifyBoth(t, e, file, 0)
	if !strings.Contains(text, "Verified: 9 passed, 0 failed, 0 skipped.") {
		t.Errorf("verify text lacks its summary:\n%s", text)
	}
	made := map[string]bool{}
	for _, c := range doc.Checks {
		made[c.Name] = true
		if c.Status != "pass" {
			t.Errorf("check %s of %s: %s (%s), want pass", c.Name, c.Address, c.Status, c.Message)
		}
	}
	for _, name := range []string{"aurora members available", "aurora promotion tiers", "peering active", "peering routes",
		"database ingress rule", "service steady", "targets healthy", "cloud map instances"} {
		if !made[name] {
			t.Errorf("verify made no %q check: %v", name, made)
		}
	}
}

// TestVerifyFindsBreakage is the acceptance item "verify fails, naming the
// cause": a change made by hand with the aws CLI after apply makes verify
// exit 1, naming it in text and in JSON.
func TestVerifyFindsBreakage(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		reason string
		// breakIt changes the stack by hand and returns what verify must
		// name.
		breakIt func(t *testing.T, e *env) string
	}{
		"route deleted": {
			reason: "a peering route deleted from one of the ECS target's route tables is named with its table",
			breakIt: func(t *testing.T, e *env) string {
				table := peeringTable(t, e, "192.168.10.0/24")
				mustRun(t, "delete-route", e.aws(t, "ec2", "delete-route", "--route-table-id", table, "--destination-cidr-block", "192.168.10.0/24"), 0)
				return "route table " + table + ": no route to 192.168.10.0/24"
			},
		},
		"5432 rule revoked": {
			reason: "the database's ingress rule for the ECS tasks revoked is named with both groups",
			breakIt: func(t *testing.T, e *env) string {
				db, tasks := groupID(t, e, "sso-dns-aurora"), groupID(t, e, "sso-dns-ecs-tasks")
				mustRun(t, "revoke-security-group-ingress", e.aws(t, "ec2", "revoke-security-group-ingress", "--group-id", db,
					"--ip-permissions", "IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId="+tasks+"}]"), 0)
				return "no ingress rule for tcp 5432 from " + tasks + " on the database security group " + db
			},
		},
		"Cloud Map instance deregistered": {
			reason: "a running task deregistered from Cloud Map is named as missing",
			breakIt: func(t *testing.T, e *env) string {
				svc := discoveryService(t, e, "keycloak-discovery")
				var out struct{ Instances []struct{ Id string } }
				r := e.aws(t, "servicediscovery", "list-instances", "--service-id", svc)
				mustRun(t, "list-instances", r, 0)
				decode(t, "list-instances", r.Stdout, &out)
				if len(out.Instances) == 0 {
					t.Fatalf("Cloud Map service %s has no instances after apply --wait", svc)
				}
				mustRun(t, "deregister-instance", e.aws(t, "servicediscovery", "deregister-instance", "--service-id", svc, "--instance-id", out.Instances[0].Id), 0)
				return "is running but not registered"
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, file := appliedDNSStack(t)
			want := tc.breakIt(t, e)
			text, doc := verifyBoth(t, e, file, 1)
			if !strings.Contains(text, want) || !strings.Contains(text, "Verification failed:") {
				t.Errorf("%s: verify text does not name %q:\n%s", tc.reason, want, text)
			}
			if failed := doc.failed(); len(failed) != 1 || !strings.Contains(failed[0], want) {
				t.Errorf("%s: verify JSON fails %q, want one check naming %q", tc.reason, failed, want)
			}
		})
	}
}

// TestVerifyUnhealthyTasks is the acceptance item "verify fails when a
// task fails its health check": with every task failing (task failure
// rate 1) apply --wait times out failing the target group's targets and
// verify fails on the service, both naming the stopped tasks' reason.
// Which targets are registered at a given moment depends on timing (the
// sandbox replaces failed tasks within milliseconds): the naming of each
// unhealthy target with its task is TestService's, in pkg/verify.
func TestVerifyUnhealthyTasks(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t, sandbox.WithFaults(sandbox.Faults{TaskFailureRate: 1, Seed: 1}))
	file := e.stackFile(t, "ecs-dns-ping.yaml")
	r := e.kcstack(t, "apply", "-f", file, "--auto-approve", "--wait", "--wait-timeout", "3s")
	failedHealth := "stopped: Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sso-dns-ecs/"
	mustRun(t, "apply --wait at task failure rate 1", r, 1, "Apply complete!",
		"the stack did not verify within --wait-timeout 3s", "targets.ecs.service: targets healthy", failedHealth)
	if e.lockHeld(t, dnsStack) {
		t.Errorf("apply --wait that timed out left the stack lock behind")
	}
	text, doc := verifyBoth(t, e, file, 1)
	for _, want := range []string{"FAIL  targets.ecs.service: targets healthy", failedHealth} {
		if !strings.Contains(text, want) {
			t.Errorf("verify text lacks %q:\n%s", want, text)
		}
	}
	if failed := strings.Join(doc.failed(), "\n"); !strings.Contains(failed, "targets healthy") {
		t.Errorf("verify JSON does not fail the targets: %s", failed)
	}
}

// TestApplyWaitInterrupted is the acceptance item "apply --wait respects
// Ctrl-C": an interrupt during the wait stops it at once with exit 130,
// undoes nothing and leaves no lock.
func TestApplyWaitInterrupted(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t, sandbox.WithFaults(sandbox.Faults{TaskFailureRate: 1, Seed: 1}))
	file := e.stackFile(t, "ecs-dns-ping.yaml")
	p := e.startUntilStderr(t, "Waiting up to", "apply", "-f", file, "--auto-approve", "--wait", "--wait-timeout", "2m")
	select {
	case <-p.stderr.seen:
		p.interrupt(t)
	case <-p.done:
	}
	r := p.wait(t)
	mustRun(t, "apply --wait interrupted", r, 130, "Apply complete!", "Stopped waiting: the apply is complete, nothing was undone and the stack lock is released.")
	if e.lockHeld(t, dnsStack) {
		t.Errorf("apply --wait interrupted left the stack lock behind")
	}
	mustRun(t, "plan after the interrupted wait", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
}

// peeringTable returns a route table that routes cidr through a peering.
func peeringTable(t *testing.T, e *env, cidr string) string {
	t.Helper()
	var out struct {
		RouteTables []struct {
			RouteTableId string
			Routes       []struct{ DestinationCidrBlock, VpcPeeringConnectionId string }
		}
	}
	r := e.aws(t, "ec2", "describe-route-tables")
	mustRun(t, "describe-route-tables", r, 0)
	decode(t, "describe-route-tables", r.Stdout, &out)
	for _, rt := range out.RouteTables {
		for _, route := range rt.Routes {
			if route.DestinationCidrBlock == cidr && route.VpcPeeringConnectionId != "" {
				return rt.RouteTableId
			}
		}
	}
	t.Fatalf("no route table routes %s through a peering", cidr)
	return ""
}

// groupID returns the id of the security group called name.
func groupID(t *testing.T, e *env, name string) string {
	t.Helper()
	r := e.aws(t, "ec2", "describe-security-groups", "--filters", "Name=group-name,Values="+name)
	mustRun(t, "describe-security-groups", r, 0)
	var out struct{ SecurityGroups []struct{ GroupId string } }
	decode(t, "describe-security-groups", r.Stdout, &out)
	if len(out.SecurityGroups) != 1 {
		t.Fatalf("security groups called %s: %d, want 1", name, len(out.SecurityGroups))
	}
	return out.SecurityGroups[0].GroupId
}

// discoveryService returns the id of the Cloud Map service called name.
func discoveryService(t *testing.T, e *env, name string) string {
	t.Helper()
	r := e.aws(t, "servicediscovery", "list-services")
	mustRun(t, "list-services", r, 0)
	var out struct{ Services []struct{ Id, Name string } }
	decode(t, "list-services", r.Stdout, &out)
	for _, s := range out.Services {
		if s.Name == name {
			return s.Id
		}
	}
	t.Fatalf("no Cloud Map service %s", name)
	return ""
}
