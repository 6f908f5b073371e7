package cluster_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/kube/cluster"
	"github.com/kcstack/kcstack/pkg/resource"
)

// secretOf returns the first Secret of e's desired objects.
func (e *env) secretOf() resource.Desired {
	e.t.Helper()
	for _, d := range e.desired {
		if d.Kind == kube.KindSecret {
			return d
		}
	}
	e.t.Fatal("the example has no Secret")
	return resource.Desired{}
}

// liveSecret returns the Secret named name in e's namespace.
func (e *env) liveSecret(name string) *corev1.Secret {
	e.t.Helper()
	s, err := e.core.CoreV1().Secrets(e.ns).Get(e.ctx, name, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// unchanged fails when Secret before was changed since.
func (e *env) unchanged(before *corev1.Secret) {
	e.t.Helper()
	after := e.liveSecret(before.Name)
	if after.ResourceVersion != before.ResourceVersion {
		e.t.Errorf("Secret %s/%s changed: resourceVersion %s, was %s; labels now %v", e.ns, before.Name, after.ResourceVersion, before.ResourceVersion, after.Labels)
	}
}

// wantRefusal fails unless err names every one of parts.
func wantRefusal(t *testing.T, what string, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s succeeded, want a refusal naming %q", what, parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not name %q", what, err, p)
		}
	}
}

// TestOtherStackObject: a second stack wanting the objects another stack
// owns in the same namespace gets a plan error (its read fails) naming the
// object and the other stack; its handlers refuse to create over them; the
// first stack's objects stay unchanged and its namespace is adopted by the
// second as another stack's.
func TestOtherStackObject(t *testing.T) {
	e := setup(t, "kc-other")
	e.converge()
	secret := e.secretOf()
	name := secret.Props[kube.PropName].(string)
	before := e.liveSecret(name)

	other := *e
	b := &other
	b.stack = "other-" + e.ns
	b.desired = e.inCluster("pcx-"+e.ns, "name: sso-"+e.ns, "name: "+b.stack)
	_, err := b.observer.Observe(b.ctx, resource.Query{Stack: b.stack, Desired: b.desired})
	wantRefusal(t, "the second stack's read", err, `is owned by kcstack stack "sso-kc-other"`, "rosa.namespace", "kc-other/")
	if err != nil && !regexp.MustCompile(`: [A-Z][A-Za-z]+ kc-other/\S+ exists`).MatchString(err.Error()) {
		t.Errorf("the read's error %q does not name the object by its Kubernetes kind and namespace/name", err)
	}

	bSecret := b.secretOf()
	if bSecret.Props[kube.PropName] != name {
		t.Fatalf("the second stack's Secret is %v, want %s", bSecret.Props[kube.PropName], name)
	}
	_, err = b.registry[kube.KindSecret].Create(b.ctx, bSecret)
	wantRefusal(t, "the second stack's create", err, "Secret kc-other/"+name, `is owned by kcstack stack "sso-kc-other"`, "remove the object")
	e.unchanged(before)

	if again := e.converge(); len(again) != 0 {
		t.Errorf("the first stack's apply after the refusal changed %v", again)
	}

	nsAddr := kube.Address("rosa", kube.ObjNamespace)
	obs, err := b.observer.Observe(b.ctx, resource.Query{Stack: b.stack, Desired: []resource.Desired{b.desired[slices.IndexFunc(b.desired, func(d resource.Desired) bool { return d.Address == nsAddr })]}})
	if err != nil {
		t.Fatalf("the second stack's read of the namespace alone: %v", err)
	}
	ns := obs[slices.IndexFunc(obs, func(o resource.Observation) bool { return o.Address == nsAddr })]
	if !ns.Found || ns.Attrs[cluster.AttrOwnerStack] != e.stack {
		t.Errorf("the first stack's namespace as the second reads it = %+v, want Found, owned by %s", ns, e.stack)
	}
}

// TestHandMadeObject: a Secret made by hand, without kcstack's labels, with
// the name the stack wants is invisible to the read (the plan says create),
// and create, update and delete refuse it at the moment of acting, naming
// it; it stays unchanged.
func TestHandMadeObject(t *testing.T) {
	e := setup(t, "kc-hand")
	if _, err := e.core.CoreV1().Namespaces().Create(e.ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: e.ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	secret := e.secretOf()
	name := secret.Props[kube.PropName].(string)
	made, err := e.core.CoreV1().Secrets(e.ns).Create(e.ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: e.ns},
		StringData: map[string]string{"note": "made by hand"}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ob := e.observe()[secret.Address]; ob.Exists {
		t.Fatalf("the hand-made Secret was read as the stack's: %+v", ob)
	}
	h := e.registry[kube.KindSecret]
	_, err = h.Create(e.ctx, secret)
	wantRefusal(t, "create", err, "Secret kc-hand/"+name, "no kcstack labels: made by someone else")

	// An observation from before someone replaced the stack's Secret by
	// theirs: update and delete re-read it and refuse.
	stale := resource.Observation{Address: secret.Address, Kind: kube.KindSecret, Exists: true, Owned: true, ID: e.ns + "/" + name,
		Attrs: map[string]string{"id": e.ns + "/" + name, "name": name, "namespace": e.ns},
		Props: resource.Props{kube.PropLabels: secret.Props[kube.PropLabels]}}
	_, err = h.Update(e.ctx, secret, stale, nil)
	wantRefusal(t, "update", err, "Secret kc-hand/"+name, "no kcstack labels")
	err = h.Delete(e.ctx, stale, nil)
	wantRefusal(t, "delete", err, "Secret kc-hand/"+name, "no kcstack labels")
	e.unchanged(made)
}
