package cluster_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/kcstack/kcstack/internal/testutil/examples"
	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/kube/cluster"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// exampleContext is the kubeconfig context of rosa-kube-ping.yaml's target.
const exampleContext = "gh-keycloak-a"

// peeringOf is the observation of target's peering, tagged with where its
// in-cluster part lives, as round 1 reads it.
func peeringOf(target, kubeContext, ns string) resource.Observation {
	id := "pcx-" + ns
	return resource.Observation{
		Address: "targets." + target + ".peering", Kind: resource.KindPeering, Exists: true, Owned: true, ID: id,
		Attrs: map[string]string{"id": id},
		Tags:  map[string]string{resource.TagStack: "sso-" + ns, kube.TagContext: kubeContext, kube.TagNamespace: ns},
	}
}

// formerRegistry returns a Former reaching the clusters through access,
// with the handlers it shares (no target of the file has a cluster).
func (e *env) formerRegistry(access cluster.Access) (*cluster.Former, resource.Registry) {
	f := cluster.NewFormer(access)
	handlers, _ := cluster.New(nil, e.sm, cluster.WithFormer(f))
	r := resource.Registry{}
	for _, h := range handlers {
		r[h.Describe().Kind] = h
	}
	return f, r
}

// kubeconfigOf writes a kubeconfig reaching the shared server through
// contexts.
func kubeconfigOf(t *testing.T, contexts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := kubetest.Shared(t).WriteKubeconfig(path, contexts...); err != nil {
		t.Fatal(err)
	}
	return path
}

// byAddress returns obs by address.
func byAddress(obs []resource.Observation) map[string]resource.Observation {
	out := map[string]resource.Observation{}
	for _, o := range obs {
		out[o.Address] = o
	}
	return out
}

