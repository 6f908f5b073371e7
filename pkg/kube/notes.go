package kube

import (
	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/stack"
)

// Notes returns what a reader of the manifests of ROSA target t must know
// and cannot see in them: where the Secrets' values come from, how TLS
// ends, which image runs, how discovery and owners reach Keycloak.
func Notes(st *stack.Stack, t stack.Target) []string {
	k := st.Spec.Keycloak
	notes := []string{
		"the Secrets hold no value: kcstack apply copies each key from the Secrets Manager secret its " +
			AnnotationSources + " annotation names (the database credentials from the RDS-managed secret of the Aurora cluster); " +
			"to apply these manifests with other tools, fill them from the same sources.",
		"the OpenShift router terminates TLS on the edge route made from the operator's Ingress and forwards plain HTTP " +
			"to port 8080; Keycloak trusts its " + k.ProxyHeaders + " proxy headers.",
	}
	if k.Image == stack.DefaultImageRepository+":"+k.Version {
		notes = append(notes, "spec.image is not set: the Keycloak Operator runs its own version's image, so install the operator of Keycloak "+
			k.Version+", the version kcstack's options follow.")
	}
	switch st.Spec.Discovery.Mode {
	case stack.DiscoveryDNSPing:
		notes = append(notes, "dns-ping: no Keycloak option sets jgroups.dns.query, so the custom resource passes it in JAVA_OPTS_APPEND "+
			"through spec.unsupported.podTemplate.")
	case stack.DiscoveryKubePing:
		notes = append(notes, "kube-ping: the image needs the jgroups-kubernetes jar in /opt/keycloak/providers; the pods run as ServiceAccount "+
			KubePingName+", which may get, list and watch pods in namespace "+t.ROSA.Namespace+" and nothing else.")
	}
	return append(notes, ownersNote(st))
}

// ownersNote says where the owners go for the stack's version.
func ownersNote(st *stack.Stack) string {
	if xml, _ := keycloak.CacheConfig(st, ""); xml == "" {
		return "owners are the spi-cache-embedded--default--<cache>-owners options in additionalOptions (no cache configuration file)."
	}
	return "the cache configuration, owners included, is the ConfigMap " + CacheConfigName + ", which the custom resource's spec.cache names."
}
