package desired

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// TestInstancesReferenceTheirCluster: an instance names its cluster by a
// reference, so that a plan replacing the cluster (a new engine major
// version) replaces the instances with it — RDS refuses to delete a
// cluster that still has instances.
func TestInstancesReferenceTheirCluster(t *testing.T) {
	st, ds, err := stack.LoadFile("../../examples/aurora-rosa.yaml")
	if err != nil || ds.HasErrors() {
		t.Fatalf("load example: %v %v", err, ds)
	}
	all, err := Resources(st)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for _, d := range all {
		if d.Kind == resource.KindDBInstance {
			got[d.Address] = d.Props["cluster_identifier"]
		}
	}
	want := map[string]any{
		"database.instance[0]": resource.Ref{Address: AddrDBCluster, Attr: "id"},
		"database.instance[1]": resource.Ref{Address: AddrDBCluster, Attr: "id"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cluster_identifier of the instances (-want +got):\n%s", diff)
	}
}