// TestFormerTargetRemoved: once the target is gone from the file, its
// peering's tags lead Former to every object the target owns, each owned,
// holding the peering's id (so the plan deletes it first) and deletable
// through the handlers Former shares; afterwards nothing is left to read.
// A target of the file is not Former's.
func TestFormerTargetRemoved(t *testing.T) {
	e := setup(t, "kc-former")
	e.converge()
	f, registry := e.formerRegistry(cluster.Access{Kubeconfig: kubeconfigOf(t, exampleContext)})
	q := resource.Query{Stack: "sso-" + e.ns, Known: map[string]resource.Observation{"targets.rosa.peering": peeringOf("rosa", exampleContext, e.ns)}}
	obs, err := f.Observe(e.ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if u := f.Unread(); len(u) != 0 {
		t.Fatalf("unread = %+v, want none", u)
	}
	got := byAddress(obs)
	var want []string
	for _, d := range e.desired {
		want = append(want, d.Address)
		o := got[d.Address]
		if !o.Exists || !o.Owned || o.Found || o.Props[kube.PropPeering] != "pcx-"+e.ns {
			t.Errorf("%s: observation %+v, want an owned object holding the peering's id", d.Address, o)
		}
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(want)), resource.SortedKeys(got)); diff != "" {
		t.Fatalf("addresses read (-want +got):\n%s", diff)
	}

	present := q
	present.Desired = []resource.Desired{{Address: "targets.rosa.peering", Kind: resource.KindPeering, Tags: map[string]string{kube.TagContext: exampleContext}}}
	if obs, err := f.Observe(e.ctx, present); err != nil || len(obs) != 0 {
		t.Errorf("Former read %d objects of a ROSA target of the file (%v), want none", len(obs), err)
	}

	for i := len(e.desired) - 1; i >= 0; i-- {
		d := e.desired[i]
		if err := registry[d.Kind].Delete(e.ctx, got[d.Address], nil); err != nil {
			t.Fatalf("delete %s through the handlers: %v", d.Address, err)
		}
	}
	after, err := f.Observe(e.ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range after {
		if o.Kind != kube.KindNamespace { // the namespace terminates: no controller finishes it here
			t.Errorf("%s is still read after its delete", o.Address)
		}
	}
}

// TestFormerAdoptedNamespaceKept: the tagged namespace, adopted (made
// without kcstack), is where Former reads the objects, and is never
// returned to be deleted.
func TestFormerAdoptedNamespaceKept(t *testing.T) {
	e := setup(t, "kc-former-adopted")
	e.convergeInAdopted()
	f, _ := e.formerRegistry(cluster.Access{Kubeconfig: kubeconfigOf(t, exampleContext)})
	obs, err := f.Observe(e.ctx, resource.Query{Stack: "sso-" + e.ns, Known: map[string]resource.Observation{"targets.rosa.peering": peeringOf("rosa", exampleContext, e.ns)}})
	if err != nil {
		t.Fatal(err)
	}
	got := byAddress(obs)
	if _, ok := got[kube.Address("rosa", kube.ObjNamespace)]; ok {
		t.Errorf("the adopted namespace is read as one to delete: %+v", got[kube.Address("rosa", kube.ObjNamespace)])
	}
	if !got[kube.Address("rosa", kube.ObjKeycloak)].Exists || len(got) != len(e.desired)-1 {
		t.Errorf("read %v, want every object but the namespace", resource.SortedKeys(got))
	}
}

// TestFormerUnreachable: a former target whose cluster Former cannot reach
// is unread, blocking when a kubeconfig was given; --without-cluster
// leaves it out without blocking. Nothing is read either way.
func TestFormerUnreachable(t *testing.T) {
	dir := t.TempDir()
	refusing := clientcmdapi.NewConfig()
	refusing.Clusters["gone"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1"}
	refusing.Contexts[exampleContext] = &clientcmdapi.Context{Cluster: "gone"}
	refusingPath := filepath.Join(dir, "refusing")
	if err := clientcmd.WriteToFile(*refusing, refusingPath); err != nil {
		t.Fatal(err)
	}
	other := clientcmdapi.NewConfig()
	other.Clusters["elsewhere"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1"}
	other.Contexts["elsewhere"] = &clientcmdapi.Context{Cluster: "elsewhere"}
	otherPath := filepath.Join(dir, "other")
	if err := clientcmd.WriteToFile(*other, otherPath); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason   string
		access   cluster.Access
		blocking bool
	}{
		"no such context":  {reason: "the kubeconfig lacks the peering's context", access: cluster.Access{Kubeconfig: otherPath}, blocking: true},
		"server refuses":   {reason: "the context's API server does not answer", access: cluster.Access{Kubeconfig: refusingPath}, blocking: true},
		"without cluster":  {reason: "--without-cluster leaves the target out", access: cluster.Access{Kubeconfig: refusingPath, Without: []string{"rosa"}}},
		"without, missing": {reason: "--without-cluster needs no context", access: cluster.Access{Kubeconfig: otherPath, Without: []string{"rosa"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := cluster.NewFormer(tc.access)
			cluster.New(nil, nil, cluster.WithFormer(f))
			q := resource.Query{Stack: "sso-gone", Known: map[string]resource.Observation{"targets.rosa.peering": peeringOf("rosa", exampleContext, "keycloak")}}
			obs, err := f.Observe(context.Background(), q)
			if err != nil || len(obs) != 0 {
				t.Fatalf("%s: read %v, %v; want nothing and no error", tc.reason, obs, err)
			}
			u := f.Unread()
			if len(u) != 1 || u[0].Target != "rosa" || !u[0].Removed || u[0].Blocking != tc.blocking || u[0].Reason == "" {
				t.Errorf("%s: unread = %+v, want rosa, removed, blocking %v, with a reason", tc.reason, u, tc.blocking)
			}
		})
	}
}

// round1 is a round-1 observer returning fixed observations: the peerings
// the AWS observers would read.
type round1 []resource.Observation

func (r round1) Round() int { return 1 }
func (r round1) Observe(context.Context, resource.Query) ([]resource.Observation, error) {
	return r, nil
}

// TestRenamedTargetTakesOverNamespace: target rosa is renamed rosa-z, same
// cluster, same namespace, which kcstack made for rosa. The namespace
// moves to rosa-z (an update of its labels), never deleted; rosa's other
// objects are read to be deleted; once they are and rosa-z's are applied,
// everything is rosa-z's and the namespace is not terminating.
func TestRenamedTargetTakesOverNamespace(t *testing.T) {
	e := setup(t, "kc-renamed")
	e.converge()
	ds := append([]resource.Desired{{Address: "targets.rosa-z.peering", Kind: resource.KindPeering, Tags: map[string]string{kube.TagContext: exampleContext}}},
		e.inCluster("pcx-z", "- name: rosa", "- name: rosa-z")...)
	f := cluster.NewFormer(cluster.Access{Kubeconfig: kubeconfigOf(t, exampleContext)})
	handlers, observers := cluster.New(cluster.Clusters{"rosa-z": e.dyn}, e.sm, cluster.WithFormer(f))
	registry := resource.Registry{}
	for _, h := range handlers {
		registry[h.Describe().Kind] = h
	}
	observers = append(observers, round1{peeringOf("rosa", exampleContext, e.ns)})
	snap, err := state.Observe(e.ctx, "sso-"+e.ns, ds, observers)
	if err != nil {
		t.Fatal(err)
	}
	oldNS, newNS := kube.Address("rosa", kube.ObjNamespace), kube.Address("rosa-z", kube.ObjNamespace)
	if _, ok := snap.Observations[oldNS]; ok {
		t.Errorf("the namespace rosa-z wants is read as rosa's, to delete")
	}
	moved := snap.Observations[newNS]
	if !moved.Exists || !moved.Owned || moved.Found {
		t.Fatalf("rosa-z's namespace = %+v, want the owned namespace taken over", moved)
	}
	nsDesired := ds[slices.IndexFunc(ds, func(d resource.Desired) bool { return d.Address == newNS })]
	if len(registry[kube.KindNamespace].Diff(nsDesired, moved)) == 0 {
		t.Errorf("taking the namespace over plans no update of its labels")
	}
	for _, d := range e.desired {
		if o := snap.Observations[d.Address]; d.Address != oldNS && (!o.Exists || !o.Owned) {
			t.Errorf("rosa's %s is not read to be deleted: %+v", d.Address, o)
		}
	}

	for i := len(e.desired) - 1; i >= 0; i-- {
		if d := e.desired[i]; d.Address != oldNS {
			if err := registry[d.Kind].Delete(e.ctx, snap.Observations[d.Address], nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, d := range ds[1:] {
		o := snap.Observations[d.Address]
		switch {
		case !o.Exists:
			_, err = registry[d.Kind].Create(e.ctx, d)
		default:
			_, err = registry[d.Kind].Update(e.ctx, d, o, nil)
		}
		if err != nil {
			t.Fatalf("apply %s: %v", d.Address, err)
		}
	}
	again, err := state.Observe(e.ctx, "sso-"+e.ns, ds, observers)
	if err != nil {
		t.Fatal(err)
	}
	for a, o := range again.Observations {
		if a == "targets.rosa.peering" {
			continue
		}
		if d := ds[slices.IndexFunc(ds, func(d resource.Desired) bool { return d.Address == a })]; !o.Exists || len(registry[o.Kind].Diff(d, o)) != 0 {
			t.Errorf("%s after the rename: %+v, want it applied as rosa-z's", a, o)
		}
	}
	ns, err := e.core.CoreV1().Namespaces().Get(e.ctx, e.ns, metav1.GetOptions{})
	if err != nil || ns.DeletionTimestamp != nil || ns.Labels[kube.LabelAddress] != newNS {
		t.Errorf("namespace after the rename: %v, deleting %v, labels %v; want it kept, labeled for rosa-z", err, ns.DeletionTimestamp, ns.Labels)
	}
}

// TestConnectWithout: --without-cluster leaves a target of the file out,
// noted without blocking, while the others are connected.
func TestConnectWithout(t *testing.T) {
	st := examples.Load(t, "aurora-rosa.yaml")
	clusters, unread := cluster.Connect(cluster.Access{Kubeconfig: kubeconfigOf(t, "gh-keycloak-a", "gh-keycloak-b"), Without: []string{"rosa-b"}}, st)
	if diff := cmp.Diff([]string{"rosa-a"}, resource.SortedKeys(clusters)); diff != "" {
		t.Errorf("connected targets (-want +got):\n%s", diff)
	}
	if len(unread) != 1 || unread[0].Target != "rosa-b" || unread[0].Blocking || !strings.Contains(unread[0].Reason, "--without-cluster rosa-b") {
		t.Errorf("unread = %+v, want rosa-b, not blocking, naming --without-cluster", unread)
	}
}

// TestRenamedObjectCreatedAfterDelete: an object of a renamed target has
// the namespace and name of its former target's object, so the plan
// creates it only once that one is deleted (the API server holds one
// object per name: applying first would take the old one over, and its
// delete would then remove the new one).
func TestRenamedObjectCreatedAfterDelete(t *testing.T) {
	handlers, _ := cluster.New(nil, nil)
	r := resource.Registry{}
	for _, h := range handlers {
		r[h.Describe().Kind] = h
	}
	props := resource.Props{kube.PropName: "sso", kube.PropNamespace: "keycloak-b"}
	ds := []resource.Desired{{Address: kube.Address("rosa-z", kube.ObjKeycloak), Kind: kube.KindKeycloak, Props: props}}
	old := resource.Observation{Address: kube.Address("rosa-b", kube.ObjKeycloak), Kind: kube.KindKeycloak, Exists: true, Owned: true, ID: "keycloak-b/sso", Props: props}
	snap := &state.Snapshot{Observations: map[string]resource.Observation{old.Address: old}}
	p, err := plan.Compute(plan.Input{Stack: "s", Desired: ds, Snapshot: snap, Registry: r})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, c := range p.Changes {
		got[string(c.Action)+" "+c.Address] = c.DestroyFirst
	}
	want := map[string][]string{"create " + ds[0].Address: {old.Address}, "delete " + old.Address: nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes and the deletes they wait for (-want +got):\n%s", diff)
	}
}
