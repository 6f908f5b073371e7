package e2e

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"

	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// withoutROSAB removes rosa-b from aurora-rosa.yaml edited by
// secondNamespace.
var withoutROSAB = []string{"    - name: rosa-b\n      rosa:\n        cluster: gh-keycloak-b\n        vpc: {tags: {Name: gh-keycloak-b-vpc}}\n" +
	"        machineCidr: 10.1.0.0/16     # a different range from rosa-a: both peer with Aurora\n        namespace: keycloak-b\n        instances: 3\n", ""}

// twoTargets is aurora-rosa.yaml with rosa-b in its own namespace, plus
// edits.
func (c *rosaCluster) twoTargets(t *testing.T, edits ...string) string {
	t.Helper()
	return c.stackFile(t, "aurora-rosa.yaml", append(append(slices.Clone(unprotected), secondNamespace...), edits...)...)
}

// created returns the addresses under prefix that the JSON plan of file
// creates.
func (c *rosaCluster) created(t *testing.T, file, prefix string) []string {
	t.Helper()
	var out []string
	for _, change := range c.jsonPlanWith(t, file) {
		if a, ok := strings.CutPrefix(change, "create "); ok && strings.HasPrefix(a, prefix) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		t.Fatalf("the plan of %s creates nothing under %s", file, prefix)
	}
	return out
}

// actions returns "<action> <address>" for each address, sorted.
func actions(action string, addresses []string, edit func(string) string) []string {
	var out []string
	for _, a := range addresses {
		out = append(out, action+" "+edit(a))
	}
	slices.Sort(out)
	return out
}

// keep is the identity edit of actions.
func keep(a string) string { return a }

// kubeconfigWithout writes c's kubeconfig without context name and
// returns its path.
func (c *rosaCluster) kubeconfigWithout(t *testing.T, name string) string {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(c.kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	delete(cfg.Contexts, name)
	cfg.CurrentContext = ""
	path := filepath.Join(c.Dir, "kubeconfig-without-"+name)
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestROSARemoved: rosa-b, in a namespace kcstack adopted, is removed from
// the file. Without any kubeconfig the plan says its objects stay; with a
// kubeconfig lacking its context the plan says so and apply stops before
// deleting anything; with the kubeconfig the plan deletes exactly rosa-b's
// peering, routes, ingress and in-cluster objects (nothing of rosa-a), the
// apply deletes the in-cluster objects before the peering, the adopted
// namespace stays, and the next plan has no changes.
func TestROSARemoved(t *testing.T) {
	t.Parallel()
	c := newROSACluster(t)
	ctx := context.Background()
	both := c.twoTargets(t)
	if _, err := c.core.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "keycloak-b"}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	rosaB := c.created(t, both, "targets.rosa-b.")
	mustRun(t, "apply both targets", c.run(t, "apply", "-f", both, "--auto-approve"), 0, "Apply complete!")
	removed := c.twoTargets(t, withoutROSAB...)

	environ := append(c.environ(), "HOME="+c.Dir, "KUBECONFIG=")
	mustRun(t, "plan without any kubeconfig", runWithEnv(t, c.Dir, environ, "plan", "-f", removed), 0,
		"Note: target rosa-b is no longer in the file, and its in-cluster part", "its in-cluster objects, if any, stay in the cluster")

	lacking := c.kubeconfigWithout(t, "gh-keycloak-b")
	mustRun(t, "plan with a kubeconfig lacking rosa-b's context", c.kcstack(t, "plan", "-f", removed, "--kubeconfig", lacking), 0,
		"Note: target rosa-b is no longer in the file", "the kubeconfig has no context gh-keycloak-b", "--without-cluster rosa-b")
	half := filepath.Join(c.Dir, "half.kcplan")
	mustRun(t, "save a plan with a kubeconfig lacking rosa-b's context", c.kcstack(t, "plan", "-f", removed, "--out", half, "--kubeconfig", lacking), 0)
	mustRun(t, "apply the saved plan made without rosa-b's context", c.kcstack(t, "apply", half, "--auto-approve", "--allow-delete", "--kubeconfig", lacking), 1,
		"nothing was applied", "target rosa-b: target rosa-b is no longer in the file")
	mustRun(t, "apply with a kubeconfig lacking rosa-b's context", c.kcstack(t, "apply", "-f", removed, "--auto-approve", "--allow-delete", "--kubeconfig", lacking), 1,
		"nothing was applied", "target rosa-b: the kubeconfig has no context gh-keycloak-b")
	c.keycloak(t, "keycloak-b") // still there

	planned := c.jsonPlanWith(t, removed)
	slices.Sort(planned)
	if diff := cmp.Diff(actions("delete", rosaB, keep), planned); diff != "" {
		t.Fatalf("plan without rosa-b (-want +got):\n%s", diff)
	}
	applied := c.run(t, "apply", "-f", removed, "--auto-approve", "--allow-delete")
	mustRun(t, "apply without rosa-b", applied, 0, "Apply complete!")
	checkDeletedFirst(t, applied.Stdout, "targets.rosa-b.k8s.", "targets.rosa-b.peering: ")
	if _, err := c.dyn.Resource(kubetest.KeycloakGVR).Namespace("keycloak-b").Get(ctx, stackName, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("rosa-b's Keycloak custom resource after the apply: %v, want not found", err)
	}
	if _, err := c.core.CoreV1().Secrets("keycloak-b").Get(ctx, kube.DBSecretName, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("rosa-b's database Secret after the apply: %v, want not found", err)
	}
	adopted, err := c.core.CoreV1().Namespaces().Get(ctx, "keycloak-b", metav1.GetOptions{})
	if err != nil || adopted.DeletionTimestamp != nil || adopted.Labels[kube.LabelStack] != "" {
		t.Errorf("the adopted namespace after the apply: %v, deleted at %v, labels %v; want it kept as it was", err, adopted.DeletionTimestamp, adopted.Labels)
	}
	c.keycloak(t, "keycloak") // rosa-a's stays
	mustRun(t, "plan after the apply", c.run(t, "plan", "-f", removed), 0, "No changes.")

	// A peering made before kcstack tagged where the in-cluster part lives
	// gets the tags in an update of its tags, and nothing else changes.
	c.untagPeering(t, "targets.rosa-a.peering", kube.TagContext, kube.TagNamespace)
	if diff := cmp.Diff([]string{"update targets.rosa-a.peering"}, c.jsonPlanWith(t, removed)); diff != "" {
		t.Fatalf("plan of an untagged peering (-want +got):\n%s", diff)
	}
	mustRun(t, "apply the peering's tags", c.run(t, "apply", "-f", removed, "--auto-approve"), 0, "0 added, 1 changed, 0 destroyed")
	mustRun(t, "plan after the tags", c.run(t, "plan", "-f", removed), 0, "No changes.")
}

// untagPeering removes keys from the tags of the peering at address.
func (c *rosaCluster) untagPeering(t *testing.T, address string, keys ...string) {
	t.Helper()
	ctx := context.Background()
	api := ec2.NewFromConfig(c.cfg)
	got, err := api.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{
		Filters: []ec2types.Filter{{Name: aws.String("tag:" + resource.TagAddress), Values: []string{address}}}})
	if err != nil || len(got.VpcPeeringConnections) != 1 {
		t.Fatalf("find the peering %s: %v, %d found", address, err, len(got.VpcPeeringConnections))
	}
	var tags []ec2types.Tag
	for _, k := range keys {
		tags = append(tags, ec2types.Tag{Key: aws.String(k)})
	}
	if _, err := api.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{aws.ToString(got.VpcPeeringConnections[0].VpcPeeringConnectionId)}, Tags: tags}); err != nil {
		t.Fatal(err)
	}
}

