package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// renderStack is a stack for the golden tests: an example with its
// Keycloak version replaced (and the further old, new pairs of more),
// fed through standard input.
type renderStack struct {
	example, from, to string
	more              []string
}

func (s renderStack) text(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../examples/" + s.example)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(s.from)) {
		t.Fatalf("%s lacks %s", s.example, s.from)
	}
	text := strings.Replace(string(data), s.from, s.to, 1)
	for i := 0; i+1 < len(s.more); i += 2 {
		if !strings.Contains(text, s.more[i]) {
			t.Fatalf("%s lacks %s", s.example, s.more[i])
		}
		text = strings.Replace(text, s.more[i], s.more[i+1], 1)
	}
	return text
}

// renderStacks are the versions whose configuration differs, each with a
// discovery mode the version allows: 24 and 25 (dns-ping: jdbc-ping is built
// in only from 26.1), 26.0 (s3-ping) and 26.4 (jdbc-ping).
var renderStacks = map[string]renderStack{
	"24-dns-ping":    {"ecs-dns-ping.yaml", `"26.2.5"`, `"24.0.5"`, nil},
	"25-dns-ping":    {"ecs-dns-ping.yaml", `"26.2.5"`, `"25.0.6"`, nil},
	"26.0-s3-ping":   {"ecs-s3-ping.yaml", `"26.0.8"`, `"26.0.8"`, nil},
	"26.4-jdbc-ping": {"ecs-jdbc-ping.yaml", `"26.4.2"`, `"26.4.2"`, nil},
}

// runWithInput executes kcstack with args and stdin.
func runWithInput(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestRenderGolden pins what kcstack render prints for Keycloak 24, 25, 26.0
// and 26.4: health on 8080 vs 9000, hostname v1 vs v2, never KC_PROXY, a
// cache configuration before 26.4 vs owners options from 26.4, and the
// cache stack of each discovery mode. Run with -update to rewrite them.
func TestRenderGolden(t *testing.T) {
	for name, s := range renderStacks {
		for _, kind := range ecsRenderKinds {
			t.Run(name+"/"+kind, func(t *testing.T) {
				code, stdout, stderr := runWithInput(t, s.text(t), "render", "-f", "-", "--kind", kind)
				if code != 0 {
					t.Fatalf("exit %d\n%s", code, stderr)
				}
				got := "# kcstack render -f - --kind " + kind + " < examples/" + s.example + " with version " + s.to +
					"\n-- stdout --\n" + stdout + "-- stderr --\n" + stderr
				compareGolden(t, filepath.Join("testdata", "render", name+"."+kind+".golden"), got)
			})
		}
	}
}

// rosaStacks are the ROSA stacks of the manifests goldens: Keycloak 26.0
// (26.1 for jdbc-ping, built in only from 26.1: cache configuration in a
// ConfigMap) and 26.4 (owners options), for each discovery mode of ROSA,
// and 26.4 with a bootstrap admin and a secret extra option.
var rosaStacks = map[string]renderStack{
	"26.1-jdbc-ping": {"aurora-rosa.yaml", `"26.4.2"`, `"26.1.5"`, nil},
	"26.4-jdbc-ping": {"aurora-rosa.yaml", `"26.4.2"`, `"26.4.2"`, nil},
	"26.0-dns-ping":  {"aurora-rosa.yaml", `"26.4.2"`, `"26.0.8"`, []string{"mode: jdbc-ping", "mode: dns-ping"}},
	"26.4-dns-ping":  {"aurora-rosa.yaml", `"26.4.2"`, `"26.4.2"`, []string{"mode: jdbc-ping", "mode: dns-ping"}},
	"26.0-kube-ping": {"rosa-kube-ping.yaml", `"26.4.2"`, `"26.0.8"`, []string{"keycloak-kubeping:26.4.2", "keycloak-kubeping:26.0.8"}},
	"26.4-kube-ping": {"rosa-kube-ping.yaml", `"26.4.2"`, `"26.4.2"`, nil},
	"26.4-secrets": {"aurora-rosa.yaml", `"26.4.2"`, `"26.4.2"`, []string{"    hostname: auth.example.com\n",
		"    hostname: auth.example.com\n    adminHostname: admin.example.com\n    features: [token-exchange]\n" +
			"    bootstrapAdmin: {passwordSecretArn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:sso/admin-AbCdEf}\n" +
			"    extraOptions:\n      log-level: INFO\n      spi-email-smtp-auth-key: arn:aws:secretsmanager:eu-west-1:123456789012:secret:sso/smtp-AbCdEf\n"}},
}

// TestRenderManifestsGolden pins the in-cluster objects of a ROSA target
// for Keycloak 26.0 and 26.4 and each discovery mode: the Keycloak custom
// resource, the Secrets (sources, never values), the headless Service of
// dns-ping, the ServiceAccount, Role and RoleBinding of kube-ping, and the
// cache configuration before 26.4. Run with -update to rewrite them.
func TestRenderManifestsGolden(t *testing.T) {
	for name, s := range rosaStacks {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runWithInput(t, s.text(t), "render", "-f", "-", "--kind", "manifests")
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if strings.Contains(stdout, "data:\n  password") || strings.Contains(stdout, "stringData:\n  password") {
				t.Errorf("a Secret holds a password:\n%s", stdout)
			}
			got := "# kcstack render -f - --kind manifests < examples/" + s.example + " with version " + s.to +
				"\n-- stdout --\n" + stdout + "-- stderr --\n" + stderr
			compareGolden(t, filepath.Join("testdata", "render", "rosa-"+name+".manifests.golden"), got)
		})
	}
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

