package cluster_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/kcstack/kcstack/internal/testutil/examples"
	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/kube/cluster"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	smsandbox "github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
)

func TestMain(m *testing.M) { os.Exit(kubetest.Run(m)) }

// env is one stack's in-cluster objects over the shared API server and a
// sandbox's Secrets Manager.
type env struct {
	t        *testing.T
	ctx      context.Context
	ns       string
	stack    string
	sm       *secretsmanager.Client
	dbARN    string
	core     kubernetes.Interface
	dyn      dynamic.Interface
	registry resource.Registry
	observer resource.Observer
	desired  []resource.Desired
}

// setup loads examples/rosa-kube-ping.yaml in namespace ns, creates the
// RDS-managed secret it reads, and resolves the references to the Aurora
// cluster.
func setup(t *testing.T, ns string) *env {
	srv := kubetest.Shared(t)
	srv.InstallKeycloakCRD(t)
	e := &env{t: t, ctx: context.Background(), ns: ns, stack: "sso-" + ns}
	e.sm = sandboxtest.Client(t, secretsmanager.NewFromConfig, smsandbox.Service())
	got, err := e.sm.CreateSecret(e.ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String("rds!cluster-" + ns), SecretString: aws.String(`{"username":"kcadmin","password":"first-Pa55"}`)})
	if err != nil {
		t.Fatal(err)
	}
	e.dbARN = aws.ToString(got.ARN)
	if e.core, err = kubernetes.NewForConfig(srv.Config()); err != nil {
		t.Fatal(err)
	}
	if e.dyn, err = dynamic.NewForConfig(srv.Config()); err != nil {
		t.Fatal(err)
	}
	handlers, observers := cluster.New(cluster.Clusters{"rosa": e.dyn}, e.sm)
	if e.registry, err = resource.NewRegistry(handlers...); err == nil {
		t.Fatal("a registry of the in-cluster kinds alone should miss rds:cluster, which they refer to")
	}
	e.registry = resource.Registry{}
	for _, h := range handlers {
		e.registry[h.Describe().Kind] = h
	}
	e.observer = observers[0]
	e.desired = e.inCluster("pcx-" + ns)
	return e
}

// inCluster returns the objects of rosa-kube-ping.yaml in e's namespace,
// edited by edits, with the references to the Aurora cluster and to the
// peering (whose id is peering) resolved.
func (e *env) inCluster(peering string, edits ...string) []resource.Desired {
	e.t.Helper()
	st := examples.Load(e.t, "rosa-kube-ping.yaml", append([]string{"namespace: keycloak", "namespace: " + e.ns, "name: sso-kube", "name: sso-" + e.ns}, edits...)...)
	all, err := desired.InCluster(st)
	if err != nil {
		e.t.Fatal(err)
	}
	values := map[string]string{"endpoint": "writer." + e.ns + ".example", "master_user_secret_arn": e.dbARN, "id": peering}
	for i := range all {
		all[i].Props = resource.Resolve(all[i].Props, func(r resource.Ref) (string, bool) { v, ok := values[r.Attr]; return v, ok })
	}
	return all
}

// observe reads the stack's objects, by address.
func (e *env) observe() map[string]resource.Observation {
	e.t.Helper()
	obs, err := e.observer.Observe(e.ctx, resource.Query{Stack: e.stack, Desired: e.desired})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]resource.Observation{}
	for _, o := range obs {
		out[o.Address] = o
	}
	return out
}

// converge creates or updates every object that differs and returns the
// addresses changed, with the paths of their diffs.
func (e *env) converge() map[string][]string {
	e.t.Helper()
	obs := e.observe()
	changed := map[string][]string{}
	for _, d := range e.desired {
		h := e.registry[d.Kind]
		o := obs[d.Address]
		if !o.Exists {
			if _, err := h.Create(e.ctx, d); err != nil {
				e.t.Fatalf("create %s: %v", d.Address, err)
			}
			changed[d.Address] = []string{"(create)"}
			continue
		}
		diffs := h.Diff(d, o)
		if len(diffs) == 0 {
			continue
		}
		for _, fd := range diffs {
			changed[d.Address] = append(changed[d.Address], fd.Path)
		}
		if _, err := h.Update(e.ctx, d, o, diffs); err != nil {
			e.t.Fatalf("update %s: %v", d.Address, err)
		}
	}
	return changed
}

