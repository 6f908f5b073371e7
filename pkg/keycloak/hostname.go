package keycloak

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/stack"
)

// hostnameV1Feature turns hostname v1 back on in Keycloak 25.
const hostnameV1Feature = "hostname:v1"

// usesHostnameV1 reports whether Keycloak runs hostname v1: always on 24,
// on 25 only when the stack sets v1's deprecated fields (26 has no v1).
func usesHostnameV1(v stack.Version, k stack.Keycloak) bool {
	switch v.Major {
	case 24:
		return true
	case 25:
		return k.HostnameURL != "" || k.HostnameAdminURL != "" || k.HostnamePath != "" ||
			k.HostnamePort != 0 || k.HostnameStrictBackchannel != nil
	}
	return false
}

// addHostname sets the hostname options of the version, and the features
// (features and features-disabled) since hostname v1 on 25 needs one.
func (o Options) addHostname(v stack.Version, k stack.Keycloak) {
	features := k.Features
	if usesHostnameV1(v, k) {
		o.addHostnameV1(k)
		if v.Major == 25 && !slices.Contains(features, hostnameV1Feature) {
			features = append(slices.Clone(features), hostnameV1Feature)
		}
	} else {
		o.addHostnameV2(k)
	}
	if len(features) > 0 {
		o.set("features", strings.Join(features, ","))
	}
	if len(k.FeaturesDisabled) > 0 {
		o.set("features-disabled", strings.Join(k.FeaturesDisabled, ","))
	}
}

// addHostnameV2 sets hostname v2 (Keycloak 25+): full https URLs, so that
// the scheme never depends on headers.
func (o Options) addHostnameV2(k stack.Keycloak) {
	o.set("hostname", httpsURL(k.Hostname))
	if k.AdminHostname != "" {
		o.set("hostname-admin", httpsURL(k.AdminHostname))
	}
	if k.HostnameBackchannelDynamic {
		o.set("hostname-backchannel-dynamic", "true")
	}
}

// addHostnameV1 sets hostname v1 (Keycloak 24, or 25 with hostname:v1):
// hostname-url from hostnameUrl or hostname (with hostnamePort and
// hostnamePath folded in). Back-channel requests follow
// hostnameStrictBackchannel, else hostnameBackchannelDynamic as in v2.
func (o Options) addHostnameV1(k stack.Keycloak) {
	frontend := k.HostnameURL
	if frontend == "" {
		frontend = v1URL(k.Hostname, k.HostnamePort, k.HostnamePath)
	}
	o.set("hostname-url", frontend)
	admin := k.HostnameAdminURL
	if admin == "" && k.AdminHostname != "" {
		admin = httpsURL(k.AdminHostname)
	}
	if admin != "" {
		o.set("hostname-admin-url", admin)
	}
	strict := !k.HostnameBackchannelDynamic
	if k.HostnameStrictBackchannel != nil {
		strict = *k.HostnameStrictBackchannel
	}
	o.set("hostname-strict-backchannel", strconv.FormatBool(strict))
}

// httpsURL returns h as a URL: unchanged when it has a scheme, https://h
// when it is a host name.
func httpsURL(h string) string {
	if strings.Contains(h, "://") {
		return h
	}
	return "https://" + h
}

// v1URL builds hostname-url from a host name or URL, a port (0: none) and
// a path.
func v1URL(host string, port int, path string) string {
	u, err := url.Parse(httpsURL(host))
	if err != nil {
		return httpsURL(host)
	}
	if port != 0 {
		u.Host = u.Hostname() + ":" + strconv.Itoa(port)
	}
	if path != "" {
		u.Path = "/" + strings.TrimPrefix(path, "/")
	}
	return u.String()
}
