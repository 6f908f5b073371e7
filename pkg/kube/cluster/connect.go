package cluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/kcstack/kcstack/pkg/stack"
)

// Unread is a ROSA target whose in-cluster part a run cannot read.
type Unread struct {
	Target string
	// Reason says why, and what to do.
	Reason string
	// Blocking is true when a kubeconfig was given (--kubeconfig,
	// KUBECONFIG or the default file) but cannot reach the target: apply
	// must stop before touching the target. Without any kubeconfig the run
	// manages the AWS part alone, as kcstack did before it managed clusters.
	Blocking bool
	// Removed is true for a target no longer in the file, found through the
	// tags of its peering (see Former): its in-cluster objects, if any,
	// stay in the cluster unless the run reaches it.
	Removed bool
}

// Access is how a run reaches the clusters of ROSA targets.
type Access struct {
	// Kubeconfig is the --kubeconfig file; "" for KUBECONFIG, then
	// ~/.kube/config.
	Kubeconfig string
	// Without are the targets whose in-cluster part the run neither reads
	// nor changes (--without-cluster): a cluster that is gone.
	Without []string
}

// without returns the Unread of target when the run leaves its cluster out.
func (a Access) without(target string) (Unread, bool) {
	if !slices.Contains(a.Without, target) {
		return Unread{}, false
	}
	return Unread{Target: target, Reason: "--without-cluster " + target + " leaves it out: kcstack neither reads nor changes it"}, true
}

// kubeconfig is the kubeconfig a run loaded: the merged file, and whether
// one was configured at all.
type kubeconfig struct {
	rules      *clientcmd.ClientConfigLoadingRules
	raw        *clientcmdapi.Config
	err        error
	configured bool
}

// load reads the kubeconfig at a.Kubeconfig ("" for KUBECONFIG, then
// ~/.kube/config). It reads files only.
func (a Access) load() kubeconfig {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = a.Kubeconfig
	configured := a.Kubeconfig != "" || os.Getenv(clientcmd.RecommendedConfigPathEnvVar) != "" || exists(clientcmd.RecommendedHomeFile)
	raw, err := rules.Load()
	return kubeconfig{rules: rules, raw: raw, err: err, configured: configured}
}

// reach returns the dynamic client of context name for target, or the
// Unread saying why there is none.
func (k kubeconfig) reach(target, name string) (dynamic.Interface, *Unread) {
	switch {
	case !k.configured:
		return nil, &Unread{Target: target, Reason: "no kubeconfig: set KUBECONFIG or pass --kubeconfig with a context named " + name}
	case k.err != nil:
		return nil, &Unread{Target: target, Blocking: true, Reason: fmt.Sprintf("the kubeconfig cannot be read: %v", k.err)}
	case k.raw.Contexts[name] == nil:
		return nil, &Unread{Target: target, Blocking: true, Reason: "the kubeconfig has no context " + name + " (rosa.kubeContext, by default the cluster's name)"}
	}
	dc, err := client(k.raw, name, k.rules)
	if err != nil {
		return nil, &Unread{Target: target, Blocking: true, Reason: fmt.Sprintf("context %s: %v", name, err)}
	}
	return dc, nil
}

// server returns the API server of context name, "" when unknown: two
// contexts of one server reach the same cluster.
func (k kubeconfig) server(name string) string {
	if k.raw == nil || k.raw.Contexts[name] == nil {
		return ""
	}
	if c := k.raw.Clusters[k.raw.Contexts[name].Cluster]; c != nil {
		return c.Server
	}
	return ""
}

// Connect returns a dynamic client for each ROSA target of st whose
// kubeconfig context (rosa.kubeContext) the kubeconfig of a has, and the
// targets it cannot reach or a leaves out, with the reason. It reads files
// only; nothing is asked of the clusters.
func Connect(a Access, st *stack.Stack) (Clusters, []Unread) {
	k := a.load()
	out := Clusters{}
	var unread []Unread
	for _, t := range st.Spec.Targets {
		if t.ROSA == nil {
			continue
		}
		if u, ok := a.without(t.Name); ok {
			unread = append(unread, u)
			continue
		}
		dc, u := k.reach(t.Name, t.ROSA.KubeContext)
		if u != nil {
			unread = append(unread, *u)
			continue
		}
		out[t.Name] = dc
	}
	return out, unread
}

// client returns the dynamic client of context name of raw.
func client(raw *clientcmdapi.Config, name string, rules *clientcmd.ClientConfigLoadingRules) (dynamic.Interface, error) {
	cfg, err := clientcmd.NewNonInteractiveClientConfig(*raw, name, &clientcmd.ConfigOverrides{}, rules).ClientConfig()
	if err != nil {
		return nil, err
	}
	return dynamic.NewForConfig(cfg)
}

// exists reports whether a file is at path.
func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
