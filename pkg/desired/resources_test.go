package desired

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/kube"
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

// TestPeeringNamesItsCluster: the peering of a ROSA target carries the
// kubeconfig context and namespace of its in-cluster part (what finds the
// objects of a target removed from the file); an ECS target's peering has
// no cluster to name.
func TestPeeringNamesItsCluster(t *testing.T) {
	cases := map[string]struct {
		reason  string
		example string
		want    map[string][2]string
	}{
		"rosa": {reason: "each ROSA target names its own context and namespace", example: "aurora-rosa.yaml",
			want: map[string][2]string{"targets.rosa-a.peering": {"gh-keycloak-a", "keycloak"}, "targets.rosa-b.peering": {"gh-keycloak-b", "keycloak"}}},
		"ecs": {reason: "an ECS target's peering names no cluster", example: "ecs-jdbc-ping.yaml", want: map[string][2]string{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			st, ds, err := stack.LoadFile("../../examples/" + tc.example)
			if err != nil || ds.HasErrors() {
				t.Fatalf("load example: %v %v", err, ds)
			}
			all, err := Resources(st)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][2]string{}
			for _, d := range all {
				if d.Kind != resource.KindPeering {
					continue
				}
				if d.Tags[resource.TagAddress] != d.Address {
					t.Errorf("%s lost its address tag: %v", d.Address, d.Tags)
				}
				if c, ok := d.Tags[kube.TagContext]; ok {
					got[d.Address] = [2]string{c, d.Tags[kube.TagNamespace]}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: cluster tags of the peerings (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
