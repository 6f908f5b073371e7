package keycloak

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/stack"
)

func env(t *testing.T, st *stack.Stack) Environment {
	t.Helper()
	e, err := Env(st, realFacts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// pick returns the variables of e named in names ("" for absent ones).
func pick(e Environment, names ...string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		out[n] = e.Vars[n]
	}
	return out
}

func TestDatabaseCredentialsOnlyInSecrets(t *testing.T) {
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
	}{
		"24":   {"Keycloak 24 with dns-ping", kc24},
		"25":   {"Keycloak 25 with dns-ping", kc25},
		"26.0": {"Keycloak 26.0 with s3-ping", kc260},
		"26.4": {"Keycloak 26.4 with jdbc-ping and a secret extra option", kc264},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			in, err := TaskDefinition(tc.st(t), "", realFacts)
			if err != nil {
				t.Fatal(err)
			}
			c := in.ContainerDefinitions[0]
			for _, kv := range c.Environment {
				n, v := *kv.Name, *kv.Value
				if strings.Contains(n, "PASSWORD") || n == "KC_DB_USERNAME" || strings.Contains(v, "secretsmanager") {
					t.Errorf("%s: environment holds %s=%q; credentials and secret references go in secrets only", tc.reason, n, v)
				}
			}
			got := map[string]string{}
			for _, s := range c.Secrets {
				got[*s.Name] = *s.ValueFrom
			}
			want := map[string]string{
				"KC_DB_USERNAME": realFacts.DBSecretARN + ":username::",
				"KC_DB_PASSWORD": realFacts.DBSecretARN + ":password::",
			}
			for k := range got {
				if _, ok := want[k]; !ok && k != "KC_SPI_TRUSTSTORE_FILE_PASSWORD" {
					t.Errorf("%s: unexpected secret %s", tc.reason, k)
				}
			}
			delete(got, "KC_SPI_TRUSTSTORE_FILE_PASSWORD")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: secrets (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestSecretValuesBecomeSecrets(t *testing.T) {
	arn := "arn:aws:secretsmanager:eu-west-1:123456789012:secret:admin-AbCdEf"
	cases := map[string]struct {
		reason      string
		st          func(*testing.T) *stack.Stack
		wantSecrets map[string]string
		wantVars    map[string]string
	}{
		"extra option ARN": {
			reason: "an extra option whose value is a Secrets Manager ARN is read from the secret; the others are plain",
			st:     kc264,
			wantSecrets: map[string]string{
				"KC_SPI_TRUSTSTORE_FILE_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sso-prod/truststore-AbCdEf",
			},
			wantVars: map[string]string{"KC_LOG_LEVEL": "INFO", "KC_SPI_TRUSTSTORE_FILE_PASSWORD": ""},
		},
		"bootstrap admin 26": {
			reason: "from 26 the bootstrap-admin options, the password from its secret",
			st: func(t *testing.T) *stack.Stack {
				return loadExample(t, "ecs-s3-ping.yaml", "    hostname: auth.example.com\n",
					"    hostname: auth.example.com\n    bootstrapAdmin: {passwordSecretArn: "+arn+"}\n")
			},
			wantSecrets: map[string]string{"KC_BOOTSTRAP_ADMIN_PASSWORD": arn},
			wantVars:    map[string]string{"KC_BOOTSTRAP_ADMIN_USERNAME": "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD": ""},
		},
		"bootstrap admin 24": {
			reason: "before 26 KEYCLOAK_ADMIN and KEYCLOAK_ADMIN_PASSWORD, the password from its secret",
			st: func(t *testing.T) *stack.Stack {
				return loadExample(t, "ecs-dns-ping.yaml", `"26.2.5"`, `"24.0.5"`, "    hostname: https://auth.example.com",
					"    bootstrapAdmin: {username: root, passwordSecretArn: "+arn+"}\n    hostname: https://auth.example.com")
			},
			wantSecrets: map[string]string{"KEYCLOAK_ADMIN_PASSWORD": arn},
			wantVars:    map[string]string{"KEYCLOAK_ADMIN": "root", "KEYCLOAK_ADMIN_PASSWORD": ""},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := env(t, tc.st(t))
			got := map[string]string{}
			for k := range tc.wantSecrets {
				got[k] = e.Secrets[k]
			}
			if diff := cmp.Diff(tc.wantSecrets, got); diff != "" {
				t.Errorf("%s: secrets (-want +got):\n%s", tc.reason, diff)
			}
			names := make([]string, 0, len(tc.wantVars))
			for k := range tc.wantVars {
				names = append(names, k)
			}
			if diff := cmp.Diff(tc.wantVars, pick(e, names...)); diff != "" {
				t.Errorf("%s: variables (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestNeverProxy(t *testing.T) {
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
	}{
		"24 with proxy": {
			reason: "spec.keycloak.proxy and an extra proxy option (deprecated on 24) still give proxy-headers only",
			st: func(t *testing.T) *stack.Stack {
				return loadExample(t, "ecs-dns-ping.yaml", `"26.2.5"`, `"24.0.5"`, "    hostname: https://auth.example.com",
					"    proxy: edge\n    extraOptions: {proxy: edge}\n    hostname: https://auth.example.com")
			},
		},
		"25": {"Keycloak 25", kc25},
		"26": {"Keycloak 26.4", kc264},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := env(t, tc.st(t))
			if v, ok := e.Vars["KC_PROXY"]; ok {
				t.Errorf("%s: KC_PROXY=%q is set; the proxy option is removed in 26 and replaced by proxy-headers", tc.reason, v)
			}
			if _, ok := e.Secrets["KC_PROXY"]; ok {
				t.Errorf("%s: KC_PROXY is a secret", tc.reason)
			}
			if got := e.Vars["KC_PROXY_HEADERS"]; got != "xforwarded" {
				t.Errorf("%s: KC_PROXY_HEADERS = %q, want xforwarded", tc.reason, got)
			}
		})
	}
}

func TestVersionOptions(t *testing.T) {
	names := []string{
		"KC_HOSTNAME", "KC_HOSTNAME_URL", "KC_HOSTNAME_ADMIN", "KC_HOSTNAME_STRICT_BACKCHANNEL",
		"KC_HTTP_MANAGEMENT_PORT", "KC_CACHE_STACK", "JAVA_OPTS_APPEND", "KC_CACHE_CONFIG_FILE",
		"KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS", "KC_FEATURES",
	}
	dnsOpts := "-Djgroups.dns.query=keycloak-discovery.sso-dns.kcstack.internal -Djgroups.bind.address=SITE_LOCAL -Djgroups.bind.port=7800"
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		want   map[string]string
	}{
		"24": {
			reason: "hostname v1, health on 8080, DNS_PING with the Cloud Map name, owners in a file",
			st:     kc24,
			want: map[string]string{
				"KC_HOSTNAME_URL": "https://auth.example.com", "KC_HOSTNAME_STRICT_BACKCHANNEL": "true",
				"KC_CACHE_STACK": "kubernetes", "JAVA_OPTS_APPEND": dnsOpts, "KC_CACHE_CONFIG_FILE": CacheConfigFile,
			},
		},
		"25": {
			reason: "hostname v2, management port 9000",
			st:     kc25,
			want: map[string]string{
				"KC_HOSTNAME": "https://auth.example.com", "KC_HTTP_MANAGEMENT_PORT": "9000",
				"KC_CACHE_STACK": "kubernetes", "JAVA_OPTS_APPEND": dnsOpts, "KC_CACHE_CONFIG_FILE": CacheConfigFile,
			},
		},
		"25 hostname v1": {
			reason: "v1 fields on 25 keep hostname v1 and turn on its feature",
			st: func(t *testing.T) *stack.Stack {
				return loadExample(t, "ecs-dns-ping.yaml", `"26.2.5"`, `"25.0.6"`,
					"    hostname: https://auth.example.com", "    hostname: auth.example.com\n    hostnamePath: /auth")
			},
			want: map[string]string{
				"KC_HOSTNAME_URL": "https://auth.example.com/auth", "KC_HOSTNAME_STRICT_BACKCHANNEL": "true",
				"KC_HTTP_MANAGEMENT_PORT": "9000", "KC_FEATURES": "hostname:v1",
				"KC_CACHE_STACK": "kubernetes", "JAVA_OPTS_APPEND": dnsOpts, "KC_CACHE_CONFIG_FILE": CacheConfigFile,
			},
		},
		"26.0": {
			reason: "S3_PING: the ec2 stack with the bucket and its region",
			st:     kc260,
			want: map[string]string{
				"KC_HOSTNAME": "https://auth.example.com", "KC_HTTP_MANAGEMENT_PORT": "9000", "KC_CACHE_STACK": "ec2",
				"JAVA_OPTS_APPEND":     "-Djgroups.s3.region_name=eu-west-1 -Djgroups.s3.bucket_name=sso-s3-eu-west-1-jgroups -Djgroups.bind.address=SITE_LOCAL -Djgroups.bind.port=7800",
				"KC_CACHE_CONFIG_FILE": CacheConfigFile,
			},
		},
		"26.4": {
			reason: "jdbc-ping needs no Java options; the bind address is an option; no cache file",
			st:     kc264,
			want: map[string]string{
				"KC_HOSTNAME": "https://auth.example.com", "KC_HOSTNAME_ADMIN": "https://admin.auth.example.com",
				"KC_HTTP_MANAGEMENT_PORT": "9000", "KC_CACHE_STACK": "jdbc-ping",
				"KC_CACHE_EMBEDDED_NETWORK_BIND_ADDRESS": "SITE_LOCAL", "KC_FEATURES": "token-exchange",
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			want := map[string]string{}
			for _, n := range names {
				want[n] = tc.want[n]
			}
			if diff := cmp.Diff(want, pick(env(t, tc.st(t)), names...)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDatabaseOptions(t *testing.T) {
	e := env(t, kc264(t))
	want := map[string]string{
		"KC_DB":                   "postgres",
		"KC_DB_URL":               "jdbc:postgresql://sso-db.cluster-abc.eu-west-1.rds.amazonaws.com:5432/keycloak?targetServerType=primary",
		"KC_DB_POOL_INITIAL_SIZE": "40", "KC_DB_POOL_MIN_SIZE": "40", "KC_DB_POOL_MAX_SIZE": "40",
		"KC_HTTP_ENABLED": "true", "KC_HEALTH_ENABLED": "true", "KC_METRICS_ENABLED": "true", "KC_CACHE": "ispn",
	}
	names := make([]string, 0, len(want))
	for k := range want {
		names = append(names, k)
	}
	if diff := cmp.Diff(want, pick(e, names...)); diff != "" {
		t.Errorf("the writer endpoint, pool initial = min = max (-want +got):\n%s", diff)
	}
}

func TestEnvErrors(t *testing.T) {
	cases := map[string]struct {
		reason string
		facts  Facts
		want   string
	}{
		"no writer": {"the writer endpoint has no default", Facts{DBSecretARN: "x"}, "facts missing: WriterEndpoint"},
		"no secret": {"the DB secret has no default", Facts{WriterEndpoint: "w"}, "facts missing: DBSecretARN"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Env(kc264(t), tc.facts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("%s: error %v, want %q", tc.reason, err, tc.want)
			}
		})
	}
}

func TestEnvName(t *testing.T) {
	cases := map[string]struct {
		reason string
		want   string
	}{
		"cache-stack": {"plain option", "KC_CACHE_STACK"},
		"spi-cache-embedded--default--action-tokens-owners": {"SPI option: -- becomes __",
			"KC_SPI_CACHE_EMBEDDED__DEFAULT__ACTION_TOKENS_OWNERS"},
	}
	for option, tc := range cases {
		if got := EnvName(option); got != tc.want {
			t.Errorf("%s: EnvName(%q) = %q, want %q", tc.reason, option, got, tc.want)
		}
	}
}

func TestSecretARNs(t *testing.T) {
	arn := "arn:aws:secretsmanager:eu-west-1:123456789012:secret:admin-AbCdEf"
	st := loadExample(t, "ecs-jdbc-ping.yaml", "    hostname: auth.example.com\n",
		"    hostname: auth.example.com\n    bootstrapAdmin: {passwordSecretArn: "+arn+"}\n")
	want := []string{
		arn,
		"arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1234-AbCdEf",
		"arn:aws:secretsmanager:eu-west-1:123456789012:secret:sso-prod/truststore-AbCdEf",
	}
	if diff := cmp.Diff(want, env(t, st).SecretARNs()); diff != "" {
		t.Errorf("the execution role must read the DB secret once, the admin and the extra option secret (-want +got):\n%s", diff)
	}
}

// TestRedisEnv: a target named in an application's from gets its
// connection (host, port, TLS, user name) and its password as a secret; a
// target no application names gets nothing of Redis; a missing fact is an
// error, not an empty host.
func TestRedisEnv(t *testing.T) {
	st, ds, err := stack.LoadFile("../../examples/ecs-redis.yaml")
	if err != nil || ds.HasErrors() {
		t.Fatalf("load: %v %v", err, ds)
	}
	facts := Placeholders(st)
	facts.Target = "ecs-main"
	env, err := Env(st, facts)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for k, v := range env.Vars {
		if strings.HasPrefix(k, "KCSTACK_REDIS_SHOP_PROD_") {
			got[k] = v
		}
	}
	for k, v := range env.Secrets {
		if strings.HasPrefix(k, "KCSTACK_REDIS_SHOP_PROD_") {
			got[k] = "secret " + v
		}
	}
	want := map[string]string{
		"KCSTACK_REDIS_SHOP_PROD_HOST": "<redis-primary-endpoint>", "KCSTACK_REDIS_SHOP_PROD_PORT": "6379",
		"KCSTACK_REDIS_SHOP_PROD_TLS": "true", "KCSTACK_REDIS_SHOP_PROD_USERNAME": "shop-prod",
		"KCSTACK_REDIS_SHOP_PROD_PASSWORD": "secret <redis-secret-arn:shop-prod>:password::",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shop-prod's variables (-want +got):\n%s", diff)
	}

	facts.Target = "elsewhere"
	other, err := Env(st, facts)
	if err != nil {
		t.Fatal(err)
	}
	for k := range other.Vars {
		if strings.HasPrefix(k, "KCSTACK_REDIS_") {
			t.Errorf("%s given to a target no application names", k)
		}
	}

	facts.Target, facts.RedisEndpoint = "ecs-main", ""
	if _, err := Env(st, facts); err == nil || !strings.Contains(err.Error(), "RedisEndpoint") {
		t.Errorf("Env without the Redis endpoint: %v, want an error naming it", err)
	}
}