func TestRenderErrors(t *testing.T) {
	jdbc := renderStacks["26.4-jdbc-ping"]
	cases := map[string]struct {
		reason string
		stdin  func(*testing.T) string
		args   []string
		want   string
	}{
		"unknown kind": {
			reason: "the kinds are named",
			stdin:  jdbc.text,
			args:   []string{"--kind", "yaml"},
			want:   `Error: unknown --kind "yaml": use task-definition, env, cache-config, manifests` + "\n",
		},
		"unknown target": {
			reason: "the ECS targets are named",
			stdin:  jdbc.text,
			args:   []string{"--target", "ecs-other"},
			want:   `Error: stack sso-prod has no ecs target "ecs-other"; its ecs targets: ecs-main: --kind task-definition shows the configuration of ECS targets (--kind manifests that of ROSA targets)` + "\n",
		},
		"rosa only": {
			reason: "a stack without ECS targets has nothing to render",
			stdin: func(t *testing.T) string {
				data, err := os.ReadFile("../../examples/aurora-rosa.yaml")
				if err != nil {
					t.Fatal(err)
				}
				return string(data)
			},
			args: []string{"--kind", "env"},
			want: "Error: stack sso-rosa has no ecs target: --kind env shows the configuration of ECS targets (--kind manifests that of ROSA targets)\n",
		},
		"manifests of an ecs stack": {
			reason: "manifests are a ROSA target's",
			stdin:  jdbc.text,
			args:   []string{"--kind", "manifests"},
			want:   "Error: stack sso-prod has no rosa target: --kind manifests shows the objects of ROSA targets\n",
		},
		"unknown rosa target": {
			reason: "the ROSA targets are named",
			stdin:  rosaStacks["26.4-jdbc-ping"].text,
			args:   []string{"--kind", "manifests", "--target", "rosa-c"},
			want:   `Error: stack sso-rosa has no rosa target "rosa-c"; its rosa targets: rosa-a, rosa-b: --kind manifests shows the objects of ROSA targets` + "\n",
		},
		"invalid stack": {
			reason: "jdbc-ping is not built into Keycloak 25: the diagnostics, then exit 1",
			stdin: func(t *testing.T) string {
				return renderStack{"ecs-jdbc-ping.yaml", `"26.4.2"`, `"25.0.6"`, nil}.text(t)
			},
			want: ": error: spec.discovery.mode: jdbc-ping is built into Keycloak only from 26.1, not 25.0.6; use dns-ping, or Keycloak 26.1 or later\n" +
				"Error: - is not valid; fix the errors above (kcstack validate -f -)\n",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runWithInput(t, tc.stdin(t), append([]string{"render", "-f", "-"}, tc.args...)...)
			if code != 1 || stdout != "" {
				t.Errorf("%s: exit %d with stdout %q, want exit 1 and no output", tc.reason, code, stdout)
			}
			if strings.HasPrefix(stderr, "<stdin>:") {
				stderr = stderr[strings.Index(stderr, ": "):] // drop the position: the example's lines move
			}
			if diff := cmp.Diff(tc.want, stderr); diff != "" {
				t.Errorf("%s: stderr (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestRenderSecretOptions pins how extra options that are secrets reach
// the container: a secret-like option (spi-email-smtp-auth-key) and a value
// that would hold credentials (proxy-url), both given as Secrets Manager
// ARNs, are ECS secrets (valueFrom), never plain environment variables.
func TestRenderSecretOptions(t *testing.T) {
	const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sso-prod/"
	s := renderStack{"ecs-jdbc-ping.yaml", "      log-level: INFO\n",
		"      log-level: INFO\n      spi-email-smtp-auth-key: " + arn + "smtp-AbCdEf\n      proxy-url: " + arn + "proxy-AbCdEf\n", nil}
	code, stdout, stderr := runWithInput(t, s.text(t), "render", "-f", "-", "--kind", "task-definition")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got := "# kcstack render -f - --kind task-definition < examples/ecs-jdbc-ping.yaml with spi-email-smtp-auth-key and proxy-url as secret ARNs" +
		"\n-- stdout --\n" + stdout + "-- stderr --\n" + stderr
	compareGolden(t, filepath.Join("testdata", "render", "secret-options.task-definition.golden"), got)
	for _, plain := range []string{`"name": "KC_SPI_EMAIL_SMTP_AUTH_KEY",` + "\n          \"value\"", `"name": "KC_PROXY_URL",` + "\n          \"value\""} {
		if strings.Contains(stdout, plain) {
			t.Errorf("a secret option is a plain variable: %s", plain)
		}
	}
}

// TestRenderTwoTargets pins the cache configuration of each ECS target of
// e2e/testdata/ecs-two-targets.yaml (Keycloak 26.4, jdbc-ping): each target
// has a JGroups cluster name of its own, <stack>-<target>, so the two never
// discover each other's nodes in the shared JGROUPS_PING table. Run with
// -update to rewrite the goldens.
func TestRenderTwoTargets(t *testing.T) {
	file := filepath.Join("..", "..", "e2e", "testdata", "ecs-two-targets.yaml")
	clusters := map[string]string{}
	for _, target := range []string{"ecs-a", "ecs-b"} {
		code, stdout, stderr := runWithInput(t, "", "render", "-f", file, "--target", target, "--kind", "cache-config")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		got := "# kcstack render -f e2e/testdata/ecs-two-targets.yaml --target " + target + " --kind cache-config" +
			"\n-- stdout --\n" + stdout + "-- stderr --\n" + stderr
		compareGolden(t, filepath.Join("testdata", "render", "two-targets-"+target+".cache-config.golden"), got)
		_, rest, _ := strings.Cut(stdout, `<transport lock-timeout="60000" cluster="`)
		clusters[target], _, _ = strings.Cut(rest, `"`)
	}
	want := map[string]string{"ecs-a": "two-targets-ecs-a", "ecs-b": "two-targets-ecs-b"}
	if diff := cmp.Diff(want, clusters); diff != "" {
		t.Errorf("the transports' cluster names (-want +got):\n%s", diff)
	}
}

// TestRenderRedis pins what the ECS and the ROSA target of a stack with a
// Redis get: the ECS container's KCSTACK_REDIS_* variables and password
// secrets of the two applications whose from names it (and no variable of
// the third), the ROSA target's Secret redis-portal-staging naming its
// Secrets Manager source and holding no value. Run with -update to
// rewrite the goldens.
func TestRenderRedis(t *testing.T) {
	file := filepath.Join("testdata", "redis.yaml")
	for _, c := range []struct{ target, kind string }{
		{"ecs-main", renderTaskDefinition}, {"ecs-main", renderEnv}, {"rosa-a", renderManifests},
	} {
		t.Run(c.target+"/"+c.kind, func(t *testing.T) {
			code, stdout, stderr := runWithInput(t, "", "render", "-f", file, "--target", c.target, "--kind", c.kind)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			if strings.Contains(stdout, "PORTAL") || (c.kind == renderManifests) != strings.Contains(stdout, "redis-portal-staging") {
				t.Errorf("%s got another target's Redis application:\n%s", c.target, stdout)
			}
			got := "# kcstack render -f internal/cli/testdata/redis.yaml --target " + c.target + " --kind " + c.kind +
				"\n-- stdout --\n" + stdout + "-- stderr --\n" + stderr
			compareGolden(t, filepath.Join("testdata", "render", "redis-"+c.target+"."+c.kind+".golden"), got)
		})
	}
}
