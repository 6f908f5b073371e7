package desired_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// TestExecutionRoleReadsEverySecret checks, for every ECS example, that
// the execution role the stack wires may read exactly the secrets the
// generated task definition names: a secret it may not read stops every
// task from starting; one more would be more than least privilege.
func TestExecutionRoleReadsEverySecret(t *testing.T) {
	files, err := filepath.Glob("../../examples/ecs-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no ECS examples: %v", err)
	}
	const dbSecret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1-AbCdEf"
	redisSecret := func(key string) string {
		return "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kcstack/sso-prod/redis/" + key + "-AbCdEf"
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			st, _, err := stack.LoadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := desired.Resources(st)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if d.Kind != resource.KindIAMRole || filepath.Ext(d.Address) != ".execution-role" {
					continue
				}
				target := d.Address[len("targets.") : len(d.Address)-len(".execution-role")]
				env, err := keycloak.Env(st, keycloak.Facts{WriterEndpoint: "w", DBSecretARN: dbSecret, Target: target,
					RedisEndpoint: "r", RedisSecretARN: redisSecret})
				if err != nil {
					t.Fatal(err)
				}
				allowed := resource.Resolve(d.Props, func(r resource.Ref) (string, bool) {
					if key, ok := strings.CutPrefix(r.Address, "redis.secret["); ok {
						return redisSecret(strings.TrimSuffix(key, "]")), true
					}
					return dbSecret, true
				})
				r := resource.Read(allowed)
				got := r.Strings("allow_resources")
				if err := r.Err(); err != nil {
					t.Fatal(err)
				}
				slices.Sort(got)
				if diff := cmp.Diff(env.SecretARNs(), got); diff != "" {
					t.Errorf("target %s: secrets the task definition reads (-) vs the execution role may read (+):\n%s", target, diff)
				}
			}
		})
	}
}
