package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/stack"
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
	return connectROSA(t, kubetest.Start(t), "gh-keycloak-a", "gh-keycloak-b")
}

// connectROSA is a new sandbox with the ROSA networks whose kubeconfig has
// contexts, each reaching srv, where the Keycloak CRD is installed.
func connectROSA(t *testing.T, srv *kubetest.Server, contexts ...string) *rosaCluster {
	t.Helper()
	e, _ := newSandbox(t)
	e.rosaNetworks(t)
	srv.InstallKeycloakCRD(t)
	c := &rosaCluster{env: e, kubeconfig: filepath.Join(e.Dir, "kubeconfig")}
	if err := srv.WriteKubeconfig(c.kubeconfig, contexts...); err != nil {
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
	v, err := secretsmanager.NewFromConfig(c.cfg).GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(c.masterSecretARN(t))})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(v.SecretString)
}

// masterSecretARN returns the ARN of the Aurora cluster's managed master
// user secret.
func (c *rosaCluster) masterSecretARN(t *testing.T) string {
	t.Helper()
	got, err := rds.NewFromConfig(c.cfg).DescribeDBClusters(context.Background(), &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("kc-aurora")})
	if err != nil || len(got.DBClusters) != 1 || got.DBClusters[0].MasterUserSecret == nil {
		t.Fatalf("describe the Aurora cluster: %v", err)
	}
	return aws.ToString(got.DBClusters[0].MasterUserSecret.SecretArn)
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

// TestROSADiscovery: for each discovery mode on ROSA and Keycloak 26.0
// and 26.4, on one API server (each case a stack and namespaces of its
// own), apply from empty makes exactly the mode's objects (none of the
// other modes'), the custom resource names the mode's cache stack and
// carries the owners (options from 26.4, the cache ConfigMap before), and
// the next plan has no changes; jdbc-ping on 26.0 is refused before
// anything is made; the kube-ping ServiceAccount may list pods and not
// secrets.
func TestROSADiscovery(t *testing.T) {
	t.Parallel()
	v26_0 := all(set("spec.keycloak.version", "26.0.8"))
	kubePing26_0 := all(v26_0, set("spec.keycloak.image", "quay.io/example/keycloak-kubeping:26.0.8"))
	dnsPing := set("spec.discovery.mode", "dns-ping")
	cases := map[string]struct {
		reason  string
		example string
		edit    edit
		// objects are the object names each target has.
		objects    []string
		cacheStack string
		check      func(t *testing.T, c *rosaCluster, ns string)
	}{
		"jdbc-ping 26.4": {reason: "nothing but the database", example: "aurora-rosa.yaml",
			objects: []string{"db-secret", "keycloak", "namespace"}, cacheStack: "jdbc-ping"},
		"dns-ping 26.4": {reason: "a headless Service", example: "aurora-rosa.yaml", edit: dnsPing,
			objects: []string{"db-secret", "discovery-service", "keycloak", "namespace"}, cacheStack: "kubernetes", check: checkHeadless},
		"dns-ping 26.0": {reason: "a headless Service, and owners in the cache ConfigMap", example: "aurora-rosa.yaml", edit: all(dnsPing, v26_0),
			objects: []string{"cache-config", "db-secret", "discovery-service", "keycloak", "namespace"}, cacheStack: "kubernetes", check: checkHeadless},
		"kube-ping 26.4": {reason: "a ServiceAccount, Role and RoleBinding, and the cache ConfigMap defining the stack", example: "rosa-kube-ping.yaml",
			objects:    []string{"cache-config", "db-secret", "discovery-account", "discovery-binding", "discovery-role", "keycloak", "namespace"},
			cacheStack: keycloak.KubePingStack, check: checkKubePing},
		"kube-ping 26.0": {reason: "as on 26.4", example: "rosa-kube-ping.yaml", edit: kubePing26_0,
			objects:    []string{"cache-config", "db-secret", "discovery-account", "discovery-binding", "discovery-role", "keycloak", "namespace"},
			cacheStack: keycloak.KubePingStack, check: checkKubePing},
	}
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		tc := cases[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newSharedROSA(t)
			sn := "disc-" + strings.NewReplacer(" ", "-", ".", "-").Replace(name)
			file := c.edited(t, tc.example, tc.edit, scopedROSA(sn))
			mustRun(t, "apply from empty ("+tc.reason+")", c.run(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
			mustRun(t, "plan after apply", c.run(t, "plan", "-f", file), 0, "No changes.")
			var want []string
			targets := []string{"rosa-a", "rosa-b"}
			if tc.example == "rosa-kube-ping.yaml" {
				targets = []string{"rosa"}
			}
			for _, target := range targets {
				for _, o := range tc.objects {
					want = append(want, kube.Address(target, o))
				}
			}
			if diff := cmp.Diff(want, slices.Sorted(maps.Keys(liveObjects(t, c.dyn, sn)))); diff != "" {
				t.Errorf("objects of %s (-want +got):\n%s", name, diff)
			}
			for _, target := range targets {
				ns := sn + "-" + target
				checkCaches(t, c, ns, sn, tc.cacheStack, 2, strings.HasSuffix(name, "26.4"))
				if tc.check != nil {
					tc.check(t, c, ns)
				}
			}
		})
	}
	t.Run("jdbc-ping 26.0", func(t *testing.T) {
		t.Parallel()
		c := newSharedROSA(t)
		sn := "disc-jdbc-ping-26-0"
		file := c.edited(t, "aurora-rosa.yaml", v26_0, scopedROSA(sn))
		mustRun(t, "plan jdbc-ping on 26.0", c.run(t, "plan", "-f", file), 1,
			"error: spec.discovery.mode: jdbc-ping is built into Keycloak only from 26.1, not 26.0.8; use dns-ping, or Keycloak 26.1 or later")
		mustRun(t, "apply jdbc-ping on 26.0", c.run(t, "apply", "-f", file, "--auto-approve"), 1,
			"jdbc-ping is built into Keycloak only from 26.1, not 26.0.8")
		if got := liveObjects(t, c.dyn, sn); len(got) != 0 {
			t.Errorf("a refused stack made objects: %v", got)
		}
	})
}

