package keycloak

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/stack"
)

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
