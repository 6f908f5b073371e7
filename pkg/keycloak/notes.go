package keycloak

import (
	"fmt"
	"strings"

	"github.com/kcstack/kcstack/pkg/stack"
)

// Notes returns what a reader of the generated configuration of st must
// know and cannot see in it: jars the image needs, options kcstack drops,
// how owners reach Keycloak. Each note is one sentence or two.
func Notes(st *stack.Stack) []string {
	v := st.KeycloakVersion()
	var notes []string
	if st.Spec.Discovery.Mode == stack.DiscoveryS3Ping {
		notes = append(notes, s3PingNote(st.Spec.Keycloak.Image))
	}
	if _, ok := st.Spec.Keycloak.ExtraOptions["proxy"]; ok || st.Spec.Keycloak.Proxy != "" {
		notes = append(notes, "the proxy option is never set: KC_PROXY_HEADERS="+st.Spec.Keycloak.ProxyHeaders+
			" replaces it (proxy was removed in Keycloak 26).")
	}
	notes = append(notes, ownersNote(st, v))
	if path, ok := st.Spec.Keycloak.ExtraOptions["http-relative-path"]; ok && !v.AtLeast(25, 0) {
		notes = append(notes, "Keycloak 24 serves health on the HTTP port under http-relative-path: /health/ready moves to "+
			path+"/health/ready, where neither the load balancer nor the container checks; remove http-relative-path "+
			"or upgrade to 25+, whose management port ignores it.")
	}
	if v.Major == 24 {
		notes = append(notes, "Keycloak 24's cache options are build options: the container runs `start` (never "+
			"--optimized), which rebuilds with them at every start.")
	}
	return notes
}

// s3PingNote says what the image needs for S3_PING.
func s3PingNote(image string) string {
	const need = "s3-ping (KC_CACHE_STACK=ec2) needs the jgroups-aws jar and the AWS SDK for Java in /opt/keycloak/providers"
	if strings.HasPrefix(image, stack.DefaultImageRepository+":") {
		return need + ": the stock image " + image + " lacks them; set spec.keycloak.image to an image built with them."
	}
	return need + ": make sure the image " + image + " contains them, in versions that match its Keycloak."
}

// ownersNote says where the owners go for the version.
func ownersNote(st *stack.Stack, v stack.Version) string {
	where := fmt.Sprintf("in the cache configuration %s, written to /opt/keycloak/conf by the container's entry point "+
		"from %s (render it with --kind cache-config)", CacheConfigFile, CacheConfigVar)
	if ownersOptions(v) {
		where = "with the KC_SPI_CACHE_EMBEDDED__DEFAULT__<CACHE>_OWNERS options (no cache configuration file is needed)"
	}
	if persistentSessions(st) {
		return "owners are set " + where + ". User sessions persist in the database: Keycloak keeps one owner for " +
			"sessions, clientSessions, offlineSessions and offlineClientSessions, and owners protects " +
			"authenticationSessions, actionTokens and loginFailures."
	}
	return "owners are set " + where + ". User sessions live only in memory: owners applies to every distributed cache."
}
