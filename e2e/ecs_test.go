package e2e

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

// ecsExample is one ECS example and what its acceptance checks need.
type ecsExample struct {
	file, stack, target string
	// edits are applied besides the unprotected database edit.
	edits []string
	// sticky is the stickiness the edited file asks for.
	sticky bool
	// healthPort is the target group's health check port for its version.
	healthPort string
	// databaseCIDR is the Aurora VPC's CIDR, where the tasks may connect.
	databaseCIDR string
}

// unprotectedECS lets the tests destroy an ECS example's database: every
// ECS example's Aurora block has "      instances: 2".
var unprotectedECS = []string{"      instances: 2", "      deletionProtection: false\n      skipFinalSnapshot: true\n      instances: 2"}

var ecsExamples = map[string]ecsExample{
	"jdbc-ping": {file: "ecs-jdbc-ping.yaml", stack: "sso-prod", target: "ecs-main", healthPort: "9000", databaseCIDR: "192.168.0.0/24",
		edits: []string{"stickySessions: false", "stickySessions: true"}, sticky: true},
	"dns-ping": {file: "ecs-dns-ping.yaml", stack: "sso-dns", target: "ecs", healthPort: "9000", databaseCIDR: "192.168.10.0/24"},
	"s3-ping":  {file: "ecs-s3-ping.yaml", stack: "sso-s3", target: "ecs", healthPort: "9000", databaseCIDR: "192.168.20.0/24"},
}

// TestECSExamples proves issue 6's acceptance for each ECS example against
// its own sandbox: apply from empty, then No changes; the aws CLI confirms
// the security groups (ingress and egress), the load balancer's dropping
// of invalid header fields, the roles' trust conditions, the task
// definition's secrets, the target group's
// health check and stickiness, and the discovery mode's wiring; destroy
// removes everything, the NAT gateway's address and the bucket included.
func TestECSExamples(t *testing.T) {
	t.Parallel()
	for name, ex := range ecsExamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, _ := newSandbox(t)
			file := e.stackFile(t, ex.file, append(append([]string(nil), unprotectedECS...), ex.edits...)...)
			mustRun(t, "apply from empty", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
			mustRun(t, "plan after apply", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
			checkApplied(t, e, name, ex)
			if name == "jdbc-ping" {
				checkInPlaceChanges(t, e, ex)
			}
			mustRun(t, "destroy", e.kcstack(t, "destroy", "-f", file, "--auto-approve"), 0, "Destroy complete!")
			checkNothingLeft(t, e, ex)
		})
	}
}

// checkApplied checks through the aws CLI what the applied example name
// made: its security groups, task definition and target group, and the
// wiring of its discovery mode.
func checkApplied(t *testing.T, e *env, name string, ex ecsExample) {
	t.Helper()
	checkSecurityGroups(t, e, ex)
	checkLeastPrivilege(t, e, ex)
	env := checkTaskDefinition(t, e, ex)
	checkTargetGroup(t, e, ex)
	checkNATPerZone(t, e, ex)
	switch name {
	case "dns-ping":
		checkDNSPing(t, e, ex, env)
	case "s3-ping":
		checkS3Ping(t, e, ex)
	}
}

// awsJSON runs the aws CLI and returns its output; a failure fails t.
func awsJSON(t *testing.T, e *env, args ...string) string {
	t.Helper()
	r := e.aws(t, args...)
	if r.Code != 0 {
		t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), r.Code, r.Stderr)
	}
	return r.Stdout
}

func decode(t *testing.T, what, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, s)
	}
}

type securityGroup struct {
	GroupID             string `json:"GroupId"`
	Tags                []struct{ Key, Value string }
	IPPermissions       []permission `json:"IpPermissions"`
	IPPermissionsEgress []permission `json:"IpPermissionsEgress"`
}

// permission is a rule of describe-security-groups.
type permission struct {
	IPProtocol       string `json:"IpProtocol"`
	FromPort, ToPort int
	IPRanges         []struct {
		CidrIP string `json:"CidrIp"`
	} `json:"IpRanges"`
	UserIDGroupPairs []struct {
		GroupID string `json:"GroupId"`
	} `json:"UserIdGroupPairs"`
}

