package desired

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

func loadROSA(t *testing.T) *stack.Stack {
	t.Helper()
	st, ds, err := stack.LoadFile("../../examples/aurora-rosa.yaml")
	if err != nil || ds.HasErrors() {
		t.Fatalf("load example: %v %v", err, ds)
	}
	return st
}

// TestInCluster: each ROSA target's objects are addressed
// targets.<target>.k8s.<object>, refer to the Aurora cluster only through
// references their kind's descriptor declares, and come after the
// database and the target's peering.
func TestInCluster(t *testing.T) {
	all, err := InCluster(loadROSA(t))
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, d := range all {
		addrs = append(addrs, d.Address)
		desc, _ := kube.Descriptor(d.Kind)
		for _, k := range resource.SortedKeys(d.Props) {
			r, isRef := d.Props[k].(resource.Ref)
			if !isRef {
				continue
			}
			kind, want := resource.KindDBCluster, AddrDBCluster
			if k == kube.PropPeering {
				kind, want = resource.KindPeering, d.Address[:strings.Index(d.Address, ".k8s.")]+".peering"
			}
			decl, ok := desc.Reference(k, kind)
			if !ok || r != (resource.Ref{Address: want, Attr: decl.Attr}) {
				t.Errorf("%s: %s = %v, which %s does not declare", d.Address, k, r, d.Kind)
			}
		}
		if !strings.Contains(strings.Join(d.DependsOn, " "), ".peering") {
			t.Errorf("%s does not wait for its target's peering: %v", d.Address, d.DependsOn)
		}
	}
	want := []string{
		"targets.rosa-a.k8s.namespace", "targets.rosa-a.k8s.db-secret", "targets.rosa-a.k8s.keycloak",
		"targets.rosa-b.k8s.namespace", "targets.rosa-b.k8s.db-secret", "targets.rosa-b.k8s.keycloak",
	}
	if diff := cmp.Diff(want, addrs); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	keycloak := all[2]
	if diff := cmp.Diff(resource.Ref{Address: AddrDBCluster, Attr: "endpoint"}, keycloak.Props[kube.PropWriterEndpoint]); diff != "" {
		t.Errorf("the custom resource's host (-want +got):\n%s", diff)
	}
}

// TestResourcesWithoutInCluster: until a Kubernetes provider handles them,
// the plan of a ROSA stack holds no in-cluster kind.
func TestResourcesWithoutInCluster(t *testing.T) {
	all, err := Resources(loadROSA(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range all {
		if _, ok := kube.Descriptor(d.Kind); ok {
			t.Errorf("%s (%s) is in the plan", d.Address, d.Kind)
		}
	}
}
