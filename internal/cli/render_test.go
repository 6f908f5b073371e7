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
// Keycloak version replaced, fed through standard input.
type renderStack struct {
	example, from, to string
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
	return strings.Replace(string(data), s.from, s.to, 1)
}

// renderStacks are the versions whose configuration differs, each with a
// discovery mode the version allows: 24 and 25 (dns-ping: jdbc-ping is built
// in only from 26.1), 26.0 (s3-ping) and 26.4 (jdbc-ping).
var renderStacks = map[string]renderStack{
	"24-dns-ping":    {"ecs-dns-ping.yaml", `"26.2.5"`, `"24.0.5"`},
	"25-dns-ping":    {"ecs-dns-ping.yaml", `"26.2.5"`, `"25.0.6"`},
	"26.0-s3-ping":   {"ecs-s3-ping.yaml", `"26.0.8"`, `"26.0.8"`},
	"26.4-jdbc-ping": {"ecs-jdbc-ping.yaml", `"26.4.2"`, `"26.4.2"`},
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
		for _, kind := range renderKinds {
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
			want:   `Error: unknown --kind "yaml": use task-definition, env, cache-config` + "\n",
		},
		"unknown target": {
			reason: "the ECS targets are named",
			stdin:  jdbc.text,
			args:   []string{"--target", "ecs-other"},
			want:   `Error: stack sso-prod has no ecs target "ecs-other"; its ecs targets: ecs-main: kcstack render shows the configuration of ECS targets` + "\n",
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
			want: "Error: stack sso-rosa has no ecs target: kcstack render shows the configuration of ECS targets\n",
		},
		"invalid stack": {
			reason: "jdbc-ping is not built into Keycloak 25: the diagnostics, then exit 1",
			stdin: func(t *testing.T) string {
				return renderStack{"ecs-jdbc-ping.yaml", `"26.4.2"`, `"25.0.6"`}.text(t)
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
		"      log-level: INFO\n      spi-email-smtp-auth-key: " + arn + "smtp-AbCdEf\n      proxy-url: " + arn + "proxy-AbCdEf\n"}
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
