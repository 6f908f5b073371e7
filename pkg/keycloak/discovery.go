package keycloak

import (
	"slices"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/stack"
)

// KubePingStack is the JGroups stack kcstack defines in the cache
// configuration for kube-ping: Infinispan's tcp stack with KUBE_PING in
// place of MPING.
const KubePingStack = "kcstack-kube-ping"

// Cache stacks (cache-stack) of the discovery modes.
var cacheStacks = map[string]string{
	stack.DiscoveryJDBCPing: "jdbc-ping",
	stack.DiscoveryDNSPing:  "kubernetes",
	stack.DiscoveryS3Ping:   "ec2",
	stack.DiscoveryKubePing: KubePingStack,
}

// modePlatforms are the platforms each discovery mode runs on: s3-ping
// needs the IAM task role of ECS, kube-ping the Kubernetes API.
var modePlatforms = map[string][]Platform{
	stack.DiscoveryJDBCPing: {PlatformECS, PlatformROSA},
	stack.DiscoveryDNSPing:  {PlatformECS, PlatformROSA},
	stack.DiscoveryS3Ping:   {PlatformECS},
	stack.DiscoveryKubePing: {PlatformROSA},
}

// bindAddress makes JGroups bind to, and advertise, the task's site-local
// (VPC) address: in awsvpc mode that is the task's ENI.
const bindAddress = "SITE_LOCAL"

// CacheStack returns the cache-stack value of a discovery mode on platform
// p, or an error for a mode kcstack cannot generate there (kube-ping on
// ECS, s3-ping on ROSA).
func CacheStack(mode string, p Platform) (string, error) {
	s, ok := cacheStacks[mode]
	if !ok || !slices.Contains(modePlatforms[mode], p) {
		return "", platformError(mode, p)
	}
	return s, nil
}

// addCache sets the distributed cache, its JGroups stack, the Java options
// the discovery mode reads, on ECS the bind address, and the owners:
// options from 26.4, a cache configuration file before (and for kube-ping,
// whose stack the file defines).
func (o *Options) addCache(st *stack.Stack, v stack.Version, p Platform, f Facts) error {
	mode := st.Spec.Discovery.Mode
	cacheStack, err := CacheStack(mode, p)
	if err != nil {
		return err
	}
	o.set("cache", "ispn")
	o.set("cache-stack", cacheStack)
	cluster := ClusterName(st, f.Target)
	o.JavaProperties = discoveryJavaOptions(mode, f, cluster)
	if p == PlatformECS {
		o.addBindAddress(v)
	}
	if ownersOptions(v) {
		o.addOwners(st)
	}
	if cluster != "" && clusterNameOption(v) {
		o.set("cache-embedded-cluster-name", cluster)
	}
	if xml, needed := cacheConfig(st, f.KubeNamespace, cluster); needed {
		o.set("cache-config-file", CacheConfigFile)
		o.CacheConfig = xml
	}
	return nil
}

// addBindAddress binds JGroups to the task's address: options from 26.4,
// system properties before.
func (o *Options) addBindAddress(v stack.Version) {
	if v.AtLeast(26, 4) {
		o.set("cache-embedded-network-bind-address", bindAddress)
		o.set("cache-embedded-network-bind-port", strconv.Itoa(int(JGroupsPort)))
		return
	}
	o.JavaProperties = append(o.JavaProperties, "-Djgroups.bind.address="+bindAddress, "-Djgroups.bind.port="+strconv.Itoa(int(JGroupsPort)))
}

// ClusterName returns the JGroups (Infinispan transport) cluster name of
// target in st: <stack>-<target>, so that the targets of one stack, which
// share one database (JDBC_PING's table JGROUPS_PING is keyed by cluster
// name) and one S3_PING bucket, never discover each other's nodes. It is
// "" for an empty target (Keycloak's default, ISPN).
func ClusterName(st *stack.Stack, target string) string {
	if target == "" {
		return ""
	}
	return st.Metadata.Name + "-" + target
}

// clusterNameOption reports whether version v sets the cluster name with
// the cache-embedded-cluster-name option (26.8+); before, only the
// transport of a cache configuration file can.
func clusterNameOption(v stack.Version) bool { return v.AtLeast(26, 8) }

// discoveryJavaOptions returns the system properties the mode's JGroups
// stack reads: the DNS name to query (dns-ping), the bucket, its region
// and the target's own prefix in it (s3-ping; S3_PING lists the members
// under bucket_prefix).
func discoveryJavaOptions(mode string, f Facts, cluster string) []string {
	switch mode {
	case stack.DiscoveryDNSPing:
		return []string{"-Djgroups.dns.query=" + f.DNSService + "." + f.DNSNamespace}
	case stack.DiscoveryS3Ping:
		opts := []string{"-Djgroups.s3.region_name=" + f.Region, "-Djgroups.s3.bucket_name=" + f.Bucket}
		if cluster != "" {
			opts = append(opts, "-Djgroups.s3.bucket_prefix="+cluster)
		}
		return opts
	}
	return nil
}

// kubePingLabels returns the labels of kube-ping as KUBE_PING reads them:
// key=value pairs, sorted, separated by commas.
func kubePingLabels(p *stack.KubePing) string {
	var pairs []string
	for k, v := range p.Labels {
		pairs = append(pairs, k+"="+v)
	}
	slices.Sort(pairs)
	return strings.Join(pairs, ",")
}

func itoa(n int) string { return strconv.Itoa(n) }
