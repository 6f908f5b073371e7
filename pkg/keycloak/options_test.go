package keycloak

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/stack"
)

// rosaKubePing is examples/rosa-kube-ping.yaml with Keycloak version v.
func rosaKubePing(t *testing.T, v string) *stack.Stack {
	return loadExample(t, "rosa-kube-ping.yaml", `"26.4.2"`, `"`+v+`"`)
}

// rosaFacts are the facts of a ROSA target in namespace keycloak.
var rosaFacts = Facts{WriterEndpoint: "w", DBSecretARN: "s", DNSNamespace: "keycloak.svc.cluster.local", KubeNamespace: "keycloak"}

func TestServerOptionsPlatforms(t *testing.T) {
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		p      Platform
		want   map[string]string
		props  []string
	}{
		"ecs 26.4 jdbc-ping": {
			reason: "ECS binds JGroups to the task's ENI",
			st:     kc264, p: PlatformECS,
			want: map[string]string{"cache-stack": "jdbc-ping", "cache-embedded-network-bind-address": "SITE_LOCAL", "cache-config-file": ""},
		},
		"rosa 26.4 jdbc-ping": {
			reason: "a pod binds to its own address without help; owners are options",
			st:     func(t *testing.T) *stack.Stack { return loadExample(t, "aurora-rosa.yaml") },
			p:      PlatformROSA,
			want: map[string]string{"cache-stack": "jdbc-ping", "cache-embedded-network-bind-address": "", "cache-config-file": "",
				"spi-cache-embedded--default--action-tokens-owners": "2"},
		},
		"rosa 26.0 dns-ping": {
			reason: "the headless Service's name in the namespace's cluster domain; owners in the file before 26.4",
			st: func(t *testing.T) *stack.Stack {
				return loadExample(t, "aurora-rosa.yaml", `"26.4.2"`, `"26.0.8"`, "mode: jdbc-ping", "mode: dns-ping")
			},
			p:     PlatformROSA,
			want:  map[string]string{"cache-stack": "kubernetes", "cache-config-file": CacheConfigFile},
			props: []string{"-Djgroups.dns.query=keycloak-discovery.keycloak.svc.cluster.local"},
		},
		"rosa 26.4 kube-ping": {
			reason: "kube-ping's stack lives in the cache configuration, so 26.4 has the file and the owners options",
			st:     func(t *testing.T) *stack.Stack { return rosaKubePing(t, "26.4.2") },
			p:      PlatformROSA,
			want: map[string]string{"cache-stack": KubePingStack, "cache-config-file": CacheConfigFile,
				"spi-cache-embedded--default--action-tokens-owners": "2"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			o, err := ServerOptions(tc.st(t), tc.p, rosaFacts)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for k := range tc.want {
				got[k] = o.Plain[k]
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: options (-want +got):\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.props, o.JavaProperties); diff != "" {
				t.Errorf("%s: Java properties (-want +got):\n%s", tc.reason, diff)
			}
			if (o.CacheConfig != "") != (tc.want["cache-config-file"] != "") {
				t.Errorf("%s: cache configuration %d bytes, cache-config-file %q", tc.reason, len(o.CacheConfig), tc.want["cache-config-file"])
			}
		})
	}
}

func TestKubePingStackInCacheConfig(t *testing.T) {
	o, err := ServerOptions(rosaKubePing(t, "26.0.8"), PlatformROSA, rosaFacts)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<stack name="kcstack-kube-ping" extends="tcp">`,
		`<kubernetes.KUBE_PING namespace="keycloak" labels="app=keycloak" port_range="1"`,
		`<transport lock-timeout="60000" stack="kcstack-kube-ping"/>`,
		`<distributed-cache name="authenticationSessions" owners="2">`,
	} {
		if !strings.Contains(o.CacheConfig, want) {
			t.Errorf("the cache configuration lacks %s:\n%s", want, o.CacheConfig)
		}
	}
}

func TestModesOffTheirPlatform(t *testing.T) {
	cases := map[string]struct {
		mode string
		p    Platform
		want string
	}{
		"kube-ping on ecs": {stack.DiscoveryKubePing, PlatformECS, `discovery mode "kube-ping" cannot run on ECS: use jdbc-ping, dns-ping or s3-ping`},
		"s3-ping on rosa":  {stack.DiscoveryS3Ping, PlatformROSA, `discovery mode "s3-ping" cannot run on ROSA: use jdbc-ping, dns-ping or kube-ping`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := CacheStack(tc.mode, tc.p)
			if err == nil || err.Error() != tc.want {
				t.Errorf("CacheStack(%s) = %v, want %s", tc.mode, err, tc.want)
			}
		})
	}
}

// TestClusterNamePerTarget: each target gets the JGroups cluster name
// <stack>-<target>, through the cache configuration file's transport
// before Keycloak 26.8 and the cache-embedded-cluster-name option from
// 26.8; s3-ping also lists the members under the target's own prefix.
func TestClusterNamePerTarget(t *testing.T) {
	cases := map[string]struct {
		reason       string
		file         string
		edits        []string
		option, attr string
		java         string
	}{
		"26.4 jdbc-ping": {
			reason: "before 26.8 only the transport of a cache configuration file names the cluster",
			file:   "ecs-jdbc-ping.yaml", attr: `cluster="sso-prod-ecs-main"`,
		},
		"26.8 jdbc-ping": {
			reason: "from 26.8 an option names it, and no file is needed",
			file:   "ecs-jdbc-ping.yaml", edits: []string{`"26.4.2"`, `"26.8.0"`}, option: "sso-prod-ecs-main",
		},
		"26.0 s3-ping": {
			reason: "s3-ping keeps each target's members under its own prefix of the shared bucket",
			file:   "ecs-s3-ping.yaml", attr: `cluster="sso-s3-ecs"`, java: "-Djgroups.s3.bucket_prefix=sso-s3-ecs",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			st := loadExample(t, tc.file, tc.edits...)
			f := Placeholders(st)
			f.Target = st.Spec.Targets[0].Name
			o, err := ServerOptions(st, PlatformECS, f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.option, o.Plain["cache-embedded-cluster-name"]); diff != "" {
				t.Errorf("%s: cache-embedded-cluster-name (-want +got):\n%s", tc.reason, diff)
			}
			if tc.attr != "" && !strings.Contains(o.CacheConfig, tc.attr) {
				t.Errorf("%s: the cache configuration has no transport %s:\n%s", tc.reason, tc.attr, o.CacheConfig)
			}
			if tc.attr == "" && o.CacheConfig != "" {
				t.Errorf("%s: a cache configuration file is generated", tc.reason)
			}
			if tc.java != "" && !strings.Contains(strings.Join(o.JavaProperties, " "), tc.java) {
				t.Errorf("%s: Java properties %v, want %s among them", tc.reason, o.JavaProperties, tc.java)
			}
		})
	}
}

// TestClusterNameDiffersByTarget: two targets of one stack never share a
// cluster name.
func TestClusterNameDiffersByTarget(t *testing.T) {
	st := kc264(t)
	a, b := ClusterName(st, "ecs-a"), ClusterName(st, "ecs-b")
	if a == b || a != "sso-prod-ecs-a" {
		t.Errorf("cluster names %q and %q, want sso-prod-ecs-a and a different one", a, b)
	}
	if ClusterName(st, "") != "" {
		t.Errorf("no target, cluster name %q, want Keycloak's default (empty)", ClusterName(st, ""))
	}
}
