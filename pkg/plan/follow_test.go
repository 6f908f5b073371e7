package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

// Kinds of the replacement tests: a load balancer that sits in subnets
// (a reference that follows a replacement by being replaced too), a
// policy that names a cluster (a reference that follows in place), and a
// revision whose update gives it a new ARN.
const (
	kindLB       resource.Kind = "test:lb"
	kindPolicy   resource.Kind = "test:policy"
	kindRevision resource.Kind = "test:revision"
	kindService  resource.Kind = "test:service"
)

func followRegistry() resource.Registry {
	r := resource.Registry{}
	for k, h := range differs {
		r[k] = h
	}
	r[kindLB] = fakeDiffer{kind(kindLB, nil, resource.Reference{Prop: "subnets", Kind: resource.KindSubnet})}
	r[kindPolicy] = fakeDiffer{kind(kindPolicy, nil, resource.Reference{Prop: "secret", Kind: resource.KindDBCluster, InPlace: true})}
	rev := kind(kindRevision, nil)
	rev.UpdatedAttrs = []string{"arn"}
	r[kindRevision] = fakeDiffer{rev}
	r[kindService] = fakeDiffer{kind(kindService, nil, resource.Reference{Prop: "revision", Kind: kindRevision, Attr: "arn", InPlace: true})}
	return r
}

func ref(addr, attr string) resource.Ref { return resource.Ref{Address: addr, Attr: attr} }

func withAttrs(ob resource.Observation, attrs map[string]string) resource.Observation {
	for k, v := range attrs {
		ob.Attrs[k] = v
	}
	return ob
}

