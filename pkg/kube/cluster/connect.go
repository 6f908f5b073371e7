package cluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

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
}

// Connect returns a dynamic client for each ROSA target of st whose
// kubeconfig context (rosa.kubeContext) the kubeconfig at path ("" for
// KUBECONFIG, then ~/.kube/config) has, and the targets it cannot reach,
// with the reason. It reads files only; nothing is asked of the clusters.
func Connect(path string, st *stack.Stack) (Clusters, []Unread) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = path
	configured := path != "" || os.Getenv(clientcmd.RecommendedConfigPathEnvVar) != "" || exists(clientcmd.RecommendedHomeFile)
	raw, err := rules.Load()
	out := Clusters{}
	var unread []Unread
	for _, t := range st.Spec.Targets {
		if t.ROSA == nil {
			continue
		}
		name := t.ROSA.KubeContext
		switch {
		case !configured:
			unread = append(unread, Unread{Target: t.Name, Reason: "no kubeconfig: set KUBECONFIG or pass --kubeconfig with a context named " + name})
			continue
		case err != nil:
			unread = append(unread, Unread{Target: t.Name, Blocking: true, Reason: fmt.Sprintf("the kubeconfig cannot be read: %v", err)})
			continue
		case raw.Contexts[name] == nil:
			unread = append(unread, Unread{Target: t.Name, Blocking: true, Reason: "the kubeconfig has no context " + name + " (rosa.kubeContext, by default the cluster's name)"})
			continue
		}
		dc, cerr := client(raw, name, rules)
		if cerr != nil {
			unread = append(unread, Unread{Target: t.Name, Blocking: true, Reason: fmt.Sprintf("context %s: %v", name, cerr)})
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
