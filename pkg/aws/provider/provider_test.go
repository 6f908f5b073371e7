package provider_test

import (
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// offline is a configuration no test call reaches: building a provider
// makes no AWS call.
func offline() aws.Config {
	return aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String("http://127.0.0.1:1"),
		Credentials: credentials.NewStaticCredentialsProvider("x", "x", "")}
}

// TestRegistry builds the real registry, which refuses any incomplete
// descriptor, and checks every reference the desired resources of every
// example make against the descriptors: a property holding a reference to
// another resource must be declared, with that resource's kind, in the
// referring kind's descriptor, or the plan could not order its deletes.
func TestRegistry(t *testing.T) {
	p, err := provider.New(offline(), "s")
	if err != nil {
		t.Fatalf("the registry refuses the kinds' descriptors: %v", err)
	}
	for _, k := range p.Registry.Kinds() {
		if err := p.Registry[k].Describe().Validate(); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "examples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			st, ds, err := stack.LoadFile(f)
			if err != nil || ds.HasErrors() {
				t.Fatalf("load: %v %s", err, ds)
			}
			all, err := desired.Resources(st)
			if err != nil {
				t.Fatal(err)
			}
			checkReferences(t, p.Registry, all)
		})
	}
}

func checkReferences(t *testing.T, r resource.Registry, all []resource.Desired) {
	t.Helper()
	kinds := map[string]resource.Kind{}
	for _, d := range all {
		kinds[d.Address] = d.Kind
	}
	for _, d := range all {
		desc, ok := r.Descriptor(d.Kind)
		if !ok {
			t.Errorf("%s: no handler for kind %s", d.Address, d.Kind)
			continue
		}
		for prop, v := range d.Props {
			for _, ref := range refs(v) {
				if _, ok := desc.Reference(prop, kinds[ref.Address]); !ok {
					t.Errorf("%s (%s): %s refers to %s (%s), which the descriptor does not declare (declared: %+v)", d.Address, d.Kind, prop, ref.Address, kinds[ref.Address], desc.References)
				}
			}
		}
	}
}

func refs(v any) []resource.Ref {
	switch x := v.(type) {
	case resource.Ref:
		return []resource.Ref{x}
	case []any:
		var out []resource.Ref
		for _, e := range x {
			out = append(out, refs(e)...)
		}
		return out
	}
	return nil
}
