package e2e

import (
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/pkg/kube"
)

// rosaCluster is a sandbox with the ROSA networks of aurora-rosa.yaml and a
// real Kubernetes API server reached through a kubeconfig whose contexts
// are named after the example's clusters.
type rosaCluster struct {
	*env
	kubeconfig string
	core       kubernetes.Interface
	dyn        dynamic.Interface
	// outputs are the stdout and stderr of every kcstack run.
	outputs []string
}

func newROSACluster(t *testing.T) *rosaCluster {
	t.Helper()
	e, _ := newSandbox(t)
	e.rosaNetworks(t)
	srv := kubetest.Start(t)
	srv.InstallKeycloakCRD(t)
	c := &rosaCluster{env: e, kubeconfig: filepath.Join(e.Dir, "kubeconfig")}
	if err := srv.WriteKubeconfig(c.kubeconfig, "gh-keycloak-a", "gh-keycloak-b"); err != nil {
		t.Fatal(err)
	}
	var err error
	if c.core, err = kubernetes.NewForConfig(srv.Config()); err != nil {
		t.Fatal(err)
	}
	if c.dyn, err = dynamic.NewForConfig(srv.Config()); err != nil {
		t.Fatal(err)
	}
	return c
}

// run runs kcstack with the kubeconfig and keeps its output.
func (c *rosaCluster) run(t *testing.T, args ...string) result {
	t.Helper()
	r := c.kcstack(t, append(args, "--kubeconfig", c.kubeconfig)...)
	c.outputs = append(c.outputs, r.Stdout, r.Stderr)
	return r
}

func (c *rosaCluster) keycloak(t *testing.T, ns string) *unstructured.Unstructured {
	t.Helper()
	u, err := c.dyn.Resource(kubetest.KeycloakGVR).Namespace(ns).Get(context.Background(), stackName, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("read the Keycloak custom resource in %s: %v", ns, err)
	}
	return u
}

// masterSecret returns the value Secrets Manager holds for the Aurora
// cluster's managed master user secret.
func (c *rosaCluster) masterSecret(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	got, err := rds.NewFromConfig(c.cfg).DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("kc-aurora")})
	if err != nil || len(got.DBClusters) != 1 || got.DBClusters[0].MasterUserSecret == nil {
		t.Fatalf("describe the Aurora cluster: %v", err)
	}
	v, err := secretsmanager.NewFromConfig(c.cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: got.DBClusters[0].MasterUserSecret.SecretArn})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(v.SecretString)
}

// secondNamespace puts rosa-b in its own namespace: both contexts reach the
// same API server.
var secondNamespace = []string{"namespace: keycloak\n        instances: 3\n  discovery", "namespace: keycloak-b\n        instances: 3\n  discovery"}