func TestReplacementFollowsReferences(t *testing.T) {
	ds := []resource.Desired{
		{Address: "t.vpc", Kind: resource.KindVPC, Props: resource.Props{"cidr_block": "10.11.0.0/16"}},
		{Address: "t.subnet", Kind: resource.KindSubnet, Props: resource.Props{"vpc_id": ref("t.vpc", "id")}, DependsOn: []string{"t.vpc"}},
		{Address: "t.lb", Kind: kindLB, Props: resource.Props{"subnets": []any{ref("t.subnet", "id")}}, DependsOn: []string{"t.subnet"}},
		{Address: "db.cluster", Kind: resource.KindDBCluster, Props: resource.Props{"engine_version": "17.1"}},
		{Address: "t.policy", Kind: kindPolicy, Props: resource.Props{"secret": ref("db.cluster", "arn")}, DependsOn: []string{"db.cluster"}},
		{Address: "t.revision", Kind: kindRevision, Props: resource.Props{"endpoint": ref("db.cluster", "endpoint")}, DependsOn: []string{"db.cluster"}},
		{Address: "t.service", Kind: kindService, Props: resource.Props{"revision": ref("t.revision", "arn")}, DependsOn: []string{"t.revision"}},
	}
	snap := snapshot(
		owned("t.vpc", resource.KindVPC, "vpc-1", resource.Props{"cidr_block": "10.10.0.0/16"}),
		owned("t.subnet", resource.KindSubnet, "subnet-1", resource.Props{"vpc_id": "vpc-1"}),
		owned("t.lb", kindLB, "lb-1", resource.Props{"subnets": []any{"subnet-1"}}),
		withAttrs(owned("db.cluster", resource.KindDBCluster, "kc", resource.Props{"engine_version": "16.8"}), map[string]string{"arn": "arn:secret", "endpoint": "kc.old"}),
		owned("t.policy", kindPolicy, "policy-1", resource.Props{"secret": "arn:secret"}),
		withAttrs(owned("t.revision", kindRevision, "rev-1", resource.Props{"endpoint": "kc.old"}), map[string]string{"arn": "arn:rev:1"}),
		owned("t.service", kindService, "svc-1", resource.Props{"revision": "arn:rev:1"}),
	)
	p, err := Compute(Input{Stack: "s", Desired: ds, Snapshot: snap, Registry: followRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Action{
		"t.vpc": ActionReplace, "t.subnet": ActionReplace, "t.lb": ActionReplace,
		"db.cluster": ActionReplace, "t.policy": ActionUpdate, "t.revision": ActionUpdate, "t.service": ActionUpdate,
	}
	if diff := cmp.Diff(want, actions(p)); diff != "" {
		t.Errorf("a replacement replaces what refers to it, transitively, unless the reference follows in place; an update that gives a new ARN updates what refers to it (-want +got):\n%s", diff)
	}
	destroyAfter := map[string][]string{}
	for _, c := range p.Changes {
		if len(c.DestroyAfter) > 0 {
			destroyAfter[c.Address] = c.DestroyAfter
		}
	}
	wantAfter := map[string][]string{"t.vpc": {"t.subnet"}, "t.subnet": {"t.lb"}}
	if diff := cmp.Diff(wantAfter, destroyAfter); diff != "" {
		t.Errorf("an old resource is deleted after what refers to it; a reference that follows in place holds nothing back (-want +got):\n%s", diff)
	}
}

func TestDeleteWaitsForUpdatesMovingOff(t *testing.T) {
	ds := []resource.Desired{
		{Address: "t.subnet[a]", Kind: resource.KindSubnet, Props: resource.Props{"vpc_id": "vpc-1"}},
		{Address: "t.lb", Kind: kindLB, Props: resource.Props{"subnets": []any{ref("t.subnet[a]", "id")}}, DependsOn: []string{"t.subnet[a]"}},
	}
	snap := snapshot(
		owned("t.subnet[a]", resource.KindSubnet, "subnet-a", resource.Props{"vpc_id": "vpc-1"}),
		owned("t.subnet[b]", resource.KindSubnet, "subnet-b", resource.Props{"vpc_id": "vpc-1"}),
		owned("t.lb", kindLB, "lb-1", resource.Props{"subnets": []any{"subnet-a", "subnet-b"}}),
	)
	p, err := Compute(Input{Stack: "s", Desired: ds, Snapshot: snap, Registry: followRegistry()})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Address == "t.subnet[b]" {
			if c.Action != ActionDelete || !cmp.Equal([]string{"t.lb"}, c.DependsOn) {
				t.Errorf("a removed zone's subnet: %s after %v, want a delete after the load balancer's update", c.Action, c.DependsOn)
			}
			return
		}
	}
	t.Fatal("no change for the removed subnet")
}

func TestCreateWaitsForDeleteOfItsUniqueValues(t *testing.T) {
	r := followRegistry()
	pcx := kind(resource.KindPeering, nil)
	pcx.UniqueBy = []string{"vpc_id", "peer_vpc_id"}
	r[resource.KindPeering] = fakeDiffer{pcx}
	ds := []resource.Desired{
		{Address: "targets.new.peering", Kind: resource.KindPeering, Props: resource.Props{"vpc_id": "vpc-db", "peer_vpc_id": "vpc-rosa"}},
		{Address: "targets.other.peering", Kind: resource.KindPeering, Props: resource.Props{"vpc_id": "vpc-db", "peer_vpc_id": "vpc-other"}},
	}
	snap := snapshot(owned("targets.old.peering", resource.KindPeering, "pcx-1", resource.Props{"vpc_id": "vpc-db", "peer_vpc_id": "vpc-rosa"}))
	p, err := Compute(Input{Stack: "s", Desired: ds, Snapshot: snap, Registry: r})
	if err != nil {
		t.Fatal(err)
	}
	deps := map[string][]string{}
	for _, c := range p.Changes {
		deps[c.Address] = c.DestroyFirst
	}
	want := map[string][]string{"targets.new.peering": {"targets.old.peering"}, "targets.other.peering": nil, "targets.old.peering": nil}
	if diff := cmp.Diff(want, deps); diff != "" {
		t.Errorf("a create of the same two VPCs waits for the old peering's delete; another does not (-want +got):\n%s", diff)
	}
}
