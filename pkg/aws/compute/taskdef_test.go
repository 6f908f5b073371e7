package compute

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/resource"
)

// generated is a task definition Desired as pkg/desired makes it, with
// its facts resolved.
func generated() resource.Desired {
	return resource.Desired{
		Address: "t.task-definition", Kind: resource.KindECSTaskDefinition,
		Props: resource.Props{
			"family": "s-t", "execution_role_arn": "arn:exec", "task_role_arn": "arn:task",
			"writer_endpoint": "db.example", "db_secret_arn": "arn:secret", "log_group": "/kcstack/s/t",
		},
		Options: map[string]string{
			OptionContainerDefinitions: `[{"Name":"keycloak","Image":"quay.io/keycloak/keycloak:26.4.2",` +
				`"Environment":[{"Name":"KC_DB_URL","Value":"jdbc:postgresql://${writer_endpoint}:5432/keycloak"}],` +
				`"Secrets":[{"Name":"KC_DB_PASSWORD","ValueFrom":"${db_secret_arn}:password::"}],` +
				`"LogConfiguration":{"LogDriver":"awslogs","Options":{"awslogs-group":"${log_group}"}}}]`,
			OptionCPU: "1024", OptionMemory: "2048", OptionNetworkMode: "awsvpc",
			OptionRequiresCompatibilities: "FARGATE", OptionOperatingSystemFamily: "LINUX",
		},
	}
}

func TestGenerate(t *testing.T) {
	want := &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("s-t"), NetworkMode: types.NetworkModeAwsvpc, Cpu: aws.String("1024"), Memory: aws.String("2048"),
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		RuntimePlatform:         &types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyLinux},
		ExecutionRoleArn:        aws.String("arn:exec"), TaskRoleArn: aws.String("arn:task"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("keycloak"), Image: aws.String("quay.io/keycloak/keycloak:26.4.2"),
			Environment: []types.KeyValuePair{{Name: aws.String("KC_DB_URL"), Value: aws.String("jdbc:postgresql://db.example:5432/keycloak")}},
			Secrets:     []types.Secret{{Name: aws.String("KC_DB_PASSWORD"), ValueFrom: aws.String("arn:secret:password::")}},
			LogConfiguration: &types.LogConfiguration{LogDriver: types.LogDriverAwslogs,
				Options: map[string]string{"awslogs-group": "/kcstack/s/t"}},
		}},
	}
	got, err := Generate(generated())
	if err != nil {
		t.Fatal(err)
	}
	opts := cmpopts.IgnoreUnexported(ecs.RegisterTaskDefinitionInput{}, types.ContainerDefinition{}, types.KeyValuePair{},
		types.Secret{}, types.LogConfiguration{}, types.RuntimePlatform{})
	if diff := cmp.Diff(want, got, opts); diff != "" {
		t.Errorf("Generate (-want +got):\n%s", diff)
	}
}

func TestGenerateErrors(t *testing.T) {
	cases := map[string]struct {
		reason string
		edit   func(d *resource.Desired)
		want   string
	}{
		"fact empty": {"a fact the container definitions name must be known",
			func(d *resource.Desired) { d.Props["writer_endpoint"] = "" },
			"t.task-definition: container definitions: props missing: writer_endpoint"},
		"fact unresolved": {"a reference is not a value",
			func(d *resource.Desired) {
				d.Props["db_secret_arn"] = resource.Ref{Address: "database.cluster", Attr: "arn"}
			},
			"t.task-definition: container definitions: props missing: db_secret_arn"},
		"role missing": {"a task definition names both roles",
			func(d *resource.Desired) { delete(d.Props, "task_role_arn") },
			"t.task-definition: property task_role_arn is missing"},
		"no template": {"a Desired from an older plan file has no container definitions",
			func(d *resource.Desired) { delete(d.Options, OptionContainerDefinitions) },
			"t.task-definition: no container_definitions option: plan again with this version of kcstack"},
		"template not JSON": {"a broken template is reported, not registered",
			func(d *resource.Desired) { d.Options[OptionContainerDefinitions] = "[" },
			"t.task-definition: read the container definitions: unexpected end of JSON input"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := generated()
			tc.edit(&d)
			_, err := Generate(d)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nerror (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
