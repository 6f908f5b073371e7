package cluster_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/pkg/kube"
)

// TestKeycloakStatus: the observation of the Keycloak custom resource
// carries its hostname and the status the Operator reports in
// .status.conditions (written here through the status subresource, as the
// Operator does), and a status change is no difference to apply.
func TestKeycloakStatus(t *testing.T) {
	e := setup(t, "kc-status")
	e.converge()
	address := kube.Address("rosa", "keycloak")
	cases := []struct {
		reason     string
		conditions []any
		want       string
	}{
		{reason: "nothing reported yet", want: "no status reported by the Keycloak Operator yet"},
		{reason: "starting", want: "not ready: Waiting for more replicas",
			conditions: []any{cond("Ready", "False", "Waiting for more replicas"), cond("HasErrors", "False", "")}},
		{reason: "ready", want: "Ready",
			conditions: []any{cond("Ready", "True", ""), cond("HasErrors", "False", "")}},
		{reason: "errors win over ready", want: "has errors: the database is unreachable",
			conditions: []any{cond("Ready", "True", ""), cond("HasErrors", "True", "the database is unreachable")}},
	}
	for _, tc := range cases {
		if tc.conditions != nil {
			u := e.keycloak()
			if err := unstructured.SetNestedSlice(u.Object, tc.conditions, "status", "conditions"); err != nil {
				t.Fatal(err)
			}
			if _, err := e.dyn.Resource(kubetest.KeycloakGVR).Namespace(e.ns).UpdateStatus(e.ctx, u, metav1.UpdateOptions{}); err != nil {
				t.Fatalf("%s: write the status: %v", tc.reason, err)
			}
		}
		ob, ok := e.observe()[address]
		if !ok {
			t.Fatalf("no observation at %s", address)
		}
		got := map[string]string{"status": ob.Attrs[kube.AttrStatus], "hostname": ob.Attrs[kube.AttrHostname]}
		want := map[string]string{"status": tc.want, "hostname": "https://auth.apps.example.com"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
		}
		if changed := e.converge(); len(changed) != 0 {
			t.Errorf("%s: a status change is no difference to apply, got %v", tc.reason, changed)
		}
	}
}

func cond(kind, status, message string) map[string]any {
	return map[string]any{"type": kind, "status": status, "message": message}
}