// TestROSA: with a kubeconfig reaching both clusters of aurora-rosa.yaml,
// apply from empty makes the AWS part and the in-cluster objects; the next
// plan has no changes; an edit of instances plans exactly that update and
// converges; a hand edit of the custom resource is planned back while a
// field another manager added stays; the database Secret holds what
// Secrets Manager holds, and no output shows it.
func TestROSA(t *testing.T) {
	t.Parallel()
	c := newROSACluster(t)
	ctx := context.Background()
	file := c.stackFile(t, "aurora-rosa.yaml", append(slices.Clone(unprotected), secondNamespace...)...)
	if _, err := c.core.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "keycloak-b"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "apply from empty", c.run(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!",
		"Note: namespace keycloak-b (targets.rosa-b.k8s.namespace) exists without kcstack's labels: kcstack uses it as it is and never deletes it.")
	for _, ns := range []string{"keycloak", "keycloak-b"} {
		if n, _, _ := unstructured.NestedInt64(c.keycloak(t, ns).Object, "spec", "instances"); n != 3 {
			t.Errorf("instances of the custom resource in %s = %d, want 3", ns, n)
		}
	}
	mustRun(t, "plan after apply", c.run(t, "plan", "-f", file), 0, "No changes.")

	secret, err := c.core.CoreV1().Secrets("keycloak").Get(ctx, kube.DBSecretName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var source map[string]string
	if err := json.Unmarshal([]byte(c.masterSecret(t)), &source); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"username", "password"} {
		if v := string(secret.Data[key]); v == "" || v != source[key] {
			t.Errorf("db Secret key %s does not hold the value of Secrets Manager", key)
		}
	}

	four := c.stackFile(t, "aurora-rosa.yaml", append(append(slices.Clone(unprotected), secondNamespace...), "        namespace: keycloak\n        instances: 3", "        namespace: keycloak\n        instances: 4")...)
	if diff := cmp.Diff([]string{"update targets.rosa-a.k8s.keycloak"}, c.jsonPlanWith(t, four)); diff != "" {
		t.Fatalf("plan of 4 instances (-want +got):\n%s", diff)
	}
	saved := filepath.Join(c.Dir, "four.kcplan")
	mustRun(t, "save the plan of 4 instances", c.run(t, "plan", "-f", four, "--out", saved), 0)
	mustRun(t, "apply a saved plan of in-cluster changes", c.run(t, "apply", saved, "--auto-approve"), 1, "nothing was applied: the saved plan changes in-cluster objects")
	mustRun(t, "apply 4 instances", c.run(t, "apply", "-f", four, "--auto-approve"), 0, "0 added, 1 changed, 0 destroyed")
	mustRun(t, "plan after 4 instances", c.run(t, "plan", "-f", four), 0, "No changes.")

	kc := c.dyn.Resource(kubetest.KeycloakGVR).Namespace("keycloak")
	if _, err := kc.Patch(ctx, stackName, types.MergePatchType, []byte(`{"spec":{"instances":9}}`), metav1.PatchOptions{FieldManager: "kubectl-edit"}); err != nil {
		t.Fatal(err)
	}
	other := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": kube.KeycloakAPIVersion, "kind": kube.KeycloakKind,
		"metadata": map[string]any{"name": stackName, "namespace": "keycloak", "labels": map[string]any{"team": "identity"}},
	}}
	if _, err := kc.Apply(ctx, stackName, other, metav1.ApplyOptions{FieldManager: "someone-else"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"update targets.rosa-a.k8s.keycloak"}, c.jsonPlanWith(t, four)); diff != "" {
		t.Fatalf("plan after a hand edit (-want +got):\n%s", diff)
	}
	mustRun(t, "apply after a hand edit", c.run(t, "apply", "-f", four, "--auto-approve"), 0, "0 added, 1 changed, 0 destroyed")
	live := c.keycloak(t, "keycloak")
	if n, _, _ := unstructured.NestedInt64(live.Object, "spec", "instances"); n != 4 {
		t.Errorf("instances after the apply = %d, want 4", n)
	}
	if live.GetLabels()["team"] != "identity" {
		t.Errorf("the label another manager added is gone: %v", live.GetLabels())
	}
	destroyed := c.run(t, "destroy", "-f", four, "--auto-approve")
	mustRun(t, "destroy", destroyed, 0, "Destroy complete!")
	for _, target := range []string{"rosa-a", "rosa-b"} {
		checkDeletedFirst(t, destroyed.Stdout, "targets."+target+".k8s.", "targets."+target+".peering: ")
	}
	if _, err := kc.Get(ctx, stackName, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the Keycloak custom resource after destroy: %v, want not found", err)
	}
	adopted, err := c.core.CoreV1().Namespaces().Get(ctx, "keycloak-b", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if adopted.DeletionTimestamp != nil || adopted.Labels[kube.LabelStack] != "" {
		t.Errorf("the adopted namespace after destroy: deleted at %v, labels %v; want it kept as it was", adopted.DeletionTimestamp, adopted.Labels)
	}
	password := string(secret.Data["password"])
	for _, out := range c.outputs {
		if strings.Contains(out, password) {
			t.Fatalf("the database password appears in kcstack's output:\n%s", out)
		}
	}
}

// checkDeletedFirst fails t unless every line of out about an address
// starting with first comes before the first line starting with then.
func checkDeletedFirst(t *testing.T, out, first, then string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	at := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, then) })
	last := -1
	for i, l := range lines {
		if strings.HasPrefix(l, first) {
			last = i
		}
	}
	if at < 0 || last < 0 || last > at {
		t.Errorf("%s* is not deleted before %s (lines %d and %d):\n%s", first, then, last, at, out)
	}
}

// jsonPlanWith is jsonPlan with the kubeconfig.
func (c *rosaCluster) jsonPlanWith(t *testing.T, file string) []string {
	t.Helper()
	return nonNoOps(t, c.run(t, "plan", "-f", file, "--format", "json"))
}

