package keycloak

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
