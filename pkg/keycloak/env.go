package keycloak

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/stack"
)

// Environment is a container's configuration: plain variables, and
// variables ECS fills from Secrets Manager when the task starts.
type Environment struct {
	// Vars are plain environment variables by name.
	Vars map[string]string
	// Secrets are variables ECS reads from Secrets Manager, by name; each
	// value is an ECS valueFrom: a secret ARN, optionally followed by
	// :<json-key>:: to pick one key of a JSON secret.
	Secrets map[string]string
}

// EnvName returns the environment variable of a Keycloak option: KC_ and
// the option in upper case with - turned into _ (cache-stack → KC_CACHE_STACK,
// spi-cache-embedded--default--action-tokens-owners →
// KC_SPI_CACHE_EMBEDDED__DEFAULT__ACTION_TOKENS_OWNERS).
func EnvName(option string) string {
	return "KC_" + strings.ToUpper(strings.ReplaceAll(option, "-", "_"))
}

// Env returns the environment of the Keycloak container for st: the
// database on the Aurora writer with credentials from the RDS-managed
// secret (secrets only), and the ServerOptions of ECS as KC_* variables
// (secret ones as secrets), the Java properties in JAVA_OPTS_APPEND, the
// cache configuration in CacheConfigVar and, before Keycloak 26, the
// bootstrap admin, and the connections of the Redis applications whose
// from names facts.Target. Facts the stack file knows may be left empty in
// facts.
func Env(st *stack.Stack, facts Facts) (Environment, error) {
	v, err := version(st)
	if err != nil {
		return Environment{}, err
	}
	facts = facts.withStack(st)
	if err := facts.missing(st.Spec.Discovery.Mode, false); err != nil {
		return Environment{}, err
	}
	if m := facts.redisMissing(st); len(m) > 0 {
		return Environment{}, fmt.Errorf("facts missing: %s", strings.Join(m, ", "))
	}
	opts, err := serverOptions(st, v, PlatformECS, facts)
	if err != nil {
		return Environment{}, err
	}
	e := Environment{Vars: map[string]string{}, Secrets: map[string]string{}}
	for name, value := range opts.Plain {
		e.option(name, value)
	}
	for name, arn := range opts.Secrets {
		e.setSecret(EnvName(name), arn)
	}
	e.addDatabase(st.Spec.Keycloak.DB, facts)
	e.addRedis(st, facts)
	if !v.AtLeast(26, 0) {
		e.addAdminBefore26(st.Spec.Keycloak.BootstrapAdmin)
	}
	if len(opts.JavaProperties) > 0 {
		e.set("JAVA_OPTS_APPEND", strings.Join(opts.JavaProperties, " "))
	}
	if opts.CacheConfig != "" {
		e.set(CacheConfigVar, opts.CacheConfig)
	}
	return e, nil
}

// SecretARNs returns the Secrets Manager secrets the container reads,
// sorted and without the :json-key:: suffixes of valueFrom: what the
// execution role must be allowed to read (secretsmanager:GetSecretValue).
func (e Environment) SecretARNs() []string {
	seen := map[string]bool{}
	for _, valueFrom := range e.Secrets {
		parts := strings.SplitN(valueFrom, ":", 8) // arn:aws:secretsmanager:region:account:secret:name[:key:stage:id]
		seen[strings.Join(parts[:min(len(parts), 7)], ":")] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// version returns the stack's Keycloak version, or an error when it is not
// one kcstack supports.
func version(st *stack.Stack) (stack.Version, error) {
	v := st.KeycloakVersion()
	if v.Major < stack.MinKeycloakMajor || v.Major > stack.MaxKeycloakMajor {
		return v, fmt.Errorf("spec.keycloak.version %q is not a supported Keycloak version", st.Spec.Keycloak.Version)
	}
	return v, nil
}

// set sets a plain variable, replacing a secret of the same name.
func (e Environment) set(name, value string) { put(e.Vars, e.Secrets, name, value) }

// setSecret sets a variable read from Secrets Manager, replacing a plain
// variable of the same name.
func (e Environment) setSecret(name, valueFrom string) { put(e.Secrets, e.Vars, name, valueFrom) }

// put sets name to value in to and removes it from other: a name is plain
// or secret, never both.
func put(to, other map[string]string, name, value string) {
	delete(other, name)
	to[name] = value
}

// option sets the variable of a Keycloak option.
func (e Environment) option(name, value string) { e.set(EnvName(name), value) }

// addDatabase points Keycloak at the Aurora writer, with the credentials of
// the RDS-managed secret and a fixed-size pool.
func (e Environment) addDatabase(db stack.KeycloakDB, f Facts) {
	e.option("db", "postgres")
	e.option("db-url", JDBCURL(f.WriterEndpoint, f.Port, f.DatabaseName))
	e.setSecret(EnvName("db-username"), f.DBSecretARN+":username::")
	e.setSecret(EnvName("db-password"), f.DBSecretARN+":password::")
	e.option("db-pool-initial-size", strconv.Itoa(db.PoolInitialSize))
	e.option("db-pool-min-size", strconv.Itoa(db.PoolMinSize))
	e.option("db-pool-max-size", strconv.Itoa(db.PoolMaxSize))
}

// JDBCProperties are the JDBC URL's properties: targetServerType=primary
// makes the driver refuse a node that is not the writer (after a failover,
// until DNS follows). ROSA passes them as db-url-properties.
const JDBCProperties = "?targetServerType=primary"

// JDBCURL returns the PostgreSQL JDBC URL of the Aurora writer endpoint,
// with JDBCProperties.
func JDBCURL(writer string, port int32, database string) string {
	return fmt.Sprintf("jdbc:postgresql://%s:%d/%s%s", writer, port, database, JDBCProperties)
}

// addAdminBefore26 creates the first admin from its secret before Keycloak
// 26, which reads KEYCLOAK_ADMIN (from 26 it is the bootstrap-admin options
// of ServerOptions).
func (e Environment) addAdminBefore26(a *stack.BootstrapAdmin) {
	if a == nil {
		return
	}
	e.set("KEYCLOAK_ADMIN", a.Username)
	e.setSecret("KEYCLOAK_ADMIN_PASSWORD", a.PasswordSecretARN)
}
