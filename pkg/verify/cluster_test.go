package verify

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// TestClusters: the Keycloak custom resource of a target whose cluster was
// read is checked on the status the Operator reports; a target not read
// is skipped with the reason, which does not fail the report.
func TestClusters(t *testing.T) {
	desired := []resource.Desired{
		{Address: "targets.a.k8s.keycloak", Kind: kube.KindKeycloak},
		{Address: "targets.b.k8s.keycloak", Kind: kube.KindKeycloak},
		{Address: "targets.c.k8s.keycloak", Kind: kube.KindKeycloak},
	}
	snap := snapshot(
		resource.Observation{Address: "targets.a.k8s.keycloak", Exists: true, ID: "kc", Attrs: map[string]string{kube.AttrStatus: "Ready"}},
		resource.Observation{Address: "targets.b.k8s.keycloak", Exists: true, ID: "kc", Attrs: map[string]string{kube.AttrStatus: "has errors: database unreachable"}},
	)
	in := Input{Desired: desired, Snapshot: snap, Unread: []Unread{{Target: "d", Reason: "no kubeconfig: pass --kubeconfig"}}}
	rep, err := Run(context.Background(), Clients{}, in)
	if err != nil {
		t.Fatal(err)
	}
	hint := "kubectl describe keycloak (its status conditions), the Keycloak Operator's logs and the Keycloak pods' logs"
	want := []summary{
		{Name: "keycloak ready", Status: "skip", Message: "the in-cluster part was not read: no kubeconfig: pass --kubeconfig"},
		{Name: "keycloak ready", Status: "pass", Message: "Ready"},
		{Name: "keycloak ready", Status: "fail", Message: "the Keycloak custom resource reports: has errors: database unreachable", Hint: hint},
		{Name: "keycloak ready", Status: "fail", Message: "the Keycloak custom resource does not exist", Hint: "run kcstack apply"},
	}
	if diff := cmp.Diff(want, summaries(rep)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	skipped := &Report{Checks: rep.Checks[:2]}
	if !skipped.Passed() {
		t.Errorf("a report with a skipped and a passed check did not pass")
	}
}