// checkCaches checks the cache settings of the custom resource of stack in
// ns: the cache stack, and the owners of authenticationSessions as an
// option from 26.4 (ownersOptions), in the cache ConfigMap the custom
// resource names before.
func checkCaches(t *testing.T, c *rosaCluster, ns, name, cacheStack string, owners int, ownersOptions bool) {
	t.Helper()
	kc := c.keycloakOf(t, ns, name)
	options := map[string]string{}
	list, _, _ := unstructured.NestedSlice(kc.Object, "spec", "additionalOptions")
	for _, o := range list {
		m, _ := o.(map[string]any)
		name, _ := m["name"].(string)
		value, _ := m["value"].(string)
		options[name] = value
	}
	if options["cache-stack"] != cacheStack {
		t.Errorf("%s: cache-stack = %q, want %q", ns, options["cache-stack"], cacheStack)
	}
	option := options["spi-cache-embedded--default--authentication-sessions-owners"]
	configMap, _, _ := unstructured.NestedString(kc.Object, "spec", "cache", "configMapFile", "name")
	if ownersOptions {
		if option != strconv.Itoa(owners) {
			t.Errorf("%s: the owners option of authenticationSessions = %q, want %d", ns, option, owners)
		}
		if cacheStack != keycloak.KubePingStack && configMap != "" {
			t.Errorf("%s: the custom resource names a cache ConfigMap %s; 26.4 needs none for %s", ns, configMap, cacheStack)
		}
		return
	}
	if option != "" || configMap != kube.CacheConfigName {
		t.Fatalf("%s: owners option %q, cache ConfigMap %q; want no option and %s", ns, option, configMap, kube.CacheConfigName)
	}
	cm, err := c.core.CoreV1().ConfigMaps(ns).Get(context.Background(), configMap, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if xml := cm.Data[keycloak.CacheConfigFile]; !strings.Contains(xml, fmt.Sprintf(`<distributed-cache name="authenticationSessions" owners="%d">`, owners)) {
		t.Errorf("%s: the cache configuration lacks authenticationSessions with %d owners:\n%s", ns, owners, xml)
	}
}

// keycloakOf reads the Keycloak custom resource of stack in ns.
func (c *rosaCluster) keycloakOf(t *testing.T, ns, name string) *unstructured.Unstructured {
	t.Helper()
	u, err := c.dyn.Resource(kubetest.KeycloakGVR).Namespace(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("read the Keycloak custom resource %s in %s: %v", name, ns, err)
	}
	return u
}

// checkHeadless checks the Service of dns-ping in ns: headless, publishing
// addresses of pods not ready, on the JGroups port.
func checkHeadless(t *testing.T, c *rosaCluster, ns string) {
	t.Helper()
	svc, err := c.core.CoreV1().Services(ns).Get(context.Background(), stack.DefaultDNSServiceName, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("dns-ping's Service in %s: %v", ns, err)
	}
	if svc.Spec.ClusterIP != "None" || !svc.Spec.PublishNotReadyAddresses || len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].Port != keycloak.JGroupsPort {
		t.Errorf("dns-ping's Service in %s: %+v, want one headless Service publishing addresses not ready on port %d", ns, svc.Spec, keycloak.JGroupsPort)
	}
}