// TestROSADiscovery: for each discovery mode and Keycloak version on ROSA,
// apply from empty makes the mode's objects, and the next plan has no
// changes; the kube-ping ServiceAccount may list pods and not secrets.
func TestROSADiscovery(t *testing.T) {
	t.Parallel()
	kubePing26_0 := []string{"version: \"26.4.2\"", "version: \"26.0.8\"", "keycloak-kubeping:26.4.2", "keycloak-kubeping:26.0.8"}
	dnsPing := append(slices.Clone(secondNamespace), "    mode: jdbc-ping", "    mode: dns-ping")
	cases := map[string]struct {
		reason  string
		example string
		edits   []string
		check   func(t *testing.T, c *rosaCluster)
	}{
		"kube-ping 26.4": {reason: "kube-ping's ServiceAccount, Role and RoleBinding", example: "rosa-kube-ping.yaml", check: checkKubePing},
		"kube-ping 26.0": {reason: "before 26.4 owners need the cache ConfigMap", example: "rosa-kube-ping.yaml", edits: kubePing26_0,
			check: func(t *testing.T, c *rosaCluster) {
				checkKubePing(t, c)
				if _, err := c.core.CoreV1().ConfigMaps("keycloak").Get(context.Background(), kube.CacheConfigName, metav1.GetOptions{}); err != nil {
					t.Errorf("the cache configuration of 26.0: %v", err)
				}
			}},
		"dns-ping 26.4": {reason: "dns-ping's headless Service", example: "aurora-rosa.yaml", edits: dnsPing,
			check: func(t *testing.T, c *rosaCluster) {
				svcs, err := c.core.CoreV1().Services("keycloak").List(context.Background(), metav1.ListOptions{LabelSelector: kube.LabelManagedBy + "=" + kube.ManagedBy})
				if err != nil || len(svcs.Items) != 1 || svcs.Items[0].Spec.ClusterIP != "None" || !svcs.Items[0].Spec.PublishNotReadyAddresses {
					t.Errorf("dns-ping's Service: %v %+v, want one headless Service publishing addresses not ready", err, svcs)
				}
			}},
	}
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			c := newROSACluster(t)
			file := c.stackFile(t, tc.example, tc.edits...)
			mustRun(t, "apply from empty ("+tc.reason+")", c.run(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
			mustRun(t, "plan after apply", c.run(t, "plan", "-f", file), 0, "No changes.")
			tc.check(t, c)
		})
	}
}

// checkKubePing checks that the kube-ping ServiceAccount in namespace
// keycloak may list pods and may not list secrets.
func checkKubePing(t *testing.T, c *rosaCluster) {
	t.Helper()
	user := "system:serviceaccount:keycloak:" + kube.KubePingName
	for resourceName, want := range map[string]bool{"pods": true, "secrets": false} {
		review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User: user, ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: "keycloak", Verb: "list", Resource: resourceName},
		}}
		got, err := c.core.AuthorizationV1().SubjectAccessReviews().Create(context.Background(), review, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status.Allowed != want {
			t.Errorf("%s may list %s: %v, want %v", user, resourceName, got.Status.Allowed, want)
		}
	}
}

// TestROSAUnreachable: without any kubeconfig a plan says, for each ROSA
// target, that its in-cluster part was not read and why; with a kubeconfig
// that lacks a target's context, apply stops before changing anything.
func TestROSAUnreachable(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	e.rosaNetworks(t)
	file := e.stackFile(t, "aurora-rosa.yaml", unprotected...)
	environ := append(e.environ(), "HOME="+e.Dir, "KUBECONFIG=")
	r := runWithEnv(t, e.Dir, environ, "plan", "-f", file)
	mustRun(t, "plan without a kubeconfig", r, 0, "Plan: 21 to add",
		"Note: the in-cluster part of target rosa-a (Keycloak custom resource, Secrets, discovery objects) was not read: no kubeconfig",
		"Note: the in-cluster part of target rosa-b")

	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["elsewhere"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1"}
	cfg.Contexts["elsewhere"] = &clientcmdapi.Context{Cluster: "elsewhere"}
	kubeconfig := filepath.Join(e.Dir, "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, kubeconfig); err != nil {
		t.Fatal(err)
	}
	r = runWithEnv(t, e.Dir, environ, "apply", "-f", file, "--auto-approve", "--kubeconfig", kubeconfig)
	mustRun(t, "apply with a kubeconfig lacking the targets' contexts", r, 1, "nothing was applied", "the kubeconfig has no context gh-keycloak-a")
	for kind, n := range e.owned(t, stackName) {
		if n != 0 {
			t.Errorf("apply made %d %s although it stopped", n, kind)
		}
	}
}
