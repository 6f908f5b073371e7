package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/resource"
)

func owned(addr string, k resource.Kind, id string, props resource.Props) resource.Observation {
	return resource.Observation{Address: addr, Kind: k, Exists: true, Owned: true, ID: id, Props: props, Attrs: map[string]string{"id": id}}
}

func TestDeletionOrderFollowsReferences(t *testing.T) {
	snap := snapshot(
		owned("targets.a.vpc", resource.KindVPC, "vpc-a", nil),
		owned("targets.a.subnet[x]", resource.KindSubnet, "subnet-a", resource.Props{"vpc_id": "vpc-a"}),
		owned("targets.a.peering", resource.KindPeering, "pcx-a", resource.Props{"vpc_id": "vpc-a"}),
		owned("targets.b.vpc", resource.KindVPC, "vpc-b", nil),
		owned("targets.b.subnet[x]", resource.KindSubnet, "subnet-b", resource.Props{"vpc_id": "vpc-b"}),
		owned("database.cluster", resource.KindDBCluster, "kc", nil),
	)
	p, err := Compute(Input{Stack: "s", Snapshot: snap, Registry: differs, Destroy: true})
	if err != nil {
		t.Fatal(err)
	}
	deps := map[string][]string{}
	pos := map[string]int{}
	loss := map[string]bool{}
	for i, c := range p.Changes {
		deps[c.Address], pos[c.Address], loss[c.Address] = c.DependsOn, i, c.DataLoss
	}
	want := map[string][]string{
		"targets.a.vpc":       {"targets.a.peering", "targets.a.subnet[x]"},
		"targets.a.subnet[x]": nil,
		"targets.a.peering":   nil,
		"targets.b.vpc":       {"targets.b.subnet[x]"},
		"targets.b.subnet[x]": nil,
		"database.cluster":    nil,
	}
	if diff := cmp.Diff(want, deps, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("a delete waits for what refers to it, and for nothing of another target; -want +got:\n%s", diff)
	}
	for addr, before := range want {
		for _, b := range before {
			if pos[b] > pos[addr] {
				t.Errorf("%s is listed before %s, which must be deleted first", addr, b)
			}
		}
	}
	if !loss["database.cluster"] || loss["targets.a.vpc"] {
		t.Errorf("data loss comes from the descriptors: %v", loss)
	}
}

func TestDeletionAfterKindsInComponent(t *testing.T) {
	r := resource.Registry{}
	for k, h := range differs {
		r[k] = h
	}
	igw := kind(resource.KindInternetGateway, nil)
	igw.Deletion = resource.Deletion{After: []resource.Kind{resource.KindElasticIP}}
	r[resource.KindInternetGateway] = fakeDiffer{igw}
	r[resource.KindElasticIP] = fakeDiffer{kind(resource.KindElasticIP, nil)}
	snap := snapshot(
		owned("targets.a.internet-gateway", resource.KindInternetGateway, "igw-a", nil),
		owned("targets.a.nat-address", resource.KindElasticIP, "eip-a", nil),
		owned("targets.b.nat-address", resource.KindElasticIP, "eip-b", nil),
	)
	p, err := Compute(Input{Stack: "s", Snapshot: snap, Registry: r, Destroy: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Address == "targets.a.internet-gateway" {
			if diff := cmp.Diff([]string{"targets.a.nat-address"}, c.DependsOn); diff != "" {
				t.Errorf("the gateway waits for its component's address only; -want +got:\n%s", diff)
			}
			return
		}
	}
	t.Fatal("no delete of the internet gateway")
}

// TestChildrenGoWithTheirParent: a resource owned through a parent
// (Observation.Parent) is deleted on its own while the parent stays, and
// goes with the parent, without a delete of its own, when the parent goes.
func TestChildrenGoWithTheirParent(t *testing.T) {
	vpc := owned("database.vpc", resource.KindVPC, "vpc-1", resource.Props{"cidr_block": "10.0.0.0/24"})
	child := owned("database.vpc.rule[sgr-1]", resource.KindSubnet, "sgr-1", resource.Props{"vpc_id": "vpc-1"})
	child.Parent = vpc.Address
	cases := map[string]struct {
		reason  string
		destroy bool
		want    map[string]Action
	}{
		"ParentStays": {reason: "the child the file does not name is deleted",
			want: map[string]Action{"database.vpc": ActionNoOp, "database.vpc.rule[sgr-1]": ActionDelete}},
		"ParentGoes": {reason: "the child goes with its parent", destroy: true,
			want: map[string]Action{"database.vpc": ActionDelete}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Compute(Input{Stack: "s", Desired: []resource.Desired{{Address: "database.vpc", Kind: resource.KindVPC, Props: resource.Props{"cidr_block": "10.0.0.0/24"}}},
				Snapshot: snapshot(vpc, child), Registry: differs, Destroy: tc.destroy})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Action{}
			for _, c := range p.Changes {
				got[c.Address] = c.Action
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: actions -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
