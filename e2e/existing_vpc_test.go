package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
)

// existingVPC is a VPC and its subnets made with the aws CLI, as a team
// that owns its network would.
type existingVPC struct {
	ID      string
	Subnets []string
}

// makeVPC creates a VPC of cidr with one /26 subnet in each of zones,
// with the aws CLI.
func (e *env) makeVPC(t *testing.T, cidr string, zones ...string) existingVPC {
	t.Helper()
	var vpc struct{ Vpc struct{ VpcId string } }
	e.awsJSON(t, &vpc, "ec2", "create-vpc", "--cidr-block", cidr)
	out := existingVPC{ID: vpc.Vpc.VpcId}
	base := strings.TrimSuffix(cidr, "0/24")
	for i, z := range zones {
		var sn struct{ Subnet struct{ SubnetId string } }
		e.awsJSON(t, &sn, "ec2", "create-subnet", "--vpc-id", out.ID, "--availability-zone", z, "--cidr-block", fmt.Sprintf("%s%d/26", base, 64*i))
		out.Subnets = append(out.Subnets, sn.Subnet.SubnetId)
	}
	return out
}

// awsJSON runs the aws CLI and decodes its answer into v.
func (e *env) awsJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	r := e.aws(t, args...)
	if r.Code != 0 {
		t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), r.Code, r.Stderr)
	}
	if err := json.Unmarshal([]byte(r.Stdout), v); err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, r.Stdout)
	}
}

// described is what the aws CLI says of a VPC and its subnets: what kcstack
// must leave as it found it.
func (e *env) described(t *testing.T, v existingVPC) string {
	t.Helper()
	var vpcs struct{ Vpcs []any }
	e.awsJSON(t, &vpcs, "ec2", "describe-vpcs", "--vpc-ids", v.ID)
	var subnets struct{ Subnets []map[string]any }
	e.awsJSON(t, &subnets, append([]string{"ec2", "describe-subnets", "--subnet-ids"}, v.Subnets...)...)
	for _, s := range subnets.Subnets {
		delete(s, "AvailableIpAddressCount") // the cluster's interfaces use addresses
	}
	b, _ := json.MarshalIndent(map[string]any{"vpcs": vpcs.Vpcs, "subnets": subnets.Subnets}, "", "  ")
	return string(b)
}

// TestExistingDatabaseVPC applies examples/aurora-rosa.yaml with the
// database in a VPC given by id, made with the aws CLI first: the apply
// converges, the routes use the CIDR read from AWS, and neither apply nor
// destroy touches the VPC or its subnets.
func TestExistingDatabaseVPC(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t, sandbox.WithDelays(50*time.Millisecond, 10*time.Millisecond))
	e.rosaNetworks(t)
	vpc := e.makeVPC(t, "192.168.0.0/24", "eu-west-1a", "eu-west-1b", "eu-west-1c")
	before := e.described(t, vpc)
	var subnets []string
	for _, id := range vpc.Subnets {
		subnets = append(subnets, "{id: "+id+"}")
	}
	file := e.stackFile(t, "aurora-rosa.yaml", "      vpc: {cidr: 192.168.0.0/24}\n",
		"      vpc: {id: "+vpc.ID+"}\n      subnets: ["+strings.Join(subnets, ", ")+"]\n      deletionProtection: false\n      skipFinalSnapshot: true\n")

	mustRun(t, "apply", e.kcstack(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	mustRun(t, "plan after apply", e.kcstack(t, "plan", "-f", file, "--detailed-exitcode"), 0, "No changes.")
	var routes struct {
		RouteTables []struct {
			Routes []struct{ DestinationCidrBlock string }
		}
	}
	e.awsJSON(t, &routes, "ec2", "describe-route-tables", "--filters", "Name=vpc-id,Values="+vpc.ID)
	if !strings.Contains(fmt.Sprint(routes), "10.0.0.0/16") {
		t.Errorf("the database VPC's route tables have no route to the ROSA cluster: %+v", routes)
	}
	if diff := cmp.Diff(before, e.described(t, vpc)); diff != "" {
		t.Errorf("apply changed the existing VPC or its subnets (-before +after):\n%s", diff)
	}
	mustRun(t, "destroy", e.kcstack(t, "destroy", "-f", file, "--auto-approve"), 0, "Destroy complete!")
	if diff := cmp.Diff(before, e.described(t, vpc)); diff != "" {
		t.Errorf("destroy changed the existing VPC or its subnets (-before +after):\n%s", diff)
	}
}
