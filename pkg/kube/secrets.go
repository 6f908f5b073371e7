package kube

import (
	"encoding/json"

	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Names of the Secrets and the ConfigMap in the target's namespace.
const (
	DBSecretName      = "kcstack-db"
	AdminSecretName   = "kcstack-bootstrap-admin"
	OptionsSecretName = "kcstack-options"
	CacheConfigName   = "kcstack-cache-config"
)

// Keys of the database and bootstrap admin Secrets, as the Keycloak custom
// resource reads them (and as the RDS-managed secret names its JSON keys).
const (
	KeyUsername = "username"
	KeyPassword = "password"
)

// jsonKey is a source picking one key of a JSON secret, as ECS's valueFrom
// does: <arn>:<key>::.
func jsonKey(arn, key string) string { return arn + ":" + key + "::" }

// secret adds an Opaque Secret whose secret keys have no value here: the
// annotation names the Secrets Manager source of each (sources), and apply
// copies the values in; plain holds keys that are no secret.
func (b *builder) secret(o Object, name string, sources, plain map[string]string) {
	text, err := json.Marshal(sources) // map keys sorted: a stable annotation
	if err != nil {
		panic(err) // a map of strings always encodes
	}
	o.Kind = KindSecret
	body := map[string]any{"type": "Opaque"}
	if len(plain) > 0 {
		body["stringData"] = plain
	}
	b.add(o, "v1", "Secret", name, map[string]string{AnnotationSources: string(text)}, body)
}

// dbSecret adds the database credentials: username and password of the
// RDS-managed master user secret.
func (b *builder) dbSecret() {
	arn := resource.Placeholder(PropDBSecretARN)
	b.secret(Object{Name: ObjDBSecret, Facts: []string{PropDBSecretARN}}, DBSecretName, map[string]string{
		KeyUsername: jsonKey(arn, KeyUsername), KeyPassword: jsonKey(arn, KeyPassword),
	}, nil)
}

// adminSecret adds, for a bootstrap admin, the Secret the custom resource's
// bootstrapAdmin reads: the user name (no secret) and the password from its
// Secrets Manager secret.
func (b *builder) adminSecret() {
	a := b.st.Spec.Keycloak.BootstrapAdmin
	if a == nil {
		return
	}
	b.secret(Object{Name: ObjAdminSecret}, AdminSecretName, map[string]string{KeyPassword: a.PasswordSecretARN},
		map[string]string{KeyUsername: a.Username})
}

// optionsSecret adds the Secret holding the options whose values Secrets
// Manager holds, one key per option (the bootstrap admin's password goes
// through adminSecret).
func (b *builder) optionsSecret(opts keycloak.Options) {
	sources := map[string]string{}
	for name, arn := range opts.Secrets {
		if !bootstrapOptions[name] {
			sources[name] = arn
		}
	}
	if len(sources) == 0 {
		return
	}
	b.secret(Object{Name: ObjOptionsSecret}, OptionsSecretName, sources, nil)
}

// cacheConfig adds the ConfigMap holding the cache configuration file, when
// the version or the discovery mode needs one.
func (b *builder) cacheConfig(opts keycloak.Options) {
	if opts.CacheConfig == "" {
		return
	}
	b.add(Object{Name: ObjCacheConfig, Kind: KindConfigMap}, "v1", "ConfigMap", CacheConfigName, nil,
		map[string]any{"data": map[string]any{keycloak.CacheConfigFile: opts.CacheConfig}})
}