func (g securityGroup) address() string {
	for _, tag := range g.Tags {
		if tag.Key == resource.TagAddress {
			return tag.Value
		}
	}
	return ""
}

// checkSecurityGroups: the tasks' group admits 7800 and 57800 only from
// itself, and nothing of the stack admits 0.0.0.0/0 but the load
// balancer's 443 and 80.
func checkSecurityGroups(t *testing.T, e *env, ex ecsExample) {
	var out struct{ SecurityGroups []securityGroup }
	decode(t, "describe-security-groups", awsJSON(t, e, "ec2", "describe-security-groups",
		"--filters", "Name=tag:"+resource.TagStack+",Values="+ex.stack), &out)
	prefix := "targets." + ex.target
	jgroups := map[int]bool{}
	for _, g := range out.SecurityGroups {
		for _, p := range g.IPPermissions {
			for _, r := range p.IPRanges {
				open := g.address() == prefix+".lb-security-group" && (p.FromPort == 443 || p.FromPort == 80) && p.ToPort == p.FromPort
				if r.CidrIP == "0.0.0.0/0" && !open {
					t.Errorf("%s admits %d-%d from 0.0.0.0/0", g.address(), p.FromPort, p.ToPort)
				}
			}
			if g.address() != prefix+".task-security-group" || (p.FromPort != 7800 && p.FromPort != 57800) {
				continue
			}
			jgroups[p.FromPort] = true
			if len(p.IPRanges) > 0 || len(p.UserIDGroupPairs) != 1 || p.UserIDGroupPairs[0].GroupID != g.GroupID {
				t.Errorf("tasks' group admits %d from %+v %+v, want only itself (%s)", p.FromPort, p.IPRanges, p.UserIDGroupPairs, g.GroupID)
			}
		}
	}
	if !jgroups[7800] || !jgroups[57800] {
		t.Errorf("tasks' group opens JGroups ports %v, want 7800 and 57800", jgroups)
	}
}

// checkTaskDefinition: the DB password is a secrets entry, never a plain
// variable; it returns the plain environment.
func checkTaskDefinition(t *testing.T, e *env, ex ecsExample) map[string]string {
	var out struct {
		TaskDefinition struct {
			ContainerDefinitions []struct {
				Environment []struct{ Name, Value string }
				Secrets     []struct{ Name, ValueFrom string }
			}
		}
	}
	decode(t, "describe-task-definition", awsJSON(t, e, "ecs", "describe-task-definition", "--task-definition", ex.stack+"-"+ex.target), &out)
	if len(out.TaskDefinition.ContainerDefinitions) != 1 {
		t.Fatalf("task definition has %d containers, want 1", len(out.TaskDefinition.ContainerDefinitions))
	}
	c := out.TaskDefinition.ContainerDefinitions[0]
	env := map[string]string{}
	for _, kv := range c.Environment {
		env[kv.Name] = kv.Value
	}
	if _, ok := env["KC_DB_PASSWORD"]; ok {
		t.Error("KC_DB_PASSWORD is a plain environment variable")
	}
	if !slices.ContainsFunc(c.Secrets, func(s struct{ Name, ValueFrom string }) bool {
		return s.Name == "KC_DB_PASSWORD" && strings.Contains(s.ValueFrom, ":secretsmanager:") && strings.HasSuffix(s.ValueFrom, ":password::")
	}) {
		t.Errorf("secrets %+v lack KC_DB_PASSWORD from the RDS-managed secret", c.Secrets)
	}
	return env
}

