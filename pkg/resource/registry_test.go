package resource

import (
	"context"
	"strings"
	"testing"
)

// stubHandler is a handler of a descriptor that does nothing.
type stubHandler struct{ d Descriptor }

func (s stubHandler) Describe() Descriptor                { return s.d }
func (stubHandler) Diff(Desired, Observation) []FieldDiff { return nil }
func (stubHandler) Create(context.Context, Desired) (Observation, error) {
	return Observation{}, nil
}
func (stubHandler) Update(context.Context, Desired, Observation, []FieldDiff) (Observation, error) {
	return Observation{}, nil
}
func (stubHandler) Delete(context.Context, Observation, map[string]string) error { return nil }

// finderHandler can also look resources up by address.
type finderHandler struct{ stubHandler }

func (finderHandler) FindByAddress(context.Context, string, string) (Observation, error) {
	return Observation{}, nil
}

func complete(k Kind) Descriptor {
	return Descriptor{Kind: k, TaggingTypes: []string{string(k)}, Deletion: Deletion{Placed: true}, DataLoss: NoDataLoss,
		Create: Creation{Operations: []string{"Create"}, Idempotent: true}}
}

func TestNewRegistryRefusesIncompleteKinds(t *testing.T) {
	cases := map[string]struct {
		reason string
		edit   func(*Descriptor)
		finder bool
		want   string // "" means accepted
	}{
		"complete": {reason: "every part declared", edit: func(*Descriptor) {}},
		"no delete placement": {
			reason: "a kind that refers to nothing must say where its deletes go",
			edit:   func(d *Descriptor) { d.Deletion = Deletion{} },
			want:   "delete placement undeclared",
		},
		"placed by references": {
			reason: "references place a kind's deletes",
			edit: func(d *Descriptor) {
				d.Deletion = Deletion{}
				d.References = []Reference{{Prop: "vpc_id", Kind: "ec2:vpc"}}
			},
		},
		"no data loss flag": {
			reason: "whether a delete loses data is never left to a default",
			edit:   func(d *Descriptor) { d.DataLoss = DataLossUndeclared },
			want:   "data loss undeclared",
		},
		"no tagging types": {
			reason: "a kind the tagging API does not list says why",
			edit:   func(d *Descriptor) { d.TaggingTypes = nil },
			want:   "no tagging API resource types",
		},
		"no create operation": {
			reason: "the ambiguity guard needs the create operations",
			edit:   func(d *Descriptor) { d.Create.Operations = nil },
			want:   "no create operations",
		},
		"unknown reference": {
			reason: "a reference to a kind no handler manages",
			edit:   func(d *Descriptor) { d.References = []Reference{{Prop: "x_id", Kind: "ec2:nothing"}} },
			want:   "which no handler manages",
		},
		"unsafe create without finder": {
			reason: "a create that is not idempotent needs a lookup by tag",
			edit:   func(d *Descriptor) { d.Create.Idempotent = false },
			want:   "must find a resource by its address tag",
		},
		"output without description": {
			reason: "every output says what its value is",
			edit:   func(d *Descriptor) { d.Outputs = []Output{{Name: "dns_name", Attr: "dns_name"}} },
			want:   "an output without its name, attribute or description",
		},
		"declared output": {
			reason: "an output with its name, attribute and description",
			edit: func(d *Descriptor) {
				d.Outputs = []Output{{Name: "dns_name", Attr: "dns_name", Description: "the DNS name"}}
			},
		},
		"unsafe create with finder": {
			reason: "a create that is not idempotent is fine with a lookup by tag",
			edit:   func(d *Descriptor) { d.Create.Idempotent = false },
			finder: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := complete("ec2:subnet")
			tc.edit(&d)
			var h Handler = stubHandler{d}
			if tc.finder {
				h = finderHandler{stubHandler{d}}
			}
			_, err := NewRegistry(stubHandler{complete("ec2:vpc")}, h)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("%s: refused: %v", tc.reason, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s: err %v, want one saying %q", tc.reason, err, tc.want)
			}
		})
	}
}

func TestNewRegistryRefusesDuplicates(t *testing.T) {
	_, err := NewRegistry(stubHandler{complete("ec2:vpc")}, stubHandler{complete("ec2:vpc")})
	if err == nil || !strings.Contains(err.Error(), "registered twice") {
		t.Errorf("err %v, want a kind registered twice refused", err)
	}
}