func (e *env) keycloak() *unstructured.Unstructured {
	e.t.Helper()
	u, err := e.dyn.Resource(kubetest.KeycloakGVR).Namespace(e.ns).Get(e.ctx, "sso-"+e.ns, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) dbSecret() *corev1.Secret {
	e.t.Helper()
	s, err := e.core.CoreV1().Secrets(e.ns).Get(e.ctx, kube.DBSecretName, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// TestLifecycle: apply from empty makes every object; observing again
// finds no difference; a hand edit of a field kcstack manages is planned
// and applied back while a field another manager added stays; a rotation
// of the database secret is a sensitive update of the Secret's data that
// no prop carries; deletes remove every object.
func TestLifecycle(t *testing.T) {
	e := setup(t, "kc-lifecycle")
	created := e.converge()
	if len(created) != len(e.desired) {
		t.Fatalf("created %d objects, want %d: %v", len(created), len(e.desired), created)
	}
	if again := e.converge(); len(again) != 0 {
		t.Fatalf("second apply changed %v, want nothing", again)
	}
	if got := e.dbSecret().Data; string(got["username"]) != "kcadmin" || string(got["password"]) != "first-Pa55" {
		t.Fatalf("db Secret holds %q/%q, want the values of Secrets Manager", got["username"], got["password"])
	}

	t.Run("hand edit planned back, other manager left alone", func(t *testing.T) {
		kc := e.dyn.Resource(kubetest.KeycloakGVR).Namespace(e.ns)
		edit := `{"spec":{"instances":7}}`
		if _, err := kc.Patch(e.ctx, "sso-"+e.ns, types.MergePatchType, []byte(edit), metav1.PatchOptions{FieldManager: "kubectl-edit"}); err != nil {
			t.Fatal(err)
		}
		other := &unstructured.Unstructured{Object: map[string]any{
			"apiVersion": kube.KeycloakAPIVersion, "kind": kube.KeycloakKind,
			"metadata": map[string]any{"name": "sso-" + e.ns, "namespace": e.ns, "labels": map[string]any{"team": "identity"}},
		}}
		if _, err := kc.Apply(e.ctx, "sso-"+e.ns, other, metav1.ApplyOptions{FieldManager: "someone-else"}); err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{kube.Address("rosa", kube.ObjKeycloak): {kube.PropBody}}
		if diff := cmp.Diff(want, e.converge()); diff != "" {
			t.Errorf("changes after a hand edit (-want +got):\n%s", diff)
		}
		live := e.keycloak()
		if n, _, _ := unstructured.NestedInt64(live.Object, "spec", "instances"); n != 3 {
			t.Errorf("instances = %d after apply, want 3", n)
		}
		if live.GetLabels()["team"] != "identity" {
			t.Errorf("the label another manager added is gone: %v", live.GetLabels())
		}
		if again := e.converge(); len(again) != 0 {
			t.Errorf("apply after convergence changed %v", again)
		}
	})

	t.Run("rotation is a sensitive update", func(t *testing.T) {
		rotated := `{"username":"kcadmin","password":"second-Pa55"}`
		if _, err := e.sm.PutSecretValue(e.ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(e.dbARN), SecretString: aws.String(rotated)}); err != nil {
			t.Fatal(err)
		}
		obs := e.observe()
		addr := kube.Address("rosa", kube.ObjDBSecret)
		d := e.desired[slices.IndexFunc(e.desired, func(d resource.Desired) bool { return d.Address == addr })]
		diffs := e.registry[kube.KindSecret].Diff(d, obs[addr])
		if len(diffs) != 1 || diffs[0].Path != "data" || !diffs[0].Sensitive {
			t.Fatalf("diffs after rotation = %+v, want one sensitive change of data", diffs)
		}
		text, err := json.Marshal(obs)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"first-Pa55", "second-Pa55"} {
			if strings.Contains(string(text), secret) || strings.Contains(string(text), base64.StdEncoding.EncodeToString([]byte(secret))) {
				t.Errorf("observations hold a secret value: %s", text)
			}
		}
		e.converge()
		if got := string(e.dbSecret().Data["password"]); got != "second-Pa55" {
			t.Errorf("password after rotation apply = %q, want the rotated value", got)
		}
	})

	t.Run("delete", func(t *testing.T) {
		obs := e.observe()
		for i := len(e.desired) - 1; i >= 0; i-- {
			d := e.desired[i]
			if err := e.registry[d.Kind].Delete(e.ctx, obs[d.Address], nil); err != nil {
				t.Fatal(err)
			}
			if err := e.registry[d.Kind].Delete(e.ctx, obs[d.Address], nil); err != nil {
				t.Fatalf("a second delete of %s: %v, want success", d.Address, err)
			}
		}
		for a, o := range e.observe() {
			if o.Exists && o.Kind != kube.KindNamespace {
				t.Errorf("%s still exists after its delete", a)
			}
		}
		ns, err := e.core.CoreV1().Namespaces().Get(e.ctx, e.ns, metav1.GetOptions{})
		if err == nil && ns.DeletionTimestamp == nil {
			t.Errorf("namespace %s is not being deleted", e.ns)
		}
	})
}

// convergeInAdopted makes the namespace without kcstack's labels, then
// applies every object into it.
func (e *env) convergeInAdopted() {
	e.t.Helper()
	if _, err := e.core.CoreV1().Namespaces().Create(e.ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: e.ns}}, metav1.CreateOptions{}); err != nil {
		e.t.Fatal(err)
	}
	e.converge()
}