// checkKubePing checks that the kube-ping ServiceAccount in namespace ns
// may list pods and may not list secrets.
func checkKubePing(t *testing.T, c *rosaCluster, ns string) {
	t.Helper()
	user := "system:serviceaccount:" + ns + ":" + kube.KubePingName
	for resourceName, want := range map[string]bool{"pods": true, "secrets": false} {
		review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User: user, ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Verb: "list", Resource: resourceName},
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

// newSharedROSA is newROSACluster on the API server the package's tests
// share (kubetest.Shared): tests on it scope their stacks with stack and
// give each ROSA target a namespace of its own (scopedROSA).
func newSharedROSA(t *testing.T) *rosaCluster {
	t.Helper()
	return connectROSA(t, kubetest.Shared(t), "gh-keycloak-a", "gh-keycloak-b")
}

// scopedROSA names the stack name and puts each ROSA target in namespace
// <name>-<target>: stacks sharing one API server never read or write each
// other's objects.
func scopedROSA(name string) edit {
	return scoped(name, func(target, _, _ string) string { return name + "-" + target })
}

// scopedByCluster is scopedROSA with namespaces per cluster,
// <name>-<cluster>-<namespace>, as each ROSA cluster is its own: a renamed
// target keeps its namespace, an edited namespace is another one.
func scopedByCluster(name string) edit {
	return scoped(name, func(_, cluster, namespace string) string { return name + "-" + cluster + "-" + namespace })
}

// scoped names the stack name and sets the namespace of each ROSA target
// to namespace(target, cluster, its namespace in the file or the default).
func scoped(name string, namespace func(target, cluster, namespace string) string) edit {
	return func(doc map[string]any) error {
		if err := set("metadata.name", name)(doc); err != nil {
			return err
		}
		targets, _ := lookup(doc, "spec.targets")
		list, _ := targets.([]any)
		for _, tg := range list {
			m, ok := tg.(map[string]any)
			r, isROSA := m["rosa"].(map[string]any)
			if ok && isROSA {
				target, _ := m["name"].(string)
				cluster, _ := r["cluster"].(string)
				ns, _ := r["namespace"].(string)
				if ns == "" {
					ns = stack.DefaultROSANamespace
				}
				r["namespace"] = namespace(target, cluster, ns)
			}
		}
		return nil
	}
}

// edited writes the example, prepared (unprotected) and edited by eds, to
// c.Dir and returns its path.
func (c *rosaCluster) edited(t *testing.T, example string, eds ...edit) string {
	t.Helper()
	return writeEdited(t, c.env, base{file: "examples/" + example, prepare: unprotect}, all(eds...), nil)
}

// inClusterResources are the API resources of every in-cluster kind
// kcstack makes.
var inClusterResources = []schema.GroupVersionResource{
	{Version: "v1", Resource: "namespaces"}, {Version: "v1", Resource: "secrets"}, {Version: "v1", Resource: "configmaps"},
	{Version: "v1", Resource: "services"}, {Version: "v1", Resource: "serviceaccounts"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"},
	{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"},
	kubetest.KeycloakGVR,
}

// liveObjects reads, in every namespace, the objects carrying stack's
// label kcstack.io/stack: the UID of each by its kcstack.io/address. An
// object being deleted (a Namespace, which no controller finishes
// deleting on the tests' API server) counts as gone; two live objects at
// one address fail t.
func liveObjects(t *testing.T, dyn dynamic.Interface, name string) map[string]types.UID {
	t.Helper()
	out := map[string]types.UID{}
	for _, gvr := range inClusterResources {
		list, err := dyn.Resource(gvr).List(context.Background(), metav1.ListOptions{LabelSelector: kube.LabelStack + "=" + name})
		if err != nil {
			t.Fatalf("list %s of stack %s: %v", gvr.Resource, name, err)
		}
		for _, u := range list.Items {
			if u.GetDeletionTimestamp() != nil {
				continue
			}
			a := u.GetLabels()[kube.LabelAddress]
			if _, dup := out[a]; dup {
				t.Fatalf("two live objects carry address %s (the second: %s %s/%s)", a, u.GetKind(), u.GetNamespace(), u.GetName())
			}
			out[a] = u.GetUID()
		}
	}
	return out
}

// checkUIDs compares the in-cluster objects before and after an apply
// (liveObjects) with the plan's action at each in-cluster address (.k8s.;
// "" when the plan did not name it) and returns every mismatch: an object
// that went was planned as a delete, one that came as a create of a new
// object (a UID never seen before), one whose UID changed as a replace,
// one planned as anything else kept its UID, and one planned as a change
// exists after it. An object that moved to another address (a renamed
// target taking its namespace over) is planned as an update at its new
// address.
func checkUIDs(actions map[string]string, before, after map[string]types.UID) []string {
	addressOf := func(m map[string]types.UID, uid types.UID) string {
		for a, u := range m {
			if u == uid {
				return a
			}
		}
		return ""
	}
	addresses := union(before, after)
	for a := range actions {
		if strings.Contains(a, ".k8s.") {
			addresses[a] = true
		}
	}
	var lies []string
	for _, a := range slices.Sorted(maps.Keys(addresses)) {
		was, existed := before[a]
		is, exists := after[a]
		planned := actions[a]
		lie := ""
		switch {
		case existed && !exists && planned != "delete":
			if to := addressOf(after, was); to == "" || actions[to] != "update" {
				lie = "was deleted"
			}
		case !existed && exists && planned == "create":
			if from := addressOf(before, is); from != "" {
				lie = "was created as the object of " + from
			}
		case !existed && exists:
			if from := addressOf(before, is); from == "" || planned != "update" {
				lie = "was created"
			}
		case existed && exists && was != is && planned != "replace":
			lie = "was replaced"
		case existed && exists && was == is && (planned == "replace" || planned == "create" || planned == "delete"):
			lie = "kept its UID"
		case !existed && !exists && planned != "" && planned != "no-op":
			lie = "does not exist"
		}
		if lie != "" {
			if planned == "" {
				planned = "nothing"
			}
			lies = append(lies, fmt.Sprintf("%s %s (UID %s → %s) but was planned as %s", a, lie, was, is, planned))
		}
	}
	return lies
}

// union returns the keys of a and b, as a set.
func union[V any](a, b map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// rosaEdit is one edit of a ROSA stack and the exact plan it must make.
type rosaEdit struct {
	what string
	edit edit
	// plan is every change the edit makes, as "action address".
	plan []string
	// check, when set, checks the objects after the apply.
	check func(t *testing.T, c *rosaCluster)
}

// both is "action targets.<t>.k8s.<object>" for rosa-a and rosa-b and
// each object.
func both(action string, objects ...string) []string {
	var out []string
	for _, target := range []string{"rosa-a", "rosa-b"} {
		for _, o := range objects {
			out = append(out, action+" "+kube.Address(target, o))
		}
	}
	return out
}

// applyEdits applies the example edited by base, then each edit on top of
// the ones before: each plans exactly its changes, converges in one apply,
// and changes the UID of no object it does not name (liveObjects).
func (c *rosaCluster) applyEdits(t *testing.T, name string, base edit, edits []rosaEdit) {
	t.Helper()
	eds := []edit{base, scopedROSA(name)}
	file := c.edited(t, "aurora-rosa.yaml", eds...)
	mustRun(t, "apply from empty", c.run(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	mustRun(t, "plan after apply", c.run(t, "plan", "-f", file), 0, "No changes.")
	for _, ed := range edits {
		eds = append(eds, ed.edit)
		file := c.edited(t, "aurora-rosa.yaml", eds...)
		before := liveObjects(t, c.dyn, name)
		got := c.jsonPlanWith(t, file)
		slices.Sort(got)
		want := slices.Sorted(slices.Values(ed.plan))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("plan of %s (-want +got):\n%s", ed.what, diff)
		}
		mustRun(t, "apply "+ed.what, c.run(t, "apply", "-f", file, "--auto-approve", "--allow-delete"), 0, "Apply complete!")
		mustRun(t, "plan after "+ed.what, c.run(t, "plan", "-f", file), 0, "No changes.")
		actions := map[string]string{}
		for _, change := range got {
			action, address, _ := strings.Cut(change, " ")
			actions[address] = action
		}
		if lies := checkUIDs(actions, before, liveObjects(t, c.dyn, name)); len(lies) > 0 {
			t.Errorf("objects after %s:\n  %s", ed.what, strings.Join(lies, "\n  "))
		}
		if ed.check != nil {
			ed.check(t, c)
		}
	}
}

// TestROSAEdits: on aurora-rosa.yaml (Keycloak 26.4, jdbc-ping) applied,
// edits of instances, cache owners, the hostname and the discovery mode
// (jdbc-ping → dns-ping → kube-ping), one after the other, each plan
// exactly the in-cluster changes they mean and converge in one apply,
// every other object keeping its UID; on Keycloak 26.0 (dns-ping) owners
// live in the cache ConfigMap.
func TestROSAEdits(t *testing.T) {
	t.Parallel()
	t.Run("26.4", func(t *testing.T) {
		t.Parallel()
		newSharedROSA(t).applyEdits(t, "edits-26-4", nil, []rosaEdit{
			{what: "instances", edit: set("spec.targets.rosa-a.rosa.instances", 4),
				plan: []string{"update targets.rosa-a.k8s.keycloak"}},
			{what: "owners", edit: set("spec.caches.owners", 3),
				plan: both("update", "keycloak")},
			{what: "hostname", edit: set("spec.keycloak.hostname", "login.example.com"),
				plan: both("update", "keycloak"),
				check: func(t *testing.T, c *rosaCluster) {
					for _, target := range []string{"rosa-a", "rosa-b"} {
						kc := c.keycloakOf(t, "edits-26-4-"+target, "edits-26-4")
						if h, _, _ := unstructured.NestedString(kc.Object, "spec", "hostname", "hostname"); h != "https://login.example.com" {
							t.Errorf("%s: the custom resource's hostname is %q, want https://login.example.com", target, h)
						}
					}
				}},
			{what: "jdbc-ping to dns-ping", edit: set("spec.discovery.mode", "dns-ping"),
				plan: append(both("create", "discovery-service"), both("update", "keycloak")...)},
			{what: "dns-ping to kube-ping", edit: set("spec.discovery.mode", "kube-ping"),
				plan: slices.Concat(both("delete", "discovery-service"), both("create", "cache-config", "discovery-account", "discovery-role", "discovery-binding"),
					both("update", "keycloak"))},
			{what: "kube-ping to jdbc-ping", edit: set("spec.discovery.mode", "jdbc-ping"),
				plan: slices.Concat(both("delete", "cache-config", "discovery-account", "discovery-role", "discovery-binding"), both("update", "keycloak")),
				check: func(t *testing.T, c *rosaCluster) {
					for _, target := range []string{"rosa-a", "rosa-b"} {
						ns := "edits-26-4-" + target
						kc := c.keycloakOf(t, ns, "edits-26-4")
						if tmpl, found, _ := unstructured.NestedMap(kc.Object, "spec", "unsupported"); found {
							t.Errorf("%s: the custom resource keeps kube-ping's pod template: %v", ns, tmpl)
						}
						if _, found, _ := unstructured.NestedMap(kc.Object, "spec", "cache"); found {
							t.Errorf("%s: the custom resource keeps kube-ping's cache ConfigMap", ns)
						}
						checkCaches(t, c, ns, "edits-26-4", "jdbc-ping", 3, true)
					}
				}},
		})
	})
	t.Run("26.0", func(t *testing.T) {
		t.Parallel()
		newSharedROSA(t).applyEdits(t, "edits-26-0", all(set("spec.keycloak.version", "26.0.8"), set("spec.discovery.mode", "dns-ping")), []rosaEdit{
			{what: "owners", edit: set("spec.caches.owners", 3),
				plan: both("update", "cache-config"),
				check: func(t *testing.T, c *rosaCluster) {
					for _, target := range []string{"rosa-a", "rosa-b"} {
						checkCaches(t, c, "edits-26-0-"+target, "edits-26-0", "kubernetes", 3, false)
					}
				}},
			{what: "hostname", edit: set("spec.keycloak.hostname", "login.example.com"),
				plan: both("update", "keycloak")},
		})
	})
}

// rotateMasterPassword rotates the Aurora cluster's managed master user
// password (RDS writes a new version of its secret in Secrets Manager,
// which refuses PutSecretValue on a secret RDS manages) and waits until
// the cluster is available again.
func (c *rosaCluster) rotateMasterPassword(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	api := rds.NewFromConfig(c.cfg)
	_, err := secretsmanager.NewFromConfig(c.cfg).PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{
		SecretId: aws.String(c.masterSecretARN(t)), SecretString: aws.String(`{"username":"x","password":"y"}`),
	})
	if err == nil || !strings.Contains(err.Error(), "managed by rds") {
		t.Fatalf("PutSecretValue on the RDS-managed secret: %v, want it refused", err)
	}
	id := aws.String("kc-aurora")
	if _, err := api.ModifyDBCluster(ctx, &rds.ModifyDBClusterInput{DBClusterIdentifier: id, RotateMasterUserPassword: aws.Bool(true), ApplyImmediately: aws.Bool(true)}); err != nil {
		t.Fatalf("rotate the master user password: %v", err)
	}
	waiter := rds.NewDBClusterAvailableWaiter(api, func(o *rds.DBClusterAvailableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, time.Second
	})
	if err := waiter.Wait(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: id}, time.Minute); err != nil {
		t.Fatalf("wait for the cluster after the rotation: %v", err)
	}
}

// TestROSARotation: a new value of the Aurora-managed secret (RDS rotates
// the master user password) plans exactly an update of each target's
// database Secret, shown as a sensitive value; the apply copies the new
// value in, the next plan has no changes, and neither the old nor the new
// password appears in any output.
func TestROSARotation(t *testing.T) {
	t.Parallel()
	c := newSharedROSA(t)
	ctx := context.Background()
	name := "rotation"
	file := c.edited(t, "aurora-rosa.yaml", scopedROSA(name))
	mustRun(t, "apply from empty", c.run(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!")
	mustRun(t, "plan after apply", c.run(t, "plan", "-f", file), 0, "No changes.")
	var old map[string]string
	if err := json.Unmarshal([]byte(c.masterSecret(t)), &old); err != nil {
		t.Fatal(err)
	}
	c.rotateMasterPassword(t)
	var rotated map[string]string
	if err := json.Unmarshal([]byte(c.masterSecret(t)), &rotated); err != nil {
		t.Fatal(err)
	}
	if rotated["username"] != old["username"] || rotated["password"] == old["password"] {
		t.Fatal("the rotation did not change the password of the same user")
	}
	want := both("update", "db-secret")
	if diff := cmp.Diff(want, c.jsonPlanWith(t, file)); diff != "" {
		t.Fatalf("plan after the rotation (-want +got):\n%s", diff)
	}
	mustRun(t, "plan after the rotation", c.run(t, "plan", "-f", file), 0,
		"targets.rosa-a.k8s.db-secret will be updated", "targets.rosa-b.k8s.db-secret will be updated", "(sensitive value)", "0 to add, 2 to change, 0 to destroy")
	mustRun(t, "apply the rotation", c.run(t, "apply", "-f", file, "--auto-approve"), 0, "0 added, 2 changed, 0 destroyed")
	for _, target := range []string{"rosa-a", "rosa-b"} {
		secret, err := c.core.CoreV1().Secrets(name+"-"+target).Get(ctx, kube.DBSecretName, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"username", "password"} {
			if string(secret.Data[key]) != rotated[key] {
				t.Errorf("%s's db Secret key %s does not hold the rotated value", target, key)
			}
		}
	}
	mustRun(t, "plan after the rotation's apply", c.run(t, "plan", "-f", file), 0, "No changes.")
	for _, out := range c.outputs {
		for what, password := range map[string]string{"old": old["password"], "new": rotated["password"]} {
			if password == "" || strings.Contains(out, password) {
				t.Fatalf("the %s database password (or none) appears in kcstack's output:\n%s", what, out)
			}
		}
	}
}

// TestCheckUIDs: the in-cluster half of the transition test's honesty
// check finds each way a plan can misstate what an apply did to objects.
func TestCheckUIDs(t *testing.T) {
	kc, ns, svc := "targets.a.k8s.keycloak", "targets.a.k8s.namespace", "targets.a.k8s.discovery-service"
	nsZ := "targets.z.k8s.namespace"
	cases := map[string]struct {
		reason        string
		actions       map[string]string
		before, after map[string]types.UID
		lies          int
	}{
		"update": {reason: "an update keeps the UID",
			actions: map[string]string{kc: "update"}, before: map[string]types.UID{kc: "1"}, after: map[string]types.UID{kc: "1"}},
		"untouched": {reason: "an object the plan does not name stays",
			before: map[string]types.UID{kc: "1", ns: "2"}, after: map[string]types.UID{kc: "1", ns: "2"}},
		"create and delete": {reason: "a planned create appears with a new UID, a planned delete goes",
			actions: map[string]string{svc: "create", kc: "delete"}, before: map[string]types.UID{kc: "1"}, after: map[string]types.UID{svc: "2"}},
		"replace": {reason: "a planned replace changes the UID",
			actions: map[string]string{kc: "replace"}, before: map[string]types.UID{kc: "1"}, after: map[string]types.UID{kc: "2"}},
		"move": {reason: "an object taken over by a renamed target is an update at its new address",
			actions: map[string]string{nsZ: "update"}, before: map[string]types.UID{ns: "1"}, after: map[string]types.UID{nsZ: "1"}},
		"deleted unplanned": {reason: "an object gone without a delete", lies: 1,
			before: map[string]types.UID{kc: "1"}, after: map[string]types.UID{}},
		"created unplanned": {reason: "an object come without a create", lies: 1,
			before: map[string]types.UID{}, after: map[string]types.UID{svc: "1"}},
		"replaced unplanned": {reason: "a new UID under an update", lies: 1,
			actions: map[string]string{kc: "update"}, before: map[string]types.UID{kc: "1"}, after: map[string]types.UID{kc: "2"}},
		"replace kept": {reason: "a planned replace that kept the object", lies: 1,
			actions: map[string]string{kc: "replace"}, before: map[string]types.UID{kc: "1"}, after: map[string]types.UID{kc: "1"}},
		"delete kept": {reason: "a planned delete that left the object", lies: 1,
			actions: map[string]string{kc: "delete"}, before: map[string]types.UID{kc: "1"}, after: map[string]types.UID{kc: "1"}},
		"create missing": {reason: "a planned create that made nothing", lies: 1,
			actions: map[string]string{svc: "create"}, before: map[string]types.UID{}, after: map[string]types.UID{}},
		"create took over": {reason: "a create that relabeled another address's object: one gone unplanned, one created as the other", lies: 2,
			actions: map[string]string{nsZ: "create"}, before: map[string]types.UID{ns: "1"}, after: map[string]types.UID{nsZ: "1"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := checkUIDs(tc.actions, tc.before, tc.after); len(got) != tc.lies {
				t.Errorf("%s: %d mismatches, want %d: %v", tc.reason, len(got), tc.lies, got)
			}
		})
	}
}
