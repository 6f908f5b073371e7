package e2e

import (
	"bytes"
	"context"
	"maps"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kcstack/kcstack/pkg/kube"
)

// TestROSAOwnership: rosa-kube-ping.yaml (stack sso-kube) and
// aurora-rosa.yaml (stack sso-rosa) want the same Secret in namespace
// keycloak of one API server. After the first applies, the second's plan
// and apply refuse, naming the first's Secret and its stack, exit 1; the
// first's Secret keeps its data and resourceVersion and the first's next
// plan has no changes.
func TestROSAOwnership(t *testing.T) {
	t.Parallel()
	c := newROSACluster(t)
	first := c.stackFile(t, "rosa-kube-ping.yaml")
	mustRun(t, "apply of the first stack", c.run(t, "apply", "-f", first, "--auto-approve"), 0, "Apply complete!")
	before := c.dbSecret(t)

	second := c.twoTargets(t)
	refusal := []string{"Secret keycloak/" + kube.DBSecretName + " exists and is not this stack's", `owned by kcstack stack "sso-kube"`, "rosa.namespace"}
	mustRun(t, "plan of the second stack", c.run(t, "plan", "-f", second), 1, refusal...)
	mustRun(t, "apply of the second stack", c.run(t, "apply", "-f", second, "--auto-approve"), 1, refusal...)

	after := c.dbSecret(t)
	if after.ResourceVersion != before.ResourceVersion {
		t.Errorf("the first stack's Secret changed: resourceVersion %s, was %s; labels now %v", after.ResourceVersion, before.ResourceVersion, after.Labels)
	}
	if !maps.EqualFunc(before.Data, after.Data, bytes.Equal) {
		t.Error("the first stack's Secret data changed")
	}
	mustRun(t, "plan of the first stack after the refusal", c.run(t, "plan", "-f", first), 0, "No changes.")
}

// dbSecret returns the database Secret in namespace keycloak.
func (c *rosaCluster) dbSecret(t *testing.T) *corev1.Secret {
	t.Helper()
	s, err := c.core.CoreV1().Secrets("keycloak").Get(context.Background(), kube.DBSecretName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