// TestAdoptedNamespace: a namespace that exists without kcstack's labels is
// used as it is: read as Found (never deleted), no change planned, never
// labeled.
func TestAdoptedNamespace(t *testing.T) {
	e := setup(t, "kc-adopted")
	e.convergeInAdopted()
	ob := e.observe()[kube.Address("rosa", kube.ObjNamespace)]
	if !ob.Exists || !ob.Found {
		t.Fatalf("namespace observation = %+v, want an existing, Found one", ob)
	}
	ns, err := e.core.CoreV1().Namespaces().Get(e.ctx, e.ns, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, labeled := ns.Labels[kube.LabelStack]; labeled {
		t.Errorf("the adopted namespace got kcstack's labels: %v", ns.Labels)
	}
	if again := e.converge(); len(again) != 0 {
		t.Errorf("second apply changed %v", again)
	}
}

// TestSubjectAccess: the kube-ping ServiceAccount may list pods in its
// namespace and may not list secrets.
func TestSubjectAccess(t *testing.T) {
	e := setup(t, "kc-access")
	e.converge()
	user := "system:serviceaccount:" + e.ns + ":" + kube.KubePingName
	for resourceName, want := range map[string]bool{"pods": true, "secrets": false} {
		if got := allowed(t, e, user, "list", resourceName); got != want {
			t.Errorf("%s may list %s: %v, want %v", user, resourceName, got, want)
		}
	}
}

// allowed asks the API server whether user may verb resourceName in ns.
func allowed(t *testing.T, e *env, user, verb, resourceName string) bool {
	t.Helper()
	review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User:               user,
		ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: e.ns, Verb: verb, Resource: resourceName},
	}}
	got, err := e.core.AuthorizationV1().SubjectAccessReviews().Create(e.ctx, review, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return got.Status.Allowed
}
