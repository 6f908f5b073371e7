package kube

import (
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// PropRedisEndpoint is the prop holding the primary endpoint of the
// stack's Redis replication group: known only after apply, like
// PropWriterEndpoint.
const PropRedisEndpoint = "redis_primary_endpoint"

// redisSecretPropPrefix starts the props holding the ARN of a Redis
// application's password secret.
const redisSecretPropPrefix = "redis_secret_arn_"

// RedisSecretProp is the prop holding the ARN of the password secret of
// Redis application key (<name>-<environment>): redis_secret_arn_<key>
// with _ for - (names have no _, so the key reads back).
func RedisSecretProp(key string) string {
	return redisSecretPropPrefix + strings.ReplaceAll(key, "-", "_")
}

// RedisSecretKey returns the application key a RedisSecretProp names.
func RedisSecretKey(prop string) (string, bool) {
	k, ok := strings.CutPrefix(prop, redisSecretPropPrefix)
	return strings.ReplaceAll(k, "_", "-"), ok && k != ""
}

// Keys of a Redis application's Secret besides KeyUsername and KeyPassword.
const (
	KeyHost = "host"
	KeyPort = "port"
	KeyTLS  = "tls"
)

// RedisSecretName is the Secret holding Redis application key's
// connection: redis-<name>-<environment>.
func RedisSecretName(key string) string { return "redis-" + key }

// redisSecrets adds, for each Redis application whose from names the
// target, the Secret redis-<name>-<environment> with the connection (host,
// port, tls: no secrets) and the user name and password, copied from the
// application's Secrets Manager secret at apply time.
func (b *builder) redisSecrets() {
	for _, a := range b.st.RedisFrom(b.target) {
		key := a.Key()
		prop := RedisSecretProp(key)
		arn := resource.Placeholder(prop)
		b.secret(Object{Name: RedisSecretName(key), Facts: []string{PropRedisEndpoint, prop}}, RedisSecretName(key),
			map[string]string{KeyUsername: jsonKey(arn, KeyUsername), KeyPassword: jsonKey(arn, KeyPassword)},
			map[string]string{KeyHost: resource.Placeholder(PropRedisEndpoint), KeyPort: strconv.Itoa(stack.RedisPort), KeyTLS: "true"})
	}
}

// RenderValues are the readable stand-ins of every prop known only after
// apply that the objects of st name (Placeholders, and the Redis facts).
func RenderValues(st *stack.Stack) map[string]string {
	out := map[string]string{PropRedisEndpoint: keycloak.PlaceholderRedisEndpoint}
	for k, v := range Placeholders {
		out[k] = v
	}
	if st.Spec.Redis != nil {
		f := keycloak.Placeholders(st)
		for _, a := range st.Spec.Redis.Applications {
			out[RedisSecretProp(a.Key())] = f.RedisSecretARN(a.Key())
		}
	}
	return out
}
