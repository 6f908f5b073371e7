package stack

import (
	"fmt"
	"strings"
)

const discoveryPath = "spec.discovery"

// discoveryBlocks names each mode's settings block.
var discoveryBlocks = map[string]string{
	DiscoveryDNSPing: "dnsPing", DiscoveryS3Ping: "s3Ping", DiscoveryKubePing: "kubePing",
}

func checkDiscovery(s *Stack) Diagnostics {
	d := s.Spec.Discovery
	ds := checkDiscoveryBlocks(d)
	v := s.KeycloakVersion()
	switch d.Mode {
	case DiscoveryJDBCPing:
		if v.Major != 0 && !v.AtLeast(26, 1) {
			ds = append(ds, errorf(discoveryPath+".mode", "use dns-ping, or Keycloak 26.1 or later",
				"jdbc-ping is built into Keycloak only from 26.1, not %s", v))
		}
	case DiscoveryDNSPing:
		ds = append(ds, checkDNSPing(s)...)
	case DiscoveryS3Ping:
		if v.AtLeast(26, 1) {
			ds = append(ds, warnf(discoveryPath+".mode", "use jdbc-ping, which needs nothing but the database",
				"s3-ping (the ec2 stack) is deprecated from Keycloak 26.1"))
		}
	case DiscoveryKubePing:
		ds = append(ds, checkKubePing(s)...)
	}
	return ds
}

// checkDiscoveryBlocks refuses settings for a mode other than the chosen one.
func checkDiscoveryBlocks(d Discovery) Diagnostics {
	set := map[string]bool{
		DiscoveryDNSPing: d.DNSPing != nil, DiscoveryS3Ping: d.S3Ping != nil, DiscoveryKubePing: d.KubePing != nil,
	}
	var ds Diagnostics
	for _, mode := range []string{DiscoveryDNSPing, DiscoveryS3Ping, DiscoveryKubePing} {
		if set[mode] && mode != d.Mode {
			block := discoveryBlocks[mode]
			ds = append(ds, errorf(discoveryPath+"."+block, fmt.Sprintf("remove %s, or set mode: %s", block, mode),
				"%s settings are given but the discovery mode is %s", block, d.Mode))
		}
	}
	return ds
}

func checkDNSPing(s *Stack) Diagnostics {
	var ds Diagnostics
	if s.KeycloakVersion().AtLeast(26, 4) {
		ds = append(ds, warnf(discoveryPath+".mode", "use jdbc-ping, which needs nothing but the database",
			"dns-ping (the kubernetes stack) is deprecated from Keycloak 26.4"))
	}
	p := s.Spec.Discovery.DNSPing
	if p == nil {
		return ds
	}
	path := discoveryPath + ".dnsPing"
	if s.HasECS() && (len(p.Namespace) > 253 || !dnsName.MatchString(p.Namespace) || !strings.Contains(p.Namespace, ".")) {
		ds = append(ds, errorf(path+".namespace", "use a private DNS name such as sso-prod.kcstack.internal",
			"%q is not a valid Cloud Map namespace name", p.Namespace))
	}
	if !s.HasECS() {
		return ds // the Cloud Map settings mean nothing without ECS: checkPlatformFields refuses them
	}
	if p.TTL < 1 {
		ds = append(ds, errorf(path+".ttl", "", "must be at least 1, not %d", p.TTL))
	}
	if p.TTL > 60 {
		ds = append(ds, warnf(path+".ttl", "use 10 seconds or less",
			"a TTL of %d s makes new nodes wait that long to be seen", p.TTL))
	}
	return ds
}

func checkKubePing(s *Stack) Diagnostics {
	return refuseModeOn(s, TargetECS, "kube-ping needs the Kubernetes API")
}

