package keycloak

import (
	"strconv"

	"github.com/kcstack/kcstack/pkg/stack"
)

// Placeholders of the Redis facts, for configuration rendered before
// anything exists.
const (
	PlaceholderRedisEndpoint = "<redis-primary-endpoint>"
	placeholderRedisSecret   = "<redis-secret-arn:%s>"
)

// Suffixes of the variables that carry an application's Redis connection,
// after stack.RedisApplication.EnvPrefix.
const (
	RedisHostSuffix     = "_HOST"
	RedisPortSuffix     = "_PORT"
	RedisTLSSuffix      = "_TLS"
	RedisUsernameSuffix = "_USERNAME"
	RedisPasswordSuffix = "_PASSWORD"
)

// addRedis gives the container of target the connection of every Redis
// application whose from names it: host (the primary endpoint), port, TLS
// (always on) and user name as plain variables, the password as a secret
// read from the application's Secrets Manager secret.
func (e Environment) addRedis(st *stack.Stack, f Facts) {
	for _, a := range st.RedisFrom(f.Target) {
		p := a.EnvPrefix()
		e.set(p+RedisHostSuffix, f.RedisEndpoint)
		e.set(p+RedisPortSuffix, strconv.Itoa(stack.RedisPort))
		e.set(p+RedisTLSSuffix, "true")
		e.set(p+RedisUsernameSuffix, a.Key())
		e.setSecret(p+RedisPasswordSuffix, f.RedisSecretARN(a.Key())+":password::")
	}
}

// redisMissing names the Redis facts target needs that facts lack.
func (f Facts) redisMissing(st *stack.Stack) []string {
	apps := st.RedisFrom(f.Target)
	if len(apps) == 0 {
		return nil
	}
	var out []string
	if f.RedisEndpoint == "" {
		out = append(out, "RedisEndpoint")
	}
	if f.RedisSecretARN == nil {
		return append(out, "RedisSecretARN")
	}
	for _, a := range apps {
		if f.RedisSecretARN(a.Key()) == "" {
			out = append(out, "RedisSecretARN("+a.Key()+")")
		}
	}
	return out
}
