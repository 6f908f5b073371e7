package plan

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/resource"
)

// taggedDiffer is a fakeDiffer whose kind takes tags.
type taggedDiffer struct{ fakeDiffer }

func (taggedDiffer) SetTags(context.Context, resource.Observation, map[string]string, []string) error {
	return nil
}

var _ resource.Tagger = taggedDiffer{}

func TestUnowned(t *testing.T) {
	r := resource.Registry{
		resource.KindVPC: taggedDiffer{differs[resource.KindVPC].(fakeDiffer)}, resource.KindSubnet: differs[resource.KindSubnet],
		resource.KindSecurityGroupRule: taggedDiffer{fakeDiffer{kind(resource.KindSecurityGroupRule, nil)}},
	}
	tagged := func(ob resource.Observation, address string) resource.Observation {
		ob.Tags = map[string]string{resource.TagStack: "s", resource.TagAddress: address}
		return ob
	}
	vpc := tagged(owned("database.vpc", resource.KindVPC, "vpc-1", nil), "database.vpc")
	deleteOf := func(addr string, k resource.Kind, id string) Change {
		return Change{Address: addr, Kind: k, Action: ActionDelete, Observed: &resource.Observation{Address: addr, Kind: k, Exists: true, ID: id, Owned: true}}
	}
	cases := map[string]struct {
		reason string
		change Change
		obs    []resource.Observation
		want   []string
	}{
		"OwnedDelete": {
			reason: "a delete of what the stack owns at that address passes",
			change: deleteOf("database.vpc", resource.KindVPC, "vpc-1"), obs: []resource.Observation{vpc},
		},
		"NotObserved": {
			reason: "a delete of an address the snapshot has not (a foreign VPC) is refused",
			change: deleteOf("targets.old.vpc", resource.KindVPC, "vpc-9"), obs: []resource.Observation{vpc},
			want: []string{"targets.old.vpc"},
		},
		"OtherID": {
			reason: "a change naming another id than the owned resource's is refused",
			change: deleteOf("database.vpc", resource.KindVPC, "vpc-9"), obs: []resource.Observation{vpc},
			want: []string{"database.vpc"},
		},
		"NotOwned": {
			reason: "a resource without the stack's ownership is refused",
			change: deleteOf("database.vpc", resource.KindVPC, "vpc-1"),
			obs:    []resource.Observation{{Address: "database.vpc", Kind: resource.KindVPC, Exists: true, ID: "vpc-1"}},
			want:   []string{"database.vpc"},
		},
		"OtherAddressTag": {
			reason: "a tagged kind whose kcstack:address tag names another address is refused",
			change: deleteOf("database.vpc", resource.KindVPC, "vpc-1"),
			obs:    []resource.Observation{tagged(owned("database.vpc", resource.KindVPC, "vpc-1", nil), "targets.a.vpc")},
			want:   []string{"database.vpc"},
		},
		"Found": {
			reason: "a resource the stack only references is never its own",
			change: deleteOf("targets.a.vpc", resource.KindVPC, "vpc-a"), obs: []resource.Observation{foundVPC},
			want: []string{"targets.a.vpc"},
		},
		"UntaggedKind": {
			reason: "a kind without tags needs ownership only",
			change: deleteOf("database.subnet", resource.KindSubnet, "subnet-1"),
			obs:    []resource.Observation{owned("database.subnet", resource.KindSubnet, "subnet-1", nil)},
		},
		"OwnedThroughParent": {
			reason: "an untagged rule on a group the stack owns at its address is the stack's, through the group",
			change: deleteOf("database.vpc.rule[sgr-1]", resource.KindSecurityGroupRule, "sgr-1"),
			obs:    []resource.Observation{vpc, childOf(vpc, "sgr-1")},
		},
		"ParentNotOwned": {
			reason: "a rule whose parent is not the stack's own at its address is refused",
			change: deleteOf("database.vpc.rule[sgr-1]", resource.KindSecurityGroupRule, "sgr-1"),
			obs: []resource.Observation{
				tagged(owned("database.vpc", resource.KindVPC, "vpc-1", nil), "targets.a.vpc"), childOf(vpc, "sgr-1"),
			},
			want: []string{"database.vpc.rule[sgr-1]"},
		},
		"ParentMissing": {
			reason: "a rule whose parent the snapshot has not is refused",
			change: deleteOf("database.vpc.rule[sgr-1]", resource.KindSecurityGroupRule, "sgr-1"),
			obs:    []resource.Observation{childOf(vpc, "sgr-1")},
			want:   []string{"database.vpc.rule[sgr-1]"},
		},
		"Create": {
			reason: "a create touches nothing that exists",
			change: Change{Address: "database.vpc", Kind: resource.KindVPC, Action: ActionCreate},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Unowned(&Plan{Changes: []Change{tc.change}}, snapshot(tc.obs...), r)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s; -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// childOf is an untagged rule id on parent, owned through it.
func childOf(parent resource.Observation, id string) resource.Observation {
	return resource.Observation{Address: parent.Address + ".rule[" + id + "]", Kind: resource.KindSecurityGroupRule, Exists: true, ID: id, Owned: true, Parent: parent.Address}
}

func TestUnderived(t *testing.T) {
	base := func() *Plan {
		return &Plan{Changes: []Change{
			{Address: "a", Kind: resource.KindVPC, Action: ActionCreate, Desired: &resource.Desired{Address: "a", Props: resource.Props{"cidr_block": "10.0.0.0/16"}}},
			{Address: "b", Kind: resource.KindSubnet, Action: ActionNoOp},
		}}
	}
	cases := map[string]struct {
		reason string
		edit   func(p *Plan)
		want   []string
	}{
		"Same": {reason: "the plan its desired state gives is derivable", edit: func(*Plan) {}},
		"Added": {
			reason: "a change the recomputed plan has not",
			edit:   func(p *Plan) { p.Changes = append(p.Changes, Change{Address: "c", Action: ActionDelete}) },
			want:   []string{"c"},
		},
		"Dropped": {
			reason: "a change left out",
			edit:   func(p *Plan) { p.Changes = p.Changes[:1] },
			want:   []string{"b"},
		},
		"Action": {
			reason: "an action edited",
			edit:   func(p *Plan) { p.Changes[1].Action = ActionDelete },
			want:   []string{"b"},
		},
		"Desired": {
			reason: "a desired value edited",
			edit:   func(p *Plan) { p.Changes[0].Desired.Props["cidr_block"] = "0.0.0.0/0" },
			want:   []string{"a"},
		},
		"Twice": {
			reason: "one address twice",
			edit:   func(p *Plan) { p.Changes = append(p.Changes, p.Changes[1]) },
			want:   []string{"b"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			saved := base()
			tc.edit(saved)
			if diff := cmp.Diff(tc.want, Underived(saved, base()), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s; -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestContentDigest(t *testing.T) {
	p := &Plan{Stack: "s", Changes: []Change{{Address: "a", Action: ActionCreate}}}
	sum, err := p.ContentDigest()
	if err != nil {
		t.Fatal(err)
	}
	p.Digest = sum
	again, _ := p.ContentDigest()
	if again != sum {
		t.Errorf("the digest covers itself: %s, then %s", sum, again)
	}
	p.Region = "us-east-1"
	if other, _ := p.ContentDigest(); other == sum {
		t.Errorf("the digest does not cover the region")
	}
}

func TestContentDigestNotes(t *testing.T) {
	p := &Plan{Stack: "s", Changes: []Change{{Address: "a", Action: ActionCreate}}}
	before, err := p.ContentDigest()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"notes"`) {
		t.Errorf("a plan without notes has a notes field, which would change the digest of plan files saved before notes existed: %s", b)
	}
	p.Notes = []Note{{Target: "rosa-a", Text: "not read", Blocking: true}}
	blocked, _ := p.ContentDigest()
	if blocked == before {
		t.Errorf("the digest does not cover the notes")
	}
	p.Notes[0].Blocking = false
	if unblocked, _ := p.ContentDigest(); unblocked == blocked {
		t.Errorf("the digest does not cover whether a note blocks")
	}
}
