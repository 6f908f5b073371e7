package stack

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Validate applies the semantic rules to a stack whose defaults are set
// and returns what it finds, with field paths but without positions (Load
// adds those). The schema's structural checks are not repeated here, except
// where a rule must also hold for stacks built in Go (counts of at least 1).
func Validate(s *Stack) Diagnostics {
	var ds Diagnostics
	for _, rule := range rules {
		ds = append(ds, rule(s)...)
	}
	return ds
}

// rules are the semantic checks, in the order of the file's sections.
var rules = []func(*Stack) Diagnostics{
	checkTags,
	checkKeycloakVersion,
	checkHostnames,
	checkRemovedOptions,
	checkPool,
	checkExtraOptions,
	checkImage,
	checkAurora,
	checkAuroraNetwork,
	checkTargets,
	checkPeers,
	checkOverlaps,
	checkDiscovery,
	checkPlatformFields,
	checkOwners,
	checkOverrides,
	checkDerivedNames,
	checkPeerings,
	checkOptionsSize,
	checkTaskAddresses,
	checkBucket,
	checkRedis,
}

func checkTags(s *Stack) Diagnostics {
	var ds Diagnostics
	if _, ok := s.Spec.Tags["Name"]; ok {
		ds = append(ds, errorf(`spec.tags.Name`, "remove it, and use another key (such as project) for what it meant",
			"the Name tag is kcstack's: it names most resources itself (<stack>-<target>, <stack>-aurora, ...) and would keep "+
				"this value only on the few it does not name, so one tag would mean two things"))
	}
	for _, k := range sortedKeys(s.Spec.Tags) {
		for _, prefix := range []string{"aws:", "kcstack:"} {
			if strings.HasPrefix(strings.ToLower(k), prefix) {
				ds = append(ds, errorf(field("spec.tags", k), "choose another key",
					"tag keys starting with %q are reserved", prefix))
			}
		}
	}
	return ds
}

func checkKeycloakVersion(s *Stack) Diagnostics {
	const path = "spec.keycloak.version"
	v, err := ParseVersion(s.Spec.Keycloak.Version)
	if err != nil {
		return Diagnostics{errorf(path, `write it as a quoted MAJOR.MINOR.PATCH such as "26.4.2"`, "%v", err)}
	}
	if v.Major < MinKeycloakMajor || v.Major > MaxKeycloakMajor {
		return Diagnostics{errorf(path, fmt.Sprintf("choose a version from %d.0.0 to %d.x", MinKeycloakMajor, MaxKeycloakMajor),
			"Keycloak %s is not supported", v)}
	}
	return nil
}

