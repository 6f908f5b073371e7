package plan

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// fakeDiffer is a handler that compares props with DiffProps and its
// descriptor's rules; it is never asked to change anything.
type fakeDiffer struct{ desc resource.Descriptor }

func (f fakeDiffer) Describe() resource.Descriptor { return f.desc }
func (f fakeDiffer) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, f.desc.Fields, d.Sensitive)
}
func (fakeDiffer) Create(context.Context, resource.Desired) (resource.Observation, error) {
	return resource.Observation{}, errors.New("a plan never creates")
}
func (fakeDiffer) Update(context.Context, resource.Desired, resource.Observation, []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, errors.New("a plan never updates")
}
func (fakeDiffer) Delete(context.Context, resource.Observation, map[string]string) error {
	return errors.New("a plan never deletes")
}

// kind returns a complete descriptor of k with the given references and
// replace rules.
func kind(k resource.Kind, fields resource.Fields, refs ...resource.Reference) resource.Descriptor {
	return resource.Descriptor{Kind: k, TaggingTypes: []string{string(k)}, References: refs, Fields: fields,
		Deletion: resource.Deletion{Placed: true}, DataLoss: resource.NoDataLoss, Create: resource.Creation{Operations: []string{"Create"}}}
}

var differs = resource.Registry{
	resource.KindVPC:    fakeDiffer{kind(resource.KindVPC, resource.Fields{"cidr_block": {ForcesReplace: true, Reason: "fixed"}})},
	resource.KindSubnet: fakeDiffer{kind(resource.KindSubnet, nil, resource.Reference{Prop: "vpc_id", Kind: resource.KindVPC})},
	resource.KindDBCluster: fakeDiffer{func() resource.Descriptor {
		d := kind(resource.KindDBCluster, resource.Fields{"engine_version": {ForcesReplace: true, Reason: "major upgrade"}})
		d.DataLoss = resource.LosesData
		return d
	}()},
	resource.KindPeering: fakeDiffer{kind(resource.KindPeering, nil, resource.Reference{Prop: "vpc_id", Kind: resource.KindVPC})},
}

func desired() []resource.Desired {
	return []resource.Desired{
		{Address: "database.subnet[a]", Kind: resource.KindSubnet, Component: "database", Props: resource.Props{"vpc_id": resource.Ref{Address: "database.vpc", Attr: "id"}, "cidr_block": "10.0.0.0/26"}, DependsOn: []string{"database.vpc"}},
		{Address: "database.vpc", Kind: resource.KindVPC, Component: "database", Props: resource.Props{"cidr_block": "10.0.0.0/24"}},
		{Address: "database.cluster", Kind: resource.KindDBCluster, Component: "database", Props: resource.Props{"engine_version": "16.8", "password": "x"}, Sensitive: []string{"password"}},
		{Address: "targets.a.vpc", Kind: resource.KindVPC, Component: "target a", Lookup: &resource.Lookup{Tags: map[string]string{"Name": "a-vpc"}, Hint: "create the cluster"}},
	}
}

func snapshot(obs ...resource.Observation) *state.Snapshot {
	s := &state.Snapshot{Stack: "s", Observations: map[string]resource.Observation{}}
	for _, o := range obs {
		s.Observations[o.Address] = o
	}
	return s
}

var foundVPC = resource.Observation{Address: "targets.a.vpc", Kind: resource.KindVPC, Exists: true, Found: true, ID: "vpc-a", Attrs: map[string]string{"id": "vpc-a"}}

func actions(p *Plan) map[string]Action {
	out := map[string]Action{}
	for _, c := range p.Changes {
		out[c.Address] = c.Action
	}
	return out
}

