package e2e

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/kcstack/kcstack/pkg/plan"
)

// noteJSON is one entry of a JSON plan's notes (pkg/plan/render/json.md).
type noteJSON struct {
	Target   string `json:"target"`
	Address  string `json:"address"`
	Text     string `json:"text"`
	Blocking bool   `json:"blocking"`
}

// planNotes runs plan --format json with args and returns its notes.
func planNotes(t *testing.T, r result) []noteJSON {
	t.Helper()
	if r.Code != 0 {
		t.Fatalf("plan --format json: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	var p struct {
		Notes []noteJSON `json:"notes"`
	}
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan --format json is not JSON: %v\n%s", err, r.Stdout)
	}
	return p.Notes
}

// checkNotes fails t unless notes are, in order, one per target of
// targets, each blocking as blocking says, its text naming the target and
// containing reason.
func checkNotes(t *testing.T, notes []noteJSON, targets []string, blocking bool, reason string) {
	t.Helper()
	var got []string
	for _, n := range notes {
		got = append(got, n.Target)
		if n.Blocking != blocking || !strings.Contains(n.Text, "the in-cluster part of target "+n.Target+" ") || !strings.Contains(n.Text, reason) {
			t.Errorf("note %+v: want blocking %v and a text naming target %s and saying %q", n, blocking, n.Target, reason)
		}
	}
	if !slices.Equal(targets, got) {
		t.Errorf("targets of the notes: %q, want %q", got, targets)
	}
}

// TestROSANotes: the notes a plan prints on stderr are in its JSON and
// Markdown forms too: the ROSA targets whose clusters were not read
// (blocking when a kubeconfig was given but lacks their contexts) and a
// Namespace kcstack adopts. A plan file carries them: apply PLANFILE
// prints them and refuses one with a blocking note, and a plan file whose
// notes were removed fails its digest.
func TestROSANotes(t *testing.T) {
	t.Parallel()
	t.Run("unread", func(t *testing.T) {
		t.Parallel()
		e, _ := newSandbox(t)
		e.rosaNetworks(t)
		file := e.stackFile(t, "aurora-rosa.yaml", unprotected...)
		environ := append(e.environ(), "HOME="+e.Dir, "KUBECONFIG=")
		targets := []string{"rosa-a", "rosa-b"}

		r := runWithEnv(t, e.Dir, environ, "plan", "-f", file, "--format", "json")
		checkNotes(t, planNotes(t, r), targets, false, "was not read: no kubeconfig: set KUBECONFIG or pass --kubeconfig")
		mustRun(t, "plan --format json without a kubeconfig", r, 0, "Note: the in-cluster part of target rosa-a")
		r = runWithEnv(t, e.Dir, environ, "plan", "-f", file, "--format", "markdown")
		mustRun(t, "plan --format markdown without a kubeconfig", r, 0, "**Notes:**",
			"\n- The in-cluster part of target rosa-a (Keycloak custom resource, Secrets, discovery objects) was not read: no kubeconfig",
			"\n- The in-cluster part of target rosa-b")
		if strings.Contains(r.Stdout, "Blocks apply") {
			t.Errorf("a note without a kubeconfig is marked as blocking:\n%s", r.Stdout)
		}

		kubeconfig := filepath.Join(e.Dir, "kubeconfig")
		cfg := clientcmdapi.NewConfig()
		cfg.Clusters["elsewhere"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1"}
		cfg.Contexts["elsewhere"] = &clientcmdapi.Context{Cluster: "elsewhere"}
		if err := clientcmd.WriteToFile(*cfg, kubeconfig); err != nil {
			t.Fatal(err)
		}
		r = runWithEnv(t, e.Dir, environ, "plan", "-f", file, "--format", "json", "--kubeconfig", kubeconfig)
		checkNotes(t, planNotes(t, r), targets, true, "the kubeconfig has no context gh-keycloak-")
		r = runWithEnv(t, e.Dir, environ, "plan", "-f", file, "--format", "markdown", "--kubeconfig", kubeconfig)
		mustRun(t, "plan --format markdown with a kubeconfig lacking the contexts", r, 0,
			"**Notes:**", "\n- **Blocks apply:** the in-cluster part of target rosa-a", "\n- **Blocks apply:** the in-cluster part of target rosa-b")

		saved := filepath.Join(e.Dir, "blocked.kcplan")
		r = runWithEnv(t, e.Dir, environ, "plan", "-f", file, "--out", saved, "--kubeconfig", kubeconfig)
		mustRun(t, "save a plan with blocking notes", r, 0, "Saved the plan")
		var kept []plan.Note
		copied := tamper(t, saved, saved+".copy", func(p *plan.Plan) { kept = p.Notes }, false)
		var notes []noteJSON
		for _, n := range kept {
			notes = append(notes, noteJSON{Target: n.Target, Address: n.Address, Text: n.Text, Blocking: n.Blocking})
		}
		checkNotes(t, notes, targets, true, "the kubeconfig has no context")
		r = runWithEnv(t, e.Dir, environ, "apply", saved, "--auto-approve")
		mustRun(t, "apply a saved plan with blocking notes", r, 1, "Note: the in-cluster part of target rosa-a",
			"nothing was applied: the cluster of a ROSA target cannot be reached", "target rosa-b: the in-cluster part of target rosa-b")

		// The copy kept as it was shows that rewriting the file alone does
		// not break its digest: removing the notes does.
		r = runWithEnv(t, e.Dir, environ, "apply", copied, "--auto-approve")
		mustRun(t, "apply a rewritten copy of the saved plan", r, 1, "nothing was applied: the cluster of a ROSA target cannot be reached")
		stripped := tamper(t, saved, saved+".stripped", func(p *plan.Plan) { p.Notes = nil }, false)
		r = runWithEnv(t, e.Dir, environ, "apply", stripped, "--auto-approve")
		mustRun(t, "apply a saved plan whose notes were removed", r, 1, "was modified after kcstack plan wrote it")
		for kind, n := range e.owned(t, stackName) {
			if n != 0 {
				t.Errorf("apply made %d %s although it stopped", n, kind)
			}
		}
	})
	t.Run("adopted", func(t *testing.T) {
		t.Parallel()
		c := newROSACluster(t)
		file := c.stackFile(t, "rosa-kube-ping.yaml")
		if _, err := c.core.CoreV1().Namespaces().Create(t.Context(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "keycloak"}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		text := "namespace keycloak (targets.rosa.k8s.namespace) exists without kcstack's labels: kcstack uses it as it is and never deletes it."
		want := noteJSON{Target: "rosa", Address: "targets.rosa.k8s.namespace", Text: text}
		if got := planNotes(t, c.run(t, "plan", "-f", file, "--format", "json")); len(got) != 1 || got[0] != want {
			t.Errorf("notes of a plan adopting a namespace: %+v, want one: %+v", got, want)
		}
		mustRun(t, "plan --format markdown adopting a namespace", c.run(t, "plan", "-f", file, "--format", "markdown"), 0,
			"**Notes:**", "\n- Namespace keycloak (targets.rosa.k8s.namespace) exists without kcstack's labels")
		mustRun(t, "plan adopting a namespace", c.run(t, "plan", "-f", file), 0, "Note: "+text)
	})
}
