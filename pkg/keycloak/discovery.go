package keycloak

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/stack"
)

// Cache stacks (KC_CACHE_STACK) of the discovery modes on ECS.
var cacheStacks = map[string]string{
	stack.DiscoveryJDBCPing: "jdbc-ping",
	stack.DiscoveryDNSPing:  "kubernetes",
	stack.DiscoveryS3Ping:   "ec2",
}

// bindAddress makes JGroups bind to, and advertise, the task's site-local
// (VPC) address: in awsvpc mode that is the task's ENI.
const bindAddress = "SITE_LOCAL"

// CacheStack returns the KC_CACHE_STACK value of a discovery mode, or an
// error for a mode kcstack cannot generate on ECS (kube-ping).
func CacheStack(mode string) (string, error) {
	s, ok := cacheStacks[mode]
	if !ok {
		return "", fmt.Errorf("discovery mode %q cannot run on ECS: use jdbc-ping, dns-ping or s3-ping", mode)
	}
	return s, nil
}

// addCache sets the distributed cache, its JGroups stack, the Java options
// the discovery mode reads, the bind address and the owners: options from
// 26.4, a cache configuration file written at start before.
func (e Environment) addCache(st *stack.Stack, v stack.Version, f Facts) error {
	mode := st.Spec.Discovery.Mode
	cacheStack, err := CacheStack(mode)
	if err != nil {
		return err
	}
	e.option("cache", "ispn")
	e.option("cache-stack", cacheStack)
	opts := discoveryJavaOptions(mode, f)
	if v.AtLeast(26, 4) {
		e.option("cache-embedded-network-bind-address", bindAddress)
		e.option("cache-embedded-network-bind-port", strconv.Itoa(int(JGroupsPort)))
	} else {
		opts = append(opts, "-Djgroups.bind.address="+bindAddress, "-Djgroups.bind.port="+strconv.Itoa(int(JGroupsPort)))
	}
	if len(opts) > 0 {
		e.set("JAVA_OPTS_APPEND", strings.Join(opts, " "))
	}
	if ownersOptions(v) {
		e.addOwners(st)
		return nil
	}
	xml, _ := CacheConfig(st)
	e.option("cache-config-file", CacheConfigFile)
	e.set(CacheConfigVar, xml)
	return nil
}

// discoveryJavaOptions returns the system properties the mode's JGroups
// stack reads: the DNS name to query (dns-ping), the bucket and its region
// (s3-ping).
func discoveryJavaOptions(mode string, f Facts) []string {
	switch mode {
	case stack.DiscoveryDNSPing:
		return []string{"-Djgroups.dns.query=" + f.DNSService + "." + f.DNSNamespace}
	case stack.DiscoveryS3Ping:
		return []string{"-Djgroups.s3.region_name=" + f.Region, "-Djgroups.s3.bucket_name=" + f.Bucket}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
