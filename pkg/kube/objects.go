package kube

import (
	"fmt"

	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// Labels every in-cluster object carries: ownership, for reading the
// objects back and never touching others'.
const (
	LabelManagedBy = "app.kubernetes.io/managed-by"
	ManagedBy      = "kcstack"
	LabelStack     = "kcstack.io/stack"
	LabelAddress   = "kcstack.io/address"
	// AnnotationSources names, on a Secret, the Secrets Manager secret each
	// key is copied from at apply time: a JSON object of key to source, the
	// secret's ARN followed by :<json-key>:: to pick one key of a JSON
	// secret (the form of an ECS valueFrom).
	AnnotationSources = "kcstack.io/sources"
)

// Tags on the AWS peering of a ROSA target saying where its in-cluster
// part lives, so that the objects of a target removed from the file are
// found (and deleted before the peering) when only the peering is left to
// say the target existed.
const (
	// TagContext is the target's kubeconfig context (rosa.kubeContext).
	TagContext = "kcstack:kube-context"
	// TagNamespace is the target's namespace (rosa.namespace).
	TagNamespace = "kcstack:kube-namespace"
)

// Props whose values are known only after apply; the manifests name them
// with resource.Placeholder.
const (
	// PropWriterEndpoint is the Aurora cluster's writer endpoint.
	PropWriterEndpoint = "writer_endpoint"
	// PropDBSecretARN is the ARN of the RDS-managed master user secret.
	PropDBSecretARN = "db_secret_arn"
	// PropPeering is the id of the target's peering with Aurora, which no
	// manifest shows: it orders deletes (see kinds.go).
	PropPeering = "peering_id"
)

// Placeholders are the readable stand-ins of the props known only after
// apply, for manifests rendered before anything exists.
var Placeholders = map[string]string{
	PropWriterEndpoint: keycloak.PlaceholderWriterEndpoint,
	PropDBSecretARN:    keycloak.PlaceholderDBSecretARN,
}

// Object is one in-cluster object a ROSA target wants.
type Object struct {
	// Name is the object's part of its address, targets.<target>.k8s.<Name>.
	Name string
	Kind resource.Kind
	// Manifest is the object as the API server reads it, ownership labels
	// included, with Placeholders for the props in Facts.
	Manifest map[string]any
	// Facts are the props (PropWriterEndpoint, PropDBSecretARN,
	// PropRedisEndpoint, RedisSecretProp) the manifest's placeholders name.
	Facts []string
	// After are the Names of objects of the same target that must exist
	// first.
	After []string
}

// Names of the objects of a target.
const (
	ObjNamespace        = "namespace"
	ObjDBSecret         = "db-secret"
	ObjAdminSecret      = "admin-secret"
	ObjOptionsSecret    = "options-secret"
	ObjCacheConfig      = "cache-config"
	ObjDiscoveryService = "discovery-service"
	ObjDiscoveryAccount = "discovery-account"
	ObjDiscoveryRole    = "discovery-role"
	ObjDiscoveryBinding = "discovery-binding"
	ObjKeycloak         = "keycloak"
)

// Address returns the address of object name of target: targets.<target>.k8s.<name>.
func Address(target, name string) string { return "targets." + target + ".k8s." + name }

// Objects returns the in-cluster objects of ROSA target t of st (a loaded,
// defaulted and valid stack), in the order they are applied: the
// Namespace, the Secrets (the Redis applications' among them), the cache configuration, the discovery objects
// and last the Keycloak custom resource.
func Objects(st *stack.Stack, t stack.Target) ([]Object, error) {
	if t.ROSA == nil {
		return nil, fmt.Errorf("target %s is not a rosa target", t.Name)
	}
	b := builder{st: st, target: t.Name, ns: t.ROSA.Namespace}
	opts, err := keycloak.ServerOptions(st, keycloak.PlatformROSA, keycloak.Facts{
		WriterEndpoint: resource.Placeholder(PropWriterEndpoint), DBSecretARN: resource.Placeholder(PropDBSecretARN),
		DNSNamespace: b.ns + ".svc.cluster.local", KubeNamespace: b.ns,
	})
	if err != nil {
		return nil, fmt.Errorf("target %s: %w", t.Name, err)
	}
	b.namespace()
	b.dbSecret()
	b.adminSecret()
	b.redisSecrets()
	b.optionsSecret(opts)
	b.cacheConfig(opts)
	b.discovery()
	b.keycloak(t.ROSA, opts)
	return b.out, nil
}

// builder collects the objects of one target.
type builder struct {
	st     *stack.Stack
	target string
	ns     string
	out    []Object
}

// add appends an object whose manifest is apiVersion, kind, metadata (name,
// the target's namespace unless cluster-scoped, the ownership labels and
// annotations) and body.
func (b *builder) add(o Object, apiVersion, kind, name string, annotations map[string]string, body map[string]any) {
	meta := map[string]any{"name": name, "labels": b.labels(o.Name)}
	if o.Kind != KindNamespace {
		meta["namespace"] = b.ns
	}
	if len(annotations) > 0 {
		meta["annotations"] = annotations
	}
	m := map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": meta}
	for k, v := range body {
		m[k] = v
	}
	o.Manifest = m
	if o.Kind != KindNamespace {
		o.After = append([]string{ObjNamespace}, o.After...)
	}
	b.out = append(b.out, o)
}

// has reports whether the target wants object name.
func (b *builder) has(name string) bool {
	for _, o := range b.out {
		if o.Name == name {
			return true
		}
	}
	return false
}

// labels are the ownership labels of object name.
func (b *builder) labels(name string) map[string]string {
	return map[string]string{LabelManagedBy: ManagedBy, LabelStack: b.st.Metadata.Name, LabelAddress: Address(b.target, name)}
}

// namespace adds the target's Namespace.
func (b *builder) namespace() {
	b.add(Object{Name: ObjNamespace, Kind: KindNamespace}, "v1", "Namespace", b.ns, nil, nil)
}
