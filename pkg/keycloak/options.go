package keycloak

import (
	"fmt"
	"strconv"

	"github.com/kcstack/kcstack/pkg/stack"
)

// Platform is where Keycloak runs; it decides what of the generated
// settings it needs and how they reach Keycloak.
type Platform int

// The platforms kcstack runs Keycloak on.
const (
	// PlatformECS runs Keycloak as an ECS Fargate task: options are KC_*
	// environment variables, secrets ECS container secrets.
	PlatformECS Platform = iota
	// PlatformROSA runs Keycloak through the Keycloak Operator on OpenShift:
	// options are fields and additionalOptions of the Keycloak custom
	// resource, secrets Kubernetes Secrets filled from Secrets Manager.
	PlatformROSA
)

// Options are the generated Keycloak settings of a stack, neutral of how a
// platform passes them, so that ECS and ROSA share every rule: Env renders
// them as the container's environment, pkg/kube as the Keycloak custom
// resource. The database connection is not among them: each platform
// points Keycloak at the Aurora writer its own way.
type Options struct {
	// Plain are options and their values, by option name.
	Plain map[string]string
	// Secrets are options whose value a Secrets Manager secret holds, by
	// option name: the secret's ARN.
	Secrets map[string]string
	// JavaProperties are the system properties (-Dname=value) the JGroups
	// stack of the discovery mode reads, in order.
	JavaProperties []string
	// CacheConfig is the content of the cache configuration file
	// (CacheConfigFile, named by the cache-config-file option) when the
	// version or the discovery mode needs one; empty otherwise.
	CacheConfig string
}

// ServerOptions returns the options of st on platform p: extra options,
// HTTP, proxy headers, health and metrics, hostname, features, bootstrap
// admin (Keycloak 26+), the cache stack, the discovery mode's Java
// properties and the owners. Facts the stack file knows may be left empty
// in facts; on ROSA, facts.DNSNamespace is the cluster DNS domain of the
// target's namespace and facts.KubeNamespace the namespace.
func ServerOptions(st *stack.Stack, p Platform, facts Facts) (Options, error) {
	v, err := version(st)
	if err != nil {
		return Options{}, err
	}
	return serverOptions(st, v, p, facts.withStack(st))
}

func serverOptions(st *stack.Stack, v stack.Version, p Platform, f Facts) (Options, error) {
	o := Options{Plain: map[string]string{}, Secrets: map[string]string{}}
	k := st.Spec.Keycloak
	// Extra options first: the options kcstack manages overwrite them.
	o.addExtraOptions(k.ExtraOptions)
	o.addHTTP(v, k.ProxyHeaders)
	o.addHostname(v, k)
	if v.AtLeast(26, 0) && k.BootstrapAdmin != nil {
		o.set("bootstrap-admin-username", k.BootstrapAdmin.Username)
		o.setSecret("bootstrap-admin-password", k.BootstrapAdmin.PasswordSecretARN)
	}
	if err := o.addCache(st, v, p, f); err != nil {
		return Options{}, err
	}
	return o, nil
}

// set sets a plain option, replacing a secret one of the same name.
func (o Options) set(name, value string) { put(o.Plain, o.Secrets, name, value) }

// setSecret sets an option read from Secrets Manager, replacing a plain one
// of the same name.
func (o Options) setSecret(name, arn string) { put(o.Secrets, o.Plain, name, arn) }

// addExtraOptions adds spec.keycloak.extraOptions: values that are Secrets
// Manager ARNs become secrets. The removed proxy option is never passed on
// (proxy-headers replaces it, see Notes).
func (o Options) addExtraOptions(opts map[string]string) {
	for name, value := range opts {
		switch {
		case name == "proxy":
		case stack.IsSecretARN(value):
			o.setSecret(name, value)
		default:
			o.set(name, value)
		}
	}
}

// addHTTP serves plain HTTP on 8080 behind what terminates TLS (the load
// balancer on ECS, the OpenShift router on ROSA), trusts its proxy headers
// and enables health and metrics (from Keycloak 25 on the management port
// 9000 at /, whatever http-relative-path says, so that health checks stay
// right). The proxy option is never set: proxy-headers replaces it in
// every supported version.
func (o Options) addHTTP(v stack.Version, proxyHeaders string) {
	o.set("http-enabled", "true")
	o.set("http-port", strconv.Itoa(int(HTTPPort)))
	o.set("proxy-headers", proxyHeaders)
	o.set("health-enabled", "true")
	o.set("metrics-enabled", "true")
	if v.AtLeast(25, 0) {
		o.set("http-management-port", strconv.Itoa(int(ManagementPort)))
		o.set("http-management-relative-path", "/")
	}
}

// platformError says that a discovery mode cannot run on a platform.
func platformError(mode string, p Platform) error {
	if p == PlatformROSA {
		return fmt.Errorf("discovery mode %q cannot run on ROSA: use jdbc-ping, dns-ping or kube-ping", mode)
	}
	return fmt.Errorf("discovery mode %q cannot run on ECS: use jdbc-ping, dns-ping or s3-ping", mode)
}
