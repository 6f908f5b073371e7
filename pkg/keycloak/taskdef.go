package keycloak

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/stack"
)

// LogStreamPrefix prefixes the CloudWatch Logs streams of the tasks.
const LogStreamPrefix = "keycloak"

// Family returns the task definition family of an ECS target:
// <stack>-<target>.
func Family(st *stack.Stack, target string) string {
	return st.Metadata.Name + "-" + target
}

// ECSTarget returns the ECS target named name, or the first ECS target
// when name is empty.
func ECSTarget(st *stack.Stack, name string) (stack.Target, error) {
	return st.TargetOf(stack.TargetECS, name)
}

// TaskDefinition returns the Fargate task definition of ECS target target
// (the first ECS target when empty): family <stack>-<target>, awsvpc, the
// target's size, the two roles and one Keycloak container with its ports,
// environment (sorted), secrets (sorted), awslogs logging and health check.
// It returns an error when a fact it needs is missing.
func TaskDefinition(st *stack.Stack, target string, facts Facts) (*ecs.RegisterTaskDefinitionInput, error) {
	t, err := ECSTarget(st, target)
	if err != nil {
		return nil, err
	}
	facts = facts.withStack(st)
	facts.Target = t.Name
	if err := facts.missing(st.Spec.Discovery.Mode, true); err != nil {
		return nil, fmt.Errorf("task definition of target %s: %w", t.Name, err)
	}
	env, err := Env(st, facts)
	if err != nil {
		return nil, fmt.Errorf("task definition of target %s: %w", t.Name, err)
	}
	return &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String(Family(st, t.Name)),
		NetworkMode:             types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		RuntimePlatform:         &types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyLinux},
		Cpu:                     aws.String(strconv.Itoa(t.ECS.CPU)),
		Memory:                  aws.String(strconv.Itoa(t.ECS.Memory)),
		ExecutionRoleArn:        aws.String(facts.ExecutionRoleARN),
		TaskRoleArn:             aws.String(facts.TaskRoleARN),
		ContainerDefinitions:    []types.ContainerDefinition{container(st.KeycloakVersion(), env, facts)},
	}, nil
}

// container is the Keycloak container definition.
func container(v stack.Version, env Environment, f Facts) types.ContainerDefinition {
	entry, command := entryPoint(v)
	return types.ContainerDefinition{
		Name:         aws.String(ContainerName),
		Image:        aws.String(f.Image),
		Essential:    aws.Bool(true),
		EntryPoint:   entry,
		Command:      command,
		PortMappings: portMappings(v),
		Environment:  env.keyValues(),
		Secrets:      env.secrets(),
		HealthCheck:  containerHealthCheck(v),
		LogConfiguration: &types.LogConfiguration{
			LogDriver: types.LogDriverAwslogs,
			Options: map[string]string{
				"awslogs-group":         f.LogGroup,
				"awslogs-region":        f.Region,
				"awslogs-stream-prefix": LogStreamPrefix,
			},
		},
	}
}

// keyValues returns the plain variables sorted by name.
func (e Environment) keyValues() []types.KeyValuePair {
	var out []types.KeyValuePair
	for _, name := range sortedKeys(e.Vars) {
		out = append(out, types.KeyValuePair{Name: aws.String(name), Value: aws.String(e.Vars[name])})
	}
	return out
}

// secrets returns the secret variables sorted by name.
func (e Environment) secrets() []types.Secret {
	var out []types.Secret
	for _, name := range sortedKeys(e.Secrets) {
		out = append(out, types.Secret{Name: aws.String(name), ValueFrom: aws.String(e.Secrets[name])})
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