// TestROSARemovedByRename: rosa-b, in a namespace kcstack made, is renamed rosa-z.
// One apply deletes rosa-b's objects and creates rosa-z's, the namespace
// moving to rosa-z instead of being deleted; the next plan has no changes.
// Then rosa-z is removed with --without-cluster rosa-z: the apply removes
// the AWS part only, saying so, and leaves the objects in the cluster.
func TestROSARemovedByRename(t *testing.T) {
	t.Parallel()
	c := newROSACluster(t)
	ctx := context.Background()
	both := c.twoTargets(t)
	rosaB := c.created(t, both, "targets.rosa-b.")
	mustRun(t, "apply both targets", c.run(t, "apply", "-f", both, "--auto-approve"), 0, "Apply complete!")

	renamed := c.twoTargets(t, "    - name: rosa-b\n", "    - name: rosa-z\n")
	nsB, nsZ := kube.Address("rosa-b", kube.ObjNamespace), kube.Address("rosa-z", kube.ObjNamespace)
	toZ := func(a string) string { return strings.Replace(a, "targets.rosa-b.", "targets.rosa-z.", 1) }
	others := slices.DeleteFunc(slices.Clone(rosaB), func(a string) bool { return a == nsB })
	want := append(append(actions("delete", others, keep), actions("create", others, toZ)...), "update "+nsZ)
	slices.Sort(want)
	got := c.jsonPlanWith(t, renamed)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("plan of the rename (-want +got):\n%s", diff)
	}
	applied := c.run(t, "apply", "-f", renamed, "--auto-approve", "--allow-delete")
	mustRun(t, "apply the rename", applied, 0, "Apply complete!")
	checkDeletedFirst(t, applied.Stdout, "targets.rosa-b.k8s.", "targets.rosa-b.peering: ")
	mustRun(t, "plan after the rename", c.run(t, "plan", "-f", renamed), 0, "No changes.")
	if got := c.keycloak(t, "keycloak-b").GetLabels()[kube.LabelAddress]; got != kube.Address("rosa-z", kube.ObjKeycloak) {
		t.Errorf("the custom resource in keycloak-b belongs to %q, want rosa-z's", got)
	}
	ns, err := c.core.CoreV1().Namespaces().Get(ctx, "keycloak-b", metav1.GetOptions{})
	if err != nil || ns.DeletionTimestamp != nil || ns.Labels[kube.LabelAddress] != nsZ {
		t.Errorf("namespace keycloak-b after the rename: %v, deleted at %v, labels %v; want it kept, rosa-z's", err, ns.DeletionTimestamp, ns.Labels)
	}

	gone := c.twoTargets(t, withoutROSAB...) // rosa-z's lines are rosa-b's, renamed
	note := "--without-cluster rosa-z leaves it out"
	mustRun(t, "plan without rosa-z's cluster", c.run(t, "plan", "-f", gone, "--without-cluster", "rosa-z", "--without-cluster", "rosa-q"), 0,
		"Note: target rosa-z is no longer in the file", note, "stay in the cluster", "Warning: --without-cluster rosa-q changes nothing")
	mustRun(t, "apply without rosa-z's cluster", c.run(t, "apply", "-f", gone, "--auto-approve", "--allow-delete", "--without-cluster", "rosa-z"), 0, note, "Apply complete!")
	c.keycloak(t, "keycloak-b") // left in the cluster, as the note says
	mustRun(t, "plan after rosa-z's peering is gone", c.run(t, "plan", "-f", gone), 0, "No changes.")
}
