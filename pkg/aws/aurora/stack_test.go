package aurora

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// TestExampleStackPlansToNothing takes the database resources exactly as
// pkg/desired derives them from examples/aurora-rosa.yaml, creates them (the
// VPC, subnets and security group they reference through the EC2 API),
// and checks that observing them again shows no difference: the props
// pkg/desired produces and the ones this package observes stay in step.
func TestExampleStackPlansToNothing(t *testing.T) {
	t.Parallel()
	st, diags, err := stack.LoadFile("../../../examples/aurora-rosa.yaml")
	if err != nil || diags.HasErrors() {
		t.Fatalf("load example: %v %v", err, diags.Errors())
	}
	e := newBareEnv(t)
	all, err := desired.Resources(st)
	if err != nil {
		t.Fatal(err)
	}
	ids := e.networkFor(t, all)
	var ds []resource.Desired
	for _, d := range all {
		switch d.Kind {
		case resource.KindDBSubnetGroup, resource.KindDBCluster, resource.KindDBInstance:
			d.Props = resolve(t, d.Props, ids)
			if d.Kind == resource.KindDBCluster {
				d.Props["deletion_protection"] = false
			}
			ds = append(ds, d)
		}
	}
	e.createAll(t, ds)
	obs, err := e.h.observer.Observe(context.Background(), resource.Query{Stack: st.Metadata.Name, Desired: ds})
	if err != nil {
		t.Fatalf("Observe: %v", err)
	}
	byAddr := map[string]resource.Observation{}
	for _, o := range obs {
		byAddr[o.Address] = o
	}
	if len(byAddr) != len(ds) {
		t.Errorf("Observe returned %d resources, want the %d desired", len(byAddr), len(ds))
	}
	if diff := cmp.Diff(map[string][]resource.FieldDiff{}, e.diffs(ds, byAddr)); diff != "" {
		t.Errorf("the example stack plans changes right after creation: -want +got:\n%s", diff)
	}
}

// networkFor creates the Aurora VPC, subnets and security group the
// stack's resources describe and returns their ids by address.
func (e *env) networkFor(t *testing.T, all []resource.Desired) map[string]string {
	t.Helper()
	ctx := context.Background()
	ids := map[string]string{}
	for _, d := range all {
		switch {
		case d.Kind == resource.KindVPC && d.Component == desired.ComponentDatabase:
			out, err := e.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(propString(d.Props, "cidr_block"))})
			if err != nil {
				t.Fatalf("create %s: %v", d.Address, err)
			}
			ids[d.Address] = aws.ToString(out.Vpc.VpcId)
		case d.Kind == resource.KindSubnet && d.Component == desired.ComponentDatabase:
			out, err := e.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(ids[desired.AddrAuroraVPC]),
				CidrBlock: aws.String(propString(d.Props, "cidr_block")), AvailabilityZone: aws.String(propString(d.Props, "availability_zone"))})
			if err != nil {
				t.Fatalf("create %s: %v", d.Address, err)
			}
			ids[d.Address] = aws.ToString(out.Subnet.SubnetId)
		case d.Address == desired.AddrAuroraSG:
			out, err := e.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(ids[desired.AddrAuroraVPC]),
				GroupName: aws.String(propString(d.Props, "group_name")), Description: aws.String(propString(d.Props, "description"))})
			if err != nil {
				t.Fatalf("create %s: %v", d.Address, err)
			}
			ids[d.Address] = aws.ToString(out.GroupId)
		case d.Kind == resource.KindDBSubnetGroup:
			ids[d.Address] = propString(d.Props, "name")
		case d.Kind == resource.KindDBCluster:
			ids[d.Address] = propString(d.Props, "identifier") // created by the test with the instances
		}
	}
	return ids
}

// resolve replaces Refs (alone or in lists) by the ids in ids, as the
// planner does once the referenced resources exist.
func resolve(t *testing.T, p resource.Props, ids map[string]string) resource.Props {
	t.Helper()
	out := resource.Props{}
	for k, v := range p {
		out[k] = resolveValue(t, v, ids)
	}
	return out
}

func resolveValue(t *testing.T, v any, ids map[string]string) any {
	switch x := v.(type) {
	case resource.Ref:
		id, ok := ids[x.Address]
		if !ok {
			t.Fatalf("no id for reference %s", x)
		}
		return id
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = resolveValue(t, x[i], ids)
		}
		return out
	}
	return v
}
