package stack

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

// TestInstancesReferenceTheirCluster: an instance names its cluster by a
// reference, so that a plan replacing the cluster (a new engine major
// version) replaces the instances with it — RDS refuses to delete a
// cluster that still has instances.
func TestInstancesReferenceTheirCluster(t *testing.T) {
	st, ds, err := LoadFile("../../examples/aurora-rosa.yaml")
	if err != nil || ds.HasErrors() {
		t.Fatalf("load example: %v %v", err, ds)
	}
	got := map[string]any{}
	for _, d := range st.Resources() {
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
