package cluster

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// resources are the API resources of the in-cluster kinds.
var resources = map[resource.Kind]schema.GroupVersionResource{
	kube.KindNamespace:      {Version: "v1", Resource: "namespaces"},
	kube.KindSecret:         {Version: "v1", Resource: "secrets"},
	kube.KindConfigMap:      {Version: "v1", Resource: "configmaps"},
	kube.KindService:        {Version: "v1", Resource: "services"},
	kube.KindServiceAccount: {Version: "v1", Resource: "serviceaccounts"},
	kube.KindRole:           {Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "roles"},
	kube.KindRoleBinding:    {Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"},
	kube.KindKeycloak:       schema.FromAPIVersionAndKind(kube.KeycloakAPIVersion, kube.KeycloakKind).GroupVersion().WithResource("keycloaks"),
}

// namespaced reports whether objects of kind k live in a namespace.
func namespaced(k resource.Kind) bool { return k != kube.KindNamespace }

// targetOf returns the target of an in-cluster address,
// targets.<target>.k8s.<object>.
func targetOf(address string) (string, error) {
	rest, ok := strings.CutPrefix(address, "targets.")
	if !ok {
		return "", fmt.Errorf("%s is not the address of an in-cluster object", address)
	}
	target, _, ok := strings.Cut(rest, ".k8s.")
	if !ok || target == "" {
		return "", fmt.Errorf("%s is not the address of an in-cluster object", address)
	}
	return target, nil
}

// Option is an optional setting of New.
type Option func(*options)

type options struct{ former *Former }

// WithFormer adds f, the observer of the objects of ROSA targets no longer
// in the file, over the same handlers and Clusters.
func WithFormer(f *Former) Option { return func(o *options) { o.former = f } }

// New returns the handler of every in-cluster kind over clusters and one
// observer per target in clusters; Secrets' values are read through
// secrets.
func New(clusters Clusters, secrets SecretsAPI, opts ...Option) ([]resource.Handler, []resource.Observer) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if clusters == nil {
		clusters = Clusters{}
	}
	byKind := map[resource.Kind]*Handler{}
	var handlers []resource.Handler
	for _, k := range kube.Kinds() {
		d, _ := kube.Descriptor(k)
		h := &Handler{Described: resource.Described{Descriptor: d}, clusters: clusters, secrets: secrets}
		byKind[k] = h
		handlers = append(handlers, h)
	}
	var observers []resource.Observer
	for _, t := range resource.SortedKeys(clusters) {
		observers = append(observers, NewObserver(t, byKind))
	}
	if o.former != nil {
		o.former.clusters, o.former.handlers = clusters, byKind
		observers = append(observers, o.former)
	}
	return handlers, observers
}