// checkTargetGroup: health check on /health/ready at the version's port,
// stickiness as the file says.
func checkTargetGroup(t *testing.T, e *env, ex ecsExample) {
	var tgs struct {
		TargetGroups []struct{ TargetGroupArn, HealthCheckPath, HealthCheckPort string }
	}
	decode(t, "describe-target-groups", awsJSON(t, e, "elbv2", "describe-target-groups", "--names", ex.stack+"-"+ex.target), &tgs)
	if len(tgs.TargetGroups) != 1 {
		t.Fatalf("%d target groups named %s-%s, want 1", len(tgs.TargetGroups), ex.stack, ex.target)
	}
	tg := tgs.TargetGroups[0]
	if tg.HealthCheckPath != "/health/ready" || tg.HealthCheckPort != ex.healthPort {
		t.Errorf("health check %s on port %s, want /health/ready on %s", tg.HealthCheckPath, tg.HealthCheckPort, ex.healthPort)
	}
	var attrs struct{ Attributes []struct{ Key, Value string } }
	decode(t, "describe-target-group-attributes", awsJSON(t, e, "elbv2", "describe-target-group-attributes", "--target-group-arn", tg.TargetGroupArn), &attrs)
	want := map[bool]string{true: "true", false: "false"}[ex.sticky]
	if !slices.Contains(attrs.Attributes, struct{ Key, Value string }{"stickiness.enabled", want}) {
		t.Errorf("target group attributes %+v, want stickiness.enabled=%s", attrs.Attributes, want)
	}
}

// checkDNSPing: the service registers in the Cloud Map service whose name
// and namespace are the ones -Djgroups.dns.query names.
func checkDNSPing(t *testing.T, e *env, ex ecsExample, env map[string]string) {
	var svcs struct {
		Services []struct {
			ServiceRegistries []struct{ RegistryArn string }
		}
	}
	name := ex.stack + "-" + ex.target
	decode(t, "describe-services", awsJSON(t, e, "ecs", "describe-services", "--cluster", name, "--services", name), &svcs)
	if len(svcs.Services) != 1 || len(svcs.Services[0].ServiceRegistries) != 1 {
		t.Fatalf("ECS service %s: %+v, want one service with one registry", name, svcs)
	}
	arn := svcs.Services[0].ServiceRegistries[0].RegistryArn
	id := arn[strings.LastIndex(arn, "/")+1:]
	var svc struct {
		Service struct {
			Name        string
			NamespaceID string `json:"NamespaceId"`
		}
	}
	decode(t, "get-service", awsJSON(t, e, "servicediscovery", "get-service", "--id", id), &svc)
	var ns struct{ Namespace struct{ Name string } }
	decode(t, "get-namespace", awsJSON(t, e, "servicediscovery", "get-namespace", "--id", svc.Service.NamespaceID), &ns)
	query := "-Djgroups.dns.query=" + svc.Service.Name + "." + ns.Namespace.Name
	if !strings.Contains(env["JAVA_OPTS_APPEND"], query) {
		t.Errorf("JAVA_OPTS_APPEND %q lacks %q (the registry the service registers in)", env["JAVA_OPTS_APPEND"], query)
	}
}

// checkS3Ping: the bucket blocks public access and the task role's policy
// names only that bucket.
func checkS3Ping(t *testing.T, e *env, ex ecsExample) {
	bucket := ex.stack + "-eu-west-1-jgroups"
	var pab struct {
		PublicAccessBlockConfiguration map[string]bool
	}
	decode(t, "get-public-access-block", awsJSON(t, e, "s3api", "get-public-access-block", "--bucket", bucket), &pab)
	for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
		if !pab.PublicAccessBlockConfiguration[k] {
			t.Errorf("bucket %s: %s is not set", bucket, k)
		}
	}
	role := ex.stack + "-" + ex.target + "-task"
	var attached struct{ AttachedPolicies []any }
	decode(t, "list-attached-role-policies", awsJSON(t, e, "iam", "list-attached-role-policies", "--role-name", role), &attached)
	if len(attached.AttachedPolicies) > 0 {
		t.Errorf("task role has managed policies %v, want none", attached.AttachedPolicies)
	}
	var pol struct{ PolicyDocument any }
	decode(t, "get-role-policy", awsJSON(t, e, "iam", "get-role-policy", "--role-name", role, "--policy-name", "kcstack"), &pol)
	doc, _ := json.Marshal(pol.PolicyDocument)
	var p struct{ Statement []struct{ Resource []string } }
	decode(t, "policy document", string(doc), &p)
	var resources []string
	for _, s := range p.Statement {
		resources = append(resources, s.Resource...)
	}
	want := []string{"arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"}
	if diff := cmp.Diff(want, resources); diff != "" {
		t.Errorf("task role policy resources (-want +got):\n%s", diff)
	}
}