// refuseModeOn refuses the discovery mode for every target of kind
// (TargetECS, TargetROSA), saying why it cannot work there.
func refuseModeOn(s *Stack, kind, why string) Diagnostics {
	var ds Diagnostics
	for i, t := range s.Spec.Targets {
		if t.KindName() == kind {
			ds = append(ds, errorf(discoveryPath+".mode", "use jdbc-ping, which works on every target",
				"%s and cannot work on %s target %q (spec.targets[%d])", why, strings.ToUpper(kind), t.Name, i))
		}
	}
	return ds
}

// sessionCaches are the caches Keycloak 26+ forces to one owner.
var sessionCaches = map[string]bool{
	"sessions": true, "clientSessions": true, "offlineSessions": true, "offlineClientSessions": true,
}

// persistentCaches are the caches Keycloak 26+ keeps with one owner in
// memory (the database holds user sessions); replicatedCaches are those
// owners still protects.
var (
	persistentCaches = "sessions, clientSessions, offlineSessions and offlineClientSessions"
	replicatedCaches = "authenticationSessions, actionTokens and loginFailures"
)

// ownersScope says which caches owners affects in the stack's version.
func ownersScope(v Version) string {
	if v.Major >= 26 {
		return fmt.Sprintf("with persistent user sessions (Keycloak 26+), owners applies to %s; %s are kept in the database",
			replicatedCaches, persistentCaches)
	}
	return "before Keycloak 26 owners applies to every distributed cache, user sessions included"
}

func checkOwners(s *Stack) Diagnostics {
	const path = "spec.caches.owners"
	owners, nodes, v := s.Spec.Caches.Owners, s.MinNodes(), s.KeycloakVersion()
	switch {
	case owners < 1:
		return Diagnostics{errorf(path, "use 2", "must be at least 1, not %d", owners)}
	case nodes > 0 && owners > nodes:
		return Diagnostics{errorf(path, fmt.Sprintf("lower owners to %d or run more nodes; %s", nodes, ownersScope(v)),
			"%d owners exceed the %d node(s) of the smallest target", owners, nodes)}
	case owners == 1 && nodes > 1:
		lost := "in-flight logins, action tokens and brute-force counters"
		if v.Major < 26 {
			lost = "user sessions, in-flight logins and action tokens"
		}
		return Diagnostics{warnf(path, "use 2 owners; "+ownersScope(v),
			"with one owner, every node that stops loses its share of %s", lost)}
	}
	return nil
}

// override is one per-cache owners setting.
type override struct {
	name   string
	owners *int
}

func overrides(o CacheOverrides) []override {
	return []override{
		{"sessions", o.Sessions}, {"clientSessions", o.ClientSessions},
		{"offlineSessions", o.OfflineSessions}, {"offlineClientSessions", o.OfflineClientSessions},
		{"authenticationSessions", o.AuthenticationSessions}, {"actionTokens", o.ActionTokens},
		{"loginFailures", o.LoginFailures},
	}
}

func checkOverrides(s *Stack) Diagnostics {
	nodes, v := s.MinNodes(), s.KeycloakVersion()
	var ds Diagnostics
	for _, o := range overrides(s.Spec.Caches.Overrides) {
		if o.owners == nil {
			continue
		}
		ds = append(ds, checkOverride("spec.caches.overrides."+o.name, o.name, *o.owners, nodes, v)...)
	}
	return ds
}

func checkOverride(path, name string, owners, nodes int, v Version) Diagnostics {
	switch {
	case owners < 1:
		return Diagnostics{errorf(path, "use 2", "must be at least 1, not %d", owners)}
	case nodes > 0 && owners > nodes:
		return Diagnostics{errorf(path, fmt.Sprintf("lower it to %d or run more nodes", nodes),
			"%d owners exceed the %d node(s) of the smallest target", owners, nodes)}
	case v.Major >= 26 && sessionCaches[name]:
		return Diagnostics{warnf(path, "remove it",
			"Keycloak 26+ keeps %s with one owner in memory (user sessions persist in the database); this setting has no effect", name)}
	case v.Major >= 26 && owners < 2:
		return Diagnostics{warnf(path, "use 2 or more",
			"Keycloak 26+ keeps at least 2 owners for %s", name)}
	}
	return nil
}
