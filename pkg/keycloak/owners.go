package keycloak

import (
	"slices"
	"strings"
	"unicode"

	"github.com/kcstack/kcstack/pkg/stack"
)

// persistentSessionsFeature is the feature that keeps user sessions in the
// database (on by default from Keycloak 26).
const persistentSessionsFeature = "persistent-user-sessions"

// CacheOwners is the number of owners of one of Keycloak's distributed
// caches.
type CacheOwners struct {
	// Cache is Keycloak's cache name, such as authenticationSessions.
	Cache string
	// Owners is the number of copies of each entry in the cluster.
	Owners int
	// Persistent is set for the user session caches when sessions persist
	// in the database: Keycloak keeps one owner in memory and Owners is 1.
	Persistent bool
}

// Option returns the owners option of the cache on Keycloak 26.4+, such as
// spi-cache-embedded--default--authentication-sessions-owners.
func (c CacheOwners) Option() string {
	return "spi-cache-embedded--default--" + kebab(c.Cache) + "-owners"
}

// Owners returns the owners of every distributed cache for st, in a fixed
// order: spec.caches.owners unless spec.caches.overrides names the cache.
// With persistent user sessions (Keycloak 26+ unless the feature is
// disabled) the four user session caches are 1 and Persistent.
func Owners(st *stack.Stack) []CacheOwners {
	c := st.Spec.Caches
	o := c.Overrides
	persistent := persistentSessions(st)
	list := []struct {
		cache    string
		override *int
		session  bool
	}{
		{"sessions", o.Sessions, true},
		{"clientSessions", o.ClientSessions, true},
		{"offlineSessions", o.OfflineSessions, true},
		{"offlineClientSessions", o.OfflineClientSessions, true},
		{"authenticationSessions", o.AuthenticationSessions, false},
		{"actionTokens", o.ActionTokens, false},
		{"loginFailures", o.LoginFailures, false},
	}
	out := make([]CacheOwners, 0, len(list))
	for _, l := range list {
		owners := c.Owners
		if l.override != nil {
			owners = *l.override
		}
		if l.session && persistent {
			out = append(out, CacheOwners{Cache: l.cache, Owners: 1, Persistent: true})
			continue
		}
		out = append(out, CacheOwners{Cache: l.cache, Owners: owners})
	}
	return out
}

// persistentSessions reports whether user sessions persist in the database:
// the default from Keycloak 26 unless the feature is disabled.
func persistentSessions(st *stack.Stack) bool {
	k := st.Spec.Keycloak
	return st.KeycloakVersion().AtLeast(26, 0) && !slices.Contains(k.FeaturesDisabled, persistentSessionsFeature)
}

// ownersOptions reports whether the version sets owners with options
// (26.4+) rather than a cache configuration file.
func ownersOptions(v stack.Version) bool { return v.AtLeast(26, 4) }

// addOwners sets the owners options (Keycloak 26.4+) of the caches owners
// still matters for; the persistent session caches keep one owner whatever
// is set, so they get no option.
func (o Options) addOwners(st *stack.Stack) {
	for _, c := range Owners(st) {
		if !c.Persistent {
			o.set(c.Option(), itoa(c.Owners))
		}
	}
}

// kebab turns a camelCase cache name into an option word:
// authenticationSessions → authentication-sessions.
func kebab(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('-')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