// checkInPlaceChanges: the task count, the Keycloak version and the
// owners change in place: a new task definition revision and a service
// update, nothing replaced.
func checkInPlaceChanges(t *testing.T, e *env, ex ecsExample) {
	edits := append(append([]string(nil), unprotectedECS...), ex.edits...)
	edits = append(edits, "tasks: 3 ", "tasks: 4 ", `version: "26.4.2"`, `version: "26.4.3"`, "owners: 2 ", "owners: 3 ")
	changed := e.stackFile(t, ex.file, edits...)
	prefix := "targets." + ex.target
	want := []string{"update " + prefix + ".task-definition", "update " + prefix + ".service"}
	got := e.jsonPlan(t, changed)
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("tasks, version and owners changed (-want +got):\n%s", diff)
	}
	mustRun(t, "apply the changes", e.kcstack(t, "apply", "-f", changed, "--auto-approve"), 0, "Resources: 0 added, 2 changed, 0 destroyed.")
	mustRun(t, "plan after the changes", e.kcstack(t, "plan", "-f", changed, "--detailed-exitcode"), 0, "No changes.")
}

// checkNothingLeft: after destroy, what the tagging API still lists for
// the stack is only what AWS keeps visible after deletion: NAT gateways and
// peerings in state deleted, task definition revisions INACTIVE; no
// address and no bucket of the stack remain. (The SDK, not the aws CLI:
// these are many reads, and each aws CLI start takes a second.)
func checkNothingLeft(t *testing.T, e *env, ex ecsExample) {
	ctx := context.Background()
	out, err := tagging.NewFromConfig(e.cfg).GetResources(ctx, &tagging.GetResourcesInput{
		TagFilters: []taggingtypes.TagFilter{{Key: aws.String(resource.TagStack), Values: []string{ex.stack}}},
	})
	check(t, "get resources", err)
	for _, m := range out.ResourceTagMappingList {
		arn := aws.ToString(m.ResourceARN)
		if s := stateAfterDelete(t, e, arn); s != "deleted" && s != "INACTIVE" {
			t.Errorf("after destroy %s remains (state %q)", arn, s)
		}
	}
	addrs, err := e.ec2().DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	check(t, "describe addresses", err)
	for _, a := range addrs.Addresses {
		t.Errorf("after destroy address %s remains", aws.ToString(a.AllocationId))
	}
	buckets, err := s3.NewFromConfig(e.cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListBuckets(ctx, &s3.ListBucketsInput{})
	check(t, "list buckets", err)
	for _, b := range buckets.Buckets {
		t.Errorf("after destroy bucket %s remains", aws.ToString(b.Name))
	}
}

// stateAfterDelete is the state of a resource AWS keeps listing after its
// deletion ("" for other kinds).
func stateAfterDelete(t *testing.T, e *env, arn string) string {
	ctx := context.Background()
	id := arn[strings.LastIndex(arn, "/")+1:]
	switch {
	case strings.Contains(arn, ":natgateway/"):
		out, err := e.ec2().DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
		check(t, "describe nat gateway", err)
		return string(out.NatGateways[0].State)
	case strings.Contains(arn, ":vpc-peering-connection/"):
		out, err := e.ec2().DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
		check(t, "describe peering", err)
		return string(out.VpcPeeringConnections[0].Status.Code)
	case strings.Contains(arn, ":task-definition/"):
		out, err := ecs.NewFromConfig(e.cfg).DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arn)})
		check(t, "describe task definition", err)
		return string(out.TaskDefinition.Status)
	}
	return ""
}
