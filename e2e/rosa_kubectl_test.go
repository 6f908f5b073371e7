package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/pkg/kube"
)

// kubectlKinds are the kinds TestROSAKubectl reads with kubectl, as
// kubectl names them; the plan's k8s:<kind> kinds are the same words.
const kubectlKinds = "keycloak,secret,serviceaccount,role,rolebinding"

// kubectlList is the part of `kubectl get -o yaml` (a v1 List) the test
// reads.
type kubectlList struct {
	Kind  string `json:"kind"`
	Items []struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name          string            `json:"name"`
			Namespace     string            `json:"namespace"`
			Labels        map[string]string `json:"labels"`
			ManagedFields []struct {
				Manager   string `json:"manager"`
				Operation string `json:"operation"`
			} `json:"managedFields"`
		} `json:"metadata"`
		// Data is a Secret's data; only its keys are looked at.
		Data map[string]string `json:"data"`
	} `json:"items"`
}

// TestROSAKubectl: after an apply of examples/rosa-kube-ping.yaml, what
// `kubectl get -o yaml` shows in the namespace is what the plan created:
// every object kcstack made, and nothing else it labels, carries the
// managed-by, stack and address labels and a managedFields entry of the
// field manager kcstack applying it, and the database Secret is there with
// its keys. The Secret's values are never printed.
func TestROSAKubectl(t *testing.T) {
	t.Parallel()
	kubectl := kubetest.Kubectl(t)
	c := newROSACluster(t)
	file := c.stackFile(t, "rosa-kube-ping.yaml")
	want := plannedObjects(t, c.run(t, "plan", "-f", file, "--format", "json"))
	mustRun(t, "apply rosa-kube-ping.yaml", c.run(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")

	r := execute(t, invocation{bin: kubectl, dir: c.Dir, environ: append(c.environ(), "HOME="+c.Dir), timeout: time.Minute,
		args: []string{"--kubeconfig", c.kubeconfig, "--context", "gh-keycloak-a", "get", kubectlKinds, "-n", "keycloak", "-o", "yaml", "--show-managed-fields"}})
	if r.Code != 0 {
		// Stdout holds the Secret: only stderr is shown.
		t.Fatalf("kubectl get: exit %d\n%s", r.Code, r.Stderr)
	}
	var list kubectlList
	if err := yaml.Unmarshal([]byte(r.Stdout), &list); err != nil || list.Kind != "List" {
		t.Fatalf("kubectl get -o yaml is not a YAML List (kind %q): %v", list.Kind, err)
	}
	got := map[string]string{}
	dbSecret := false
	for _, item := range list.Items {
		m := item.Metadata
		kind := strings.ToLower(item.Kind)
		if m.Labels[kube.LabelManagedBy] != kube.ManagedBy {
			continue
		}
		got[m.Labels[kube.LabelAddress]] = kind
		if m.Labels[kube.LabelStack] != "sso-kube" {
			t.Errorf("%s %s: label %s = %q, want sso-kube", kind, m.Name, kube.LabelStack, m.Labels[kube.LabelStack])
		}
		applied := false
		for _, f := range m.ManagedFields {
			applied = applied || (f.Manager == "kcstack" && f.Operation == "Apply")
		}
		if !applied {
			t.Errorf("%s %s: managedFields %+v have no Apply by the field manager kcstack", kind, m.Name, m.ManagedFields)
		}
		if kind == "secret" && m.Name == kube.DBSecretName {
			dbSecret = item.Data["username"] != "" && item.Data["password"] != ""
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("objects labelled %s=%s by address, kubectl against the plan (-want +got):\n%s", kube.LabelManagedBy, kube.ManagedBy, diff)
	}
	if !dbSecret {
		t.Errorf("kubectl shows no Secret %s with keys username and password", kube.DBSecretName)
	}
}

// plannedObjects returns, by address, the kind of each object of the
// kinds kubectlKinds names that the JSON plan in r creates.
func plannedObjects(t *testing.T, r result) map[string]string {
	t.Helper()
	if r.Code != 0 {
		t.Fatalf("plan --format json: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	var p planJSON
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan --format json: %v", err)
	}
	out := map[string]string{}
	for _, c := range p.ResourceChanges {
		kind, ok := strings.CutPrefix(c.Kind, "k8s:")
		if ok && c.Action == "create" && strings.Contains(","+kubectlKinds+",", ","+kind+",") {
			out[c.Address] = kind
		}
	}
	for _, kind := range strings.Split(kubectlKinds, ",") {
		found := false
		for _, k := range out {
			found = found || k == kind
		}
		if !found {
			t.Fatalf("the plan of rosa-kube-ping.yaml creates no %s: %v", kind, out)
		}
	}
	return out
}
