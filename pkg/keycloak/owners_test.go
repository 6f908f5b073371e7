package keycloak

import (
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/stack"
)

// jdbcWith loads the 26.4 example (jdbc-ping) with edits, as loadExample.
func jdbcWith(t *testing.T, edits ...string) *stack.Stack {
	return loadExample(t, "ecs-jdbc-ping.yaml", edits...)
}

func TestOwnersOptions(t *testing.T) {
	const (
		auth    = "KC_SPI_CACHE_EMBEDDED__DEFAULT__AUTHENTICATION_SESSIONS_OWNERS"
		tokens  = "KC_SPI_CACHE_EMBEDDED__DEFAULT__ACTION_TOKENS_OWNERS"
		logins  = "KC_SPI_CACHE_EMBEDDED__DEFAULT__LOGIN_FAILURES_OWNERS"
		session = "KC_SPI_CACHE_EMBEDDED__DEFAULT__SESSIONS_OWNERS"
		client  = "KC_SPI_CACHE_EMBEDDED__DEFAULT__CLIENT_SESSIONS_OWNERS"
		offline = "KC_SPI_CACHE_EMBEDDED__DEFAULT__OFFLINE_SESSIONS_OWNERS"
		offcli  = "KC_SPI_CACHE_EMBEDDED__DEFAULT__OFFLINE_CLIENT_SESSIONS_OWNERS"
	)
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		want   map[string]string
	}{
		"26.4 default": {
			reason: "owners for the three caches it still matters for; the persistent session caches get none",
			st:     kc264,
			want:   map[string]string{auth: "2", tokens: "2", logins: "2"},
		},
		"26.4 overrides": {
			reason: "spec.caches.overrides wins for its cache",
			st: func(t *testing.T) *stack.Stack {
				return jdbcWith(t, "    owners: 2 ", "    owners: 2\n    overrides: {actionTokens: 3, loginFailures: 3}\n   ")
			},
			want: map[string]string{auth: "2", tokens: "3", logins: "3"},
		},
		"26.4 volatile sessions": {
			reason: "with persistent-user-sessions disabled owners applies to the session caches too",
			st: func(t *testing.T) *stack.Stack {
				return jdbcWith(t, "    features: [token-exchange]", "    features: [token-exchange]\n    featuresDisabled: [persistent-user-sessions]")
			},
			want: map[string]string{auth: "2", tokens: "2", logins: "2", session: "2", client: "2", offline: "2", offcli: "2"},
		},
		"26.0": {
			reason: "before 26.4 no owners options: the cache configuration file holds them",
			st:     kc260,
			want:   map[string]string{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := env(t, tc.st(t))
			got := map[string]string{}
			for _, n := range []string{auth, tokens, logins, session, client, offline, offcli} {
				if v, ok := e.Vars[n]; ok {
					got[n] = v
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// infinispanXML is the part of a cache configuration the tests read.
type infinispanXML struct {
	XMLName   xml.Name `xml:"infinispan"`
	Container struct {
		Name      string `xml:"name,attr"`
		Transport struct {
			Stack string `xml:"stack,attr"`
		} `xml:"transport"`
		Local []struct {
			Name string `xml:"name,attr"`
		} `xml:"local-cache"`
		Replicated []struct {
			Name string `xml:"name,attr"`
		} `xml:"replicated-cache"`
		Distributed []struct {
			Name   string `xml:"name,attr"`
			Owners int    `xml:"owners,attr"`
		} `xml:"distributed-cache"`
	} `xml:"cache-container"`
}

// cacheSummary is what a parsed cache configuration says.
type cacheSummary struct {
	Namespace, Transport string
	Local, Replicated    []string
	Owners               map[string]int
}

func summarize(t *testing.T, text string) cacheSummary {
	t.Helper()
	var doc infinispanXML
	if err := xml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("the cache configuration is not XML: %v\n%s", err, text)
	}
	s := cacheSummary{Namespace: doc.XMLName.Space, Transport: doc.Container.Transport.Stack, Owners: map[string]int{}}
	for _, c := range doc.Container.Local {
		s.Local = append(s.Local, c.Name)
	}
	for _, c := range doc.Container.Replicated {
		s.Replicated = append(s.Replicated, c.Name)
	}
	for _, c := range doc.Container.Distributed {
		s.Owners[c.Name] = c.Owners
	}
	return s
}

func TestCacheConfig(t *testing.T) {
	local := []string{"realms", "users", "authorization", "keys"}
	all := func(n int) map[string]int {
		return map[string]int{"sessions": n, "clientSessions": n, "offlineSessions": n, "offlineClientSessions": n,
			"authenticationSessions": n, "actionTokens": n, "loginFailures": n}
	}
	persistent := all(2)
	for _, c := range []string{"sessions", "clientSessions", "offlineSessions", "offlineClientSessions"} {
		persistent[c] = 1
	}
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		want   cacheSummary
	}{
		"24": {
			reason: "Infinispan 14 schema; volatile sessions: owners on every distributed cache",
			st:     kc24,
			want: cacheSummary{Namespace: "urn:infinispan:config:14.0", Transport: "kubernetes",
				Local: local, Replicated: []string{"work"}, Owners: all(2)},
		},
		"24 overrides": {
			reason: "overrides apply to user session caches before 26",
			st: func(t *testing.T) *stack.Stack {
				return loadExample(t, "ecs-dns-ping.yaml", `"26.2.5"`, `"24.0.5"`, "    owners: 2\n", "    owners: 1\n    overrides: {sessions: 2, offlineSessions: 2}\n")
			},
			want: cacheSummary{Namespace: "urn:infinispan:config:14.0", Transport: "kubernetes",
				Local: local, Replicated: []string{"work"}, Owners: map[string]int{"sessions": 2, "clientSessions": 1,
					"offlineSessions": 2, "offlineClientSessions": 1, "authenticationSessions": 1, "actionTokens": 1, "loginFailures": 1}},
		},
		"26.0": {
			reason: "Infinispan 15; persistent sessions: session caches forced to one owner",
			st:     kc260,
			want: cacheSummary{Namespace: "urn:infinispan:config:15.0", Transport: "ec2",
				Local: local, Replicated: []string{"work"}, Owners: persistent},
		},
		"26.2": {
			reason: "the crl cache from 26.1",
			st:     kc262,
			want: cacheSummary{Namespace: "urn:infinispan:config:15.0", Transport: "kubernetes",
				Local: append(local, "crl"), Replicated: []string{"work"}, Owners: persistent},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			text, needed := CacheConfig(tc.st(t), "")
			if !needed {
				t.Fatalf("%s: needed = false, want true", tc.reason)
			}
			if diff := cmp.Diff(tc.want, summarize(t, text)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestCacheConfigNotNeeded(t *testing.T) {
	text, needed := CacheConfig(kc264(t), "")
	if needed || text != "" {
		t.Errorf("26.4 sets owners with options: CacheConfig = %q, %v, want \"\", false", text, needed)
	}
}

func TestCacheConfigDelivered(t *testing.T) {
	st := kc260(t)
	e := env(t, st)
	text, _ := CacheConfig(st, "")
	got := pick(e, CacheConfigVar, "KC_CACHE_CONFIG_FILE")
	want := map[string]string{CacheConfigVar: text, "KC_CACHE_CONFIG_FILE": CacheConfigFile}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the file's content and name reach the container (-want +got):\n%s", diff)
	}
}