func TestCompute(t *testing.T) {
	vpc := resource.Observation{Address: "database.vpc", Kind: resource.KindVPC, Exists: true, Owned: true, ID: "vpc-1", Props: resource.Props{"cidr_block": "10.0.0.0/24"}, Attrs: map[string]string{"id": "vpc-1"}}
	subnet := resource.Observation{Address: "database.subnet[a]", Kind: resource.KindSubnet, Exists: true, Owned: true, ID: "subnet-1", Props: resource.Props{"vpc_id": "vpc-1", "cidr_block": "10.0.0.0/26"}}
	cluster := resource.Observation{Address: "database.cluster", Kind: resource.KindDBCluster, Exists: true, Owned: true, ID: "kc", Props: resource.Props{"engine_version": "15.4", "password": "x"}}
	stray := resource.Observation{Address: "targets.old.peering", Kind: resource.KindPeering, Exists: true, Owned: true, ID: "pcx-1"}
	cases := map[string]struct {
		reason  string
		snap    *state.Snapshot
		want    map[string]Action
		summary Summary
	}{
		"empty": {
			reason:  "nothing exists: every owned resource is created, the referenced VPC is only read",
			snap:    snapshot(foundVPC),
			want:    map[string]Action{"database.vpc": ActionCreate, "database.subnet[a]": ActionCreate, "database.cluster": ActionCreate, "targets.a.vpc": ActionNoOp},
			summary: Summary{Add: 3},
		},
		"replace and delete": {
			reason:  "an engine major change replaces the cluster; an owned resource no longer in the file is deleted",
			snap:    snapshot(foundVPC, vpc, subnet, cluster, stray),
			want:    map[string]Action{"database.vpc": ActionNoOp, "database.subnet[a]": ActionNoOp, "database.cluster": ActionReplace, "targets.a.vpc": ActionNoOp, "targets.old.peering": ActionDelete},
			summary: Summary{Add: 1, Destroy: 2},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Compute(Input{Stack: "s", Desired: desired(), Snapshot: tc.snap, Registry: differs, Now: time.Unix(0, 0)})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, actions(p)); diff != "" {
				t.Errorf("%s: actions -want +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.summary, p.Summary); diff != "" {
				t.Errorf("%s: summary -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestComputeOrderAndRedaction(t *testing.T) {
	p, err := Compute(Input{Stack: "s", Desired: desired(), Snapshot: snapshot(foundVPC), Registry: differs})
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, c := range p.Changes {
		pos[c.Address] = i
	}
	if pos["database.vpc"] > pos["database.subnet[a]"] {
		t.Errorf("the subnet comes before the VPC it depends on: %v", pos)
	}
	for _, c := range p.Changes {
		if c.Address == "database.subnet[a]" && c.After["vpc_id"] != KnownAfterApply {
			t.Errorf("subnet vpc_id shown as %v, want %q", c.After["vpc_id"], KnownAfterApply)
		}
		if c.Address == "database.cluster" && c.After["password"] != Sensitive {
			t.Errorf("password shown as %v, want %q", c.After["password"], Sensitive)
		}
	}
}

func TestComputeRefusesWhatItDoesNotOwn(t *testing.T) {
	untagged := resource.Observation{Address: "database.cluster", Kind: resource.KindDBCluster, Exists: true, Owned: false, ID: "kc"}
	_, err := Compute(Input{Stack: "s", Desired: desired(), Snapshot: snapshot(untagged), Registry: differs})
	if err == nil || !strings.Contains(err.Error(), "targets.a.vpc") || !strings.Contains(err.Error(), "not tagged") {
		t.Errorf("err %v: want both problems — the missing referenced VPC and the untagged cluster", err)
	}
}

func TestPlanRoundTripAndStale(t *testing.T) {
	vpc := resource.Observation{Address: "database.vpc", Kind: resource.KindVPC, Exists: true, Owned: true, ID: "vpc-1", Props: resource.Props{"cidr_block": "10.0.0.0/24"}, Attrs: map[string]string{"id": "vpc-1"}}
	snap := snapshot(foundVPC, vpc)
	p, err := Compute(Input{Stack: "s", Desired: desired(), Snapshot: snap, Registry: differs})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, &back); diff != "" {
		t.Errorf("plan changed through JSON -want +got:\n%s", diff)
	}
	if got := Stale(&back, snap); len(got) != 0 {
		t.Errorf("fresh plan reported stale: %v", got)
	}
	vpc.Props = resource.Props{"cidr_block": "10.9.0.0/24"}
	if diff := cmp.Diff([]string{"database.vpc"}, Stale(&back, snapshot(foundVPC, vpc))); diff != "" {
		t.Errorf("stale addresses -want +got:\n%s", diff)
	}
}

// taggingDiffer is a fakeDiffer of a taggable kind.
type taggingDiffer struct{ fakeDiffer }

func (taggingDiffer) SetTags(context.Context, resource.Observation, map[string]string, []string) error {
	return nil
}

func TestComputeTagDrift(t *testing.T) {
	withTags := resource.Registry{resource.KindVPC: taggingDiffer{differs[resource.KindVPC].(fakeDiffer)}, resource.KindSubnet: differs[resource.KindSubnet], resource.KindDBCluster: differs[resource.KindDBCluster]}
	ds := desired()
	for i := range ds {
		ds[i].Tags = map[string]string{resource.TagStack: "s", resource.TagAddress: ds[i].Address, "team": "identity"}
	}
	live := map[string]string{resource.TagStack: "s", "team": "platform", "by-hand": "x", "aws:created-by": "y"}
	vpc := resource.Observation{Address: "database.vpc", Kind: resource.KindVPC, Exists: true, Owned: true, ID: "vpc-1", Props: resource.Props{"cidr_block": "10.0.0.0/24"}, Attrs: map[string]string{"id": "vpc-1"},
		Tags: resource.WithTags(live, map[string]string{resource.TagAddress: "database.vpc"}, nil)}
	subnet := resource.Observation{Address: "database.subnet[a]", Kind: resource.KindSubnet, Exists: true, Owned: true, ID: "subnet-1", Props: resource.Props{"vpc_id": "vpc-1", "cidr_block": "10.0.0.0/26"},
		Tags: resource.WithTags(live, map[string]string{resource.TagAddress: "database.subnet[a]"}, nil)}
	p, err := Compute(Input{Stack: "s", Desired: ds, Snapshot: snapshot(foundVPC, vpc, subnet), Registry: withTags})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		switch c.Address {
		case "database.vpc":
			want := []resource.FieldDiff{{Path: "tags.team", Before: "platform", After: "identity"}, {Path: "tags.by-hand", Before: "x"}}
			if c.Action != ActionUpdate || !cmp.Equal(want, c.Diffs) {
				t.Errorf("taggable VPC with other tags: %s %+v, want update %+v", c.Action, c.Diffs, want)
			}
		case "database.subnet[a]":
			if c.Action != ActionNoOp {
				t.Errorf("a kind whose handler cannot tag is not updated for its tags: %s %+v", c.Action, c.Diffs)
			}
		}
	}
}
