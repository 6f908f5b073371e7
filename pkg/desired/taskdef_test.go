package desired_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/aws/compute"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// TestTaskDefinitionIsWhatKeycloakGenerates checks, for every ECS example,
// that the task definition the handler registers from the Desired (its
// template filled in with the resolved facts) is exactly what
// keycloak.TaskDefinition generates from the stack with those facts.
func TestTaskDefinitionIsWhatKeycloakGenerates(t *testing.T) {
	files, err := filepath.Glob("../../examples/ecs-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no ECS examples: %v", err)
	}
	facts := map[string]string{
		"writer_endpoint":        `sso-prod-db.cluster-abc.eu-west-1.rds.amazonaws.com`,
		"db_secret_arn":          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1-AbCdEf",
		"execution_role_arn":     "arn:aws:iam::123456789012:role/kcstack/exec",
		"task_role_arn":          "arn:aws:iam::123456789012:role/kcstack/task",
		"redis_primary_endpoint": "master.sso-prod-redis.abc.euw1.cache.amazonaws.com",
	}
	// redisSecret is the ARN of the secret of a Redis application, by the
	// prop of the task definition that holds it.
	redisSecret := func(prop string) string {
		return "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + prop + "-AbCdEf"
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			st, ds, err := stack.LoadFile(file)
			if err != nil || ds.HasErrors() {
				t.Fatalf("load: %v %v", err, ds)
			}
			all, err := desired.Resources(st)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, d := range all {
				if d.Kind != resource.KindECSTaskDefinition {
					continue
				}
				n++
				target := d.Address[len("targets.") : len(d.Address)-len(".task-definition")]
				d.Props = resource.Resolve(d.Props, func(r resource.Ref) (string, bool) {
					for prop, v := range d.Props {
						if v == r && strings.HasPrefix(prop, "redis_secret_arn_") {
							return redisSecret(prop), true
						}
						if v == r {
							return facts[prop], true
						}
					}
					return "", false
				})
				got, err := compute.Generate(d)
				if err != nil {
					t.Fatal(err)
				}
				want, err := keycloak.TaskDefinition(st, target, keycloak.Facts{
					WriterEndpoint: facts["writer_endpoint"], DBSecretARN: facts["db_secret_arn"],
					ExecutionRoleARN: facts["execution_role_arn"], TaskRoleARN: facts["task_role_arn"],
					LogGroup: d.Props["log_group"].(string), RedisEndpoint: facts["redis_primary_endpoint"],
					RedisSecretARN: func(key string) string { return redisSecret("redis_secret_arn_" + strings.ReplaceAll(key, "-", "_")) },
				})
				if err != nil {
					t.Fatal(err)
				}
				opts := cmpopts.IgnoreUnexported(ecs.RegisterTaskDefinitionInput{}, types.ContainerDefinition{},
					types.KeyValuePair{}, types.Secret{}, types.PortMapping{}, types.HealthCheck{},
					types.LogConfiguration{}, types.RuntimePlatform{})
				if diff := cmp.Diff(want, got, opts); diff != "" {
					t.Errorf("target %s: task definition (-keycloak +handler):\n%s", target, diff)
				}
			}
			if n == 0 {
				t.Error("no task definition")
			}
		})
	}
}