// dnsName matches a host name: dot-separated labels.
var dnsName = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$`)

func checkHostnames(s *Stack) Diagnostics {
	k := s.Spec.Keycloak
	var ds Diagnostics
	if d, bad := checkHostname("spec.keycloak.hostname", k.Hostname); bad {
		ds = append(ds, d)
	}
	if d, bad := checkHostname("spec.keycloak.adminHostname", k.AdminHostname); bad && k.AdminHostname != "" {
		ds = append(ds, d)
	}
	return ds
}

// checkHostname accepts a host name or an http(s) URL, as hostname v2 does.
func checkHostname(path, h string) (Diagnostic, bool) {
	if strings.Contains(h, "://") {
		u, err := url.Parse(h)
		if err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			return Diagnostic{}, false
		}
		return errorf(path, "write a host name such as auth.example.com or a URL such as https://auth.example.com/auth",
			"%q is not an http(s) URL", h), true
	}
	if len(h) > 253 || !dnsName.MatchString(h) {
		return errorf(path, "write a host name such as auth.example.com, or a full URL such as https://auth.example.com/keycloak",
			"%q is not a host name", h), true
	}
	return Diagnostic{}, false
}

// removedOption is a Keycloak option some versions no longer have.
type removedOption struct {
	field, option string
	set           func(Keycloak) bool
	deprecated    Version // from this version the option warns
	removed       Version // from this version the option is an error
	replacement   string
}

var removedOptions = []removedOption{
	{"proxy", "proxy", func(k Keycloak) bool { return k.Proxy != "" }, Version{24, 0, 0}, Version{26, 0, 0},
		"use spec.keycloak.proxyHeaders (xforwarded behind an ALB or an OpenShift route)"},
	{"hostnameUrl", "hostname-url", func(k Keycloak) bool { return k.HostnameURL != "" }, Version{25, 0, 0}, Version{26, 0, 0},
		"use spec.keycloak.hostname with a full URL (hostname v2)"},
	{"hostnameAdminUrl", "hostname-admin-url", func(k Keycloak) bool { return k.HostnameAdminURL != "" }, Version{25, 0, 0}, Version{26, 0, 0},
		"use spec.keycloak.adminHostname (hostname v2)"},
	{"hostnamePath", "hostname-path", func(k Keycloak) bool { return k.HostnamePath != "" }, Version{25, 0, 0}, Version{26, 0, 0},
		"use spec.keycloak.hostname with a full URL including the path (hostname v2)"},
	{"hostnamePort", "hostname-port", func(k Keycloak) bool { return k.HostnamePort != 0 }, Version{25, 0, 0}, Version{26, 0, 0},
		"use spec.keycloak.hostname with a full URL including the port (hostname v2)"},
	{"hostnameStrictBackchannel", "hostname-strict-backchannel", func(k Keycloak) bool { return k.HostnameStrictBackchannel != nil },
		Version{25, 0, 0}, Version{26, 0, 0}, "use spec.keycloak.hostnameBackchannelDynamic (hostname v2)"},
}

func checkRemovedOptions(s *Stack) Diagnostics {
	v := s.KeycloakVersion()
	var ds Diagnostics
	for _, o := range removedOptions {
		if !o.set(s.Spec.Keycloak) || v.Compare(o.deprecated) < 0 {
			continue
		}
		path := "spec.keycloak." + o.field
		if v.Compare(o.removed) >= 0 {
			ds = append(ds, errorf(path, o.replacement, "the %s option was removed in Keycloak %d", o.option, o.removed.Major))
			continue
		}
		ds = append(ds, warnf(path, o.replacement, "the %s option is deprecated in Keycloak %s and removed in %d", o.option, v, o.removed.Major))
	}
	return ds
}

func checkPool(s *Stack) Diagnostics {
	db := s.Spec.Keycloak.DB
	const path = "spec.keycloak.db"
	hint := "set poolSize alone, or poolInitialSize, poolMinSize and poolMaxSize to one value: Keycloak's HA guide wants initial = min = max"
	if db.PoolSize < 0 {
		// The three sizes are copies of it: one mistake, reported once.
		return Diagnostics{errorf(field(path, "poolSize"), "", "must be at least 1, not %d", db.PoolSize)}
	}
	sizes := map[string]int{"poolInitialSize": db.PoolInitialSize, "poolMinSize": db.PoolMinSize, "poolMaxSize": db.PoolMaxSize}
	var ds Diagnostics
	for _, name := range []string{"poolInitialSize", "poolMinSize", "poolMaxSize"} {
		if sizes[name] < 1 {
			ds = append(ds, errorf(field(path, name), "", "must be at least 1, not %d", sizes[name]))
		}
	}
	want, from := db.PoolMaxSize, "poolMaxSize"
	if db.PoolSize != 0 {
		want, from = db.PoolSize, "poolSize"
	}
	for _, name := range []string{"poolInitialSize", "poolMinSize", "poolMaxSize"} {
		if sizes[name] != want && sizes[name] >= 1 && name != from {
			ds = append(ds, errorf(field(path, name), hint, "%s is %d but %s is %d", name, sizes[name], from, want))
		}
	}
	return ds
}

// managedOptions are the Keycloak options kcstack sets itself, with the
// field that controls each (or what to do instead).
var managedOptions = map[string]string{
	"db":                           "spec.database.aurora",
	"db-url":                       "spec.database.aurora",
	"db-url-host":                  "spec.database.aurora",
	"db-url-database":              "spec.database.aurora.databaseName",
	"db-url-port":                  "spec.database.aurora.port",
	"db-url-properties":            "spec.database.aurora",
	"db-username":                  "spec.database.aurora.masterUsername",
	"db-password":                  "spec.database.aurora",
	"db-pool-initial-size":         "spec.keycloak.db.poolSize",
	"db-pool-min-size":             "spec.keycloak.db.poolSize",
	"db-pool-max-size":             "spec.keycloak.db.poolSize",
	"hostname":                     "spec.keycloak.hostname",
	"hostname-admin":               "spec.keycloak.adminHostname",
	"hostname-backchannel-dynamic": "spec.keycloak.hostnameBackchannelDynamic",
	"proxy-headers":                "spec.keycloak.proxyHeaders",
	"features":                     "spec.keycloak.features",
	"features-disabled":            "spec.keycloak.featuresDisabled",
	"cache":                        "spec.discovery",
	"cache-stack":                  "spec.discovery",
	"cache-config-file":            "spec.caches",
	"health-enabled":               "remove it: kcstack always enables the health endpoints its checks use",
	"metrics-enabled":              "remove it: kcstack always enables metrics",
	"bootstrap-admin-username":     "spec.keycloak.bootstrapAdmin",
	"bootstrap-admin-password":     "spec.keycloak.bootstrapAdmin",
}

// removedOptionNames maps options removed in Keycloak 26 to their replacement.
var removedOptionNames = map[string]string{
	"proxy": "proxy-headers (spec.keycloak.proxyHeaders)", "hostname-url": "hostname with a full URL",
	"hostname-admin-url": "hostname-admin (spec.keycloak.adminHostname)", "hostname-path": "hostname with a full URL",
	"hostname-port": "hostname with a full URL", "hostname-strict-backchannel": "hostname-backchannel-dynamic",
	"hostname-strict-https": "hostname with an https URL",
}

func checkExtraOptions(s *Stack) Diagnostics {
	v := s.KeycloakVersion()
	var ds Diagnostics
	for _, name := range sortedKeys(s.Spec.Keycloak.ExtraOptions) {
		path := field("spec.keycloak.extraOptions", name)
		if repl, ok := removedOptionNames[name]; ok && v.Major >= 26 {
			ds = append(ds, errorf(path, "use "+repl, "the %s option was removed in Keycloak 26", name))
			continue
		}
		if owner, ok := managedOptions[name]; ok {
			hint := owner
			if strings.HasPrefix(owner, "spec.") {
				hint = "set it through " + owner
			}
			ds = append(ds, errorf(path, hint, "kcstack sets the %s option itself", name))
			continue
		}
		if strings.HasPrefix(name, "spi-cache-embedded-") && strings.HasSuffix(name, "-owners") {
			ds = append(ds, errorf(path, "set spec.caches.owners or spec.caches.overrides", "kcstack sets cache owners itself"))
		}
	}
	return ds
}

func checkImage(s *Stack) Diagnostics {
	k := s.Spec.Keycloak
	var ds Diagnostics
	if tag, ok := strings.CutPrefix(k.Image, DefaultImageRepository+":"); ok && tag != k.Version {
		ds = append(ds, warnf("spec.keycloak.image", "use "+DefaultImageRepository+":"+k.Version+", or remove image to get it",
			"the image runs Keycloak %s but spec.keycloak.version is %s, which kcstack's options and checks follow", tag, k.Version))
	}
	return append(ds, checkDiscoveryJars(k.Image, s.Spec.Discovery.Mode)...)
}

// checkDiscoveryJars warns that the stock image lacks what s3-ping and
// kube-ping need.
func checkDiscoveryJars(image, mode string) Diagnostics {
	jar := map[string]string{DiscoveryS3Ping: "jgroups-aws and the AWS SDK", DiscoveryKubePing: "jgroups-kubernetes"}[mode]
	if jar == "" || !strings.HasPrefix(image, DefaultImageRepository+":") {
		return nil
	}
	return Diagnostics{warnf("spec.keycloak.image", "build an image with "+jar+" in /opt/keycloak/providers and set spec.keycloak.image",
		"the stock image %s lacks the %s jars %s needs", image, jar, mode)}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
