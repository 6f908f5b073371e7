package kube

import (
	"maps"
	"slices"
	"strings"

	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// The Keycloak custom resource of the Keycloak Operator: the API version
// the operators of Keycloak 24 to 26 serve.
const (
	KeycloakAPIVersion = "k8s.keycloak.org/v2alpha1"
	KeycloakKind       = "Keycloak"
	// containerName is the Keycloak container of the operator's pods.
	containerName = "keycloak"
)

// routeTermination makes the OpenShift router terminate TLS on the route
// it makes from the operator's Ingress (edge) and forward plain HTTP to
// port 8080: the pods need no certificate, and Keycloak trusts the router's
// X-Forwarded-* headers (proxy headers).
var routeTermination = map[string]any{"route.openshift.io/termination": "edge"}

// bootstrapOptions are the options the custom resource's bootstrapAdmin
// field replaces.
var bootstrapOptions = map[string]bool{"bootstrap-admin-username": true, "bootstrap-admin-password": true}

// keycloak adds the Keycloak custom resource, named after the stack:
// instances, image (only when it is not the version's stock image, which
// the operator picks itself), the database, HTTP behind the router, the
// hostname, proxy headers, features, bootstrap admin and cache
// configuration through their fields, every other option of ServerOptions
// in additionalOptions (secret ones from the options Secret), and for
// dns-ping and kube-ping what the pods need (podTemplate).
func (b *builder) keycloak(r *stack.ROSATarget, opts keycloak.Options) {
	k := b.st.Spec.Keycloak
	plain := maps.Clone(opts.Plain)
	spec := map[string]any{
		"instances": int64(r.Instances),
		"db":        b.database(),
		"http":      map[string]any{"httpEnabled": true, "httpPort": int64(keycloak.HTTPPort)},
		"ingress":   map[string]any{"enabled": true, "annotations": routeTermination},
	}
	take(plain, "http-enabled", "http-port")
	if k.Image != stack.DefaultImageRepository+":"+k.Version {
		spec["image"] = k.Image
	}
	b.fieldOptions(spec, plain)
	if b.has(ObjAdminSecret) {
		spec["bootstrapAdmin"] = map[string]any{"user": map[string]any{"secret": AdminSecretName}}
		take(plain, "bootstrap-admin-username")
	}
	if opts.CacheConfig != "" {
		spec["cache"] = map[string]any{"configMapFile": map[string]any{"name": CacheConfigName, "key": keycloak.CacheConfigFile}}
		take(plain, "cache-config-file")
	}
	plain["db-url-properties"] = keycloak.JDBCProperties
	spec["additionalOptions"] = additionalOptions(plain, opts.Secrets)
	if tmpl := b.podTemplate(opts.JavaProperties); len(tmpl) > 0 {
		spec["unsupported"] = map[string]any{"podTemplate": tmpl}
	}
	var after []string
	for _, o := range b.out {
		if o.Name != ObjNamespace {
			after = append(after, o.Name)
		}
	}
	b.add(Object{Name: ObjKeycloak, Kind: KindKeycloak, Facts: []string{PropWriterEndpoint}, After: after},
		KeycloakAPIVersion, KeycloakKind, b.st.Metadata.Name, nil, map[string]any{"spec": spec})
}

// database points Keycloak at the Aurora writer with the credentials of
// the database Secret and the fixed-size pool.
func (b *builder) database() map[string]any {
	a, db := b.st.Spec.Database.Aurora, b.st.Spec.Keycloak.DB
	return map[string]any{
		"vendor":          "postgres",
		"host":            resource.Placeholder(PropWriterEndpoint),
		"port":            int64(a.Port),
		"database":        a.DatabaseName,
		"usernameSecret":  map[string]any{"name": DBSecretName, "key": KeyUsername},
		"passwordSecret":  map[string]any{"name": DBSecretName, "key": KeyPassword},
		"poolInitialSize": int64(db.PoolInitialSize),
		"poolMinSize":     int64(db.PoolMinSize),
		"poolMaxSize":     int64(db.PoolMaxSize),
	}
}

// fieldOptions moves the options the custom resource has fields for into
// them: hostname v2 and proxy headers (the operator has those fields from
// Keycloak 25; before they stay options), and features.
func (b *builder) fieldOptions(spec map[string]any, plain map[string]string) {
	if b.st.KeycloakVersion().AtLeast(25, 0) {
		hostname := map[string]any{}
		for option, field := range map[string]string{"hostname": "hostname", "hostname-admin": "admin"} {
			if v, ok := take(plain, option); ok {
				hostname[field] = v
			}
		}
		if _, ok := take(plain, "hostname-backchannel-dynamic"); ok {
			hostname["backchannelDynamic"] = true
		}
		if len(hostname) > 0 {
			spec["hostname"] = hostname
		}
		if v, ok := take(plain, "proxy-headers"); ok {
			spec["proxy"] = map[string]any{"headers": v}
		}
	}
	features := map[string]any{}
	for option, field := range map[string]string{"features": "enabled", "features-disabled": "disabled"} {
		if v, ok := take(plain, option); ok {
			features[field] = strings.Split(v, ",")
		}
	}
	if len(features) > 0 {
		spec["features"] = features
	}
}

// additionalOptions lists the options, sorted by name: plain values, and
// options Secrets Manager holds as references to their key in the options
// Secret.
func additionalOptions(plain, secrets map[string]string) []any {
	names := slices.Sorted(maps.Keys(plain))
	for name := range secrets {
		if !bootstrapOptions[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	out := make([]any, 0, len(names))
	for _, name := range names {
		if v, ok := plain[name]; ok {
			out = append(out, map[string]any{"name": name, "value": v})
			continue
		}
		out = append(out, map[string]any{"name": name, "secret": map[string]any{"name": OptionsSecretName, "key": name}})
	}
	return out
}

// podTemplate is what the Keycloak pods need beyond the operator's own pod:
// the Java properties of the discovery mode (JAVA_OPTS_APPEND, as no
// Keycloak option sets them) and, for kube-ping, the ServiceAccount allowed
// to list pods and the labels KUBE_PING selects them by.
func (b *builder) podTemplate(javaProperties []string) map[string]any {
	tmpl, spec := map[string]any{}, map[string]any{}
	if len(javaProperties) > 0 {
		spec["containers"] = []any{map[string]any{"name": containerName, "env": []any{
			map[string]any{"name": "JAVA_OPTS_APPEND", "value": strings.Join(javaProperties, " ")},
		}}}
	}
	if p := b.st.Spec.Discovery.KubePing; b.st.Spec.Discovery.Mode == stack.DiscoveryKubePing && p != nil {
		spec["serviceAccountName"] = KubePingName
		labels := map[string]any{}
		for k, v := range p.Labels {
			labels[k] = v
		}
		tmpl["metadata"] = map[string]any{"labels": labels}
	}
	if len(spec) > 0 {
		tmpl["spec"] = spec
	}
	return tmpl
}

// take removes the options names from plain, returning the value of the
// first one present.
func take(plain map[string]string, names ...string) (string, bool) {
	var value string
	var found bool
	for _, n := range names {
		if v, ok := plain[n]; ok && !found {
			value, found = v, true
		}
		delete(plain, n)
	}
	return value, found
}
