package ecs

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func registerTaskDefinition(c *api.Call, in *ecs.RegisterTaskDefinitionInput) (*ecs.RegisterTaskDefinitionOutput, error) {
	family := aws.ToString(in.Family)
	if !validName.MatchString(family) {
		return nil, api.Errorf(codeClient, "Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.")
	}
	if err := checkContainers(in); err != nil {
		return nil, err
	}
	if err := checkFargate(in); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	r := region(c)
	rev := int32(len(r.Families[family]) + 1)
	mode := in.NetworkMode
	if mode == "" {
		mode = types.NetworkModeBridge
	}
	td := &TaskDef{D: types.TaskDefinition{
		TaskDefinitionArn: aws.String(c.ARN("ecs", fmt.Sprintf("task-definition/%s:%d", family, rev))), Family: aws.String(family), Revision: rev,
		ContainerDefinitions: in.ContainerDefinitions, Cpu: in.Cpu, Memory: in.Memory, NetworkMode: mode,
		ExecutionRoleArn: in.ExecutionRoleArn, TaskRoleArn: in.TaskRoleArn, Volumes: nonNil(in.Volumes),
		RequiresCompatibilities: in.RequiresCompatibilities, Compatibilities: compatibilities(in), RuntimePlatform: in.RuntimePlatform,
		EphemeralStorage: in.EphemeralStorage, PlacementConstraints: nonNil(in.PlacementConstraints), PidMode: in.PidMode, IpcMode: in.IpcMode,
		ProxyConfiguration: in.ProxyConfiguration, Status: types.TaskDefinitionStatusActive, RequiresAttributes: requiresAttributes(in),
		RegisteredAt: aws.Time(c.Now), RegisteredBy: aws.String("arn:aws:iam::" + c.AccountID + ":root"),
		EnableFaultInjection: aws.Bool(aws.ToBool(in.EnableFaultInjection)),
	}, Tags: in.Tags}
	r.Families[family] = append(r.Families[family], td)
	return &ecs.RegisterTaskDefinitionOutput{TaskDefinition: &td.D, Tags: nonNil(td.Tags)}, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func checkContainers(in *ecs.RegisterTaskDefinitionInput) error {
	if len(in.ContainerDefinitions) == 0 {
		return api.Errorf(codeClient, "Container list cannot be empty.")
	}
	seen := map[string]bool{}
	for _, cd := range in.ContainerDefinitions {
		name := aws.ToString(cd.Name)
		switch {
		case name == "":
			return api.Errorf(codeClient, "Container.name should not be null or empty.")
		case aws.ToString(cd.Image) == "":
			return api.Errorf(codeClient, "Container.image should not be null or empty.")
		case seen[name]:
			return api.Errorf(codeClient, "Duplicate container names are not allowed: %s", name)
		}
		seen[name] = true
		for _, s := range cd.Secrets {
			if aws.ToString(s.Name) == "" || aws.ToString(s.ValueFrom) == "" {
				return api.Errorf(codeClient, "Secret name and valueFrom must not be empty.")
			}
		}
	}
	return nil
}

// checkFargate applies the rules for task definitions that require
// FARGATE: awsvpc, task-level cpu and memory in a supported pair, and an
// execution role for awslogs and secrets.
func checkFargate(in *ecs.RegisterTaskDefinitionInput) error {
	if !slices.Contains(in.RequiresCompatibilities, types.CompatibilityFargate) {
		return nil
	}
	if in.NetworkMode != types.NetworkModeAwsvpc {
		return api.Errorf(codeClient, "Fargate only supports network mode 'awsvpc'.")
	}
	if in.Cpu == nil {
		return api.Errorf(codeClient, "Fargate requires that 'cpu' be defined at the task level.")
	}
	if in.Memory == nil {
		return api.Errorf(codeClient, "Fargate requires that 'memory' be defined at the task level.")
	}
	cpu, mem := units(*in.Cpu, 1024), units(*in.Memory, 1024)
	if !fargateSize(cpu, mem) {
		return api.Errorf(codeClient, "No Fargate configuration exists for given values: %s CPU, %s memory. See the Amazon ECS documentation for the valid values.", *in.Cpu, *in.Memory)
	}
	if in.ExecutionRoleArn != nil {
		return nil
	}
	for _, cd := range in.ContainerDefinitions {
		if cd.LogConfiguration != nil && cd.LogConfiguration.LogDriver == types.LogDriverAwslogs {
			return api.Errorf(codeClient, "Fargate requires task definition to have execution role ARN to support log driver awslogs.")
		}
		if len(cd.Secrets) > 0 {
			return api.Errorf(codeClient, "Fargate requires task definition to have execution role ARN to support secrets.")
		}
	}
	return nil
}

// units parses "1024", "1 vCPU" or "2 GB" into CPU units or MiB; -1 when
// it cannot.
func units(s string, per int) int {
	s = strings.TrimSpace(strings.ToLower(s))
	for _, suffix := range []string{"vcpu", "gb"} {
		if v, ok := strings.CutSuffix(s, suffix); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return -1
			}
			return int(f * float64(per))
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// fargateSize reports whether cpu units and memory MiB are a Fargate
// task size.
func fargateSize(cpu, mem int) bool {
	sizes := map[int][3]int{ // cpu → min memory, max memory, step
		256: {512, 2048, 512}, 512: {1024, 4096, 1024}, 1024: {2048, 8192, 1024}, 2048: {4096, 16384, 1024},
		4096: {8192, 30720, 1024}, 8192: {16384, 61440, 4096}, 16384: {32768, 122880, 8192},
	}
	s, ok := sizes[cpu]
	if !ok || mem < s[0] || mem > s[1] {
		return false
	}
	return cpu == 256 && (mem == 512 || mem == 1024 || mem == 2048) || cpu != 256 && (mem-s[0])%s[2] == 0
}

func compatibilities(in *ecs.RegisterTaskDefinitionInput) []types.Compatibility {
	if in.NetworkMode == types.NetworkModeAwsvpc && in.Cpu != nil && in.Memory != nil {
		return []types.Compatibility{types.CompatibilityEc2, types.CompatibilityFargate}
	}
	return []types.Compatibility{types.CompatibilityEc2}
}

// requiresAttributes lists the agent capabilities the definition needs, as
// ECS derives them.
func requiresAttributes(in *ecs.RegisterTaskDefinitionInput) []types.Attribute {
	var names []string
	add := func(n string) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	if in.NetworkMode == types.NetworkModeAwsvpc {
		add("ecs.capability.task-eni")
	}
	if in.ExecutionRoleArn != nil {
		add("ecs.capability.execution-role-awslogs")
	}
	if in.TaskRoleArn != nil {
		add("com.amazonaws.ecs.capability.task-iam-role")
	}
	for _, cd := range in.ContainerDefinitions {
		if cd.LogConfiguration != nil && cd.LogConfiguration.LogDriver == types.LogDriverAwslogs {
			add("com.amazonaws.ecs.capability.logging-driver.awslogs")
			add("com.amazonaws.ecs.capability.docker-remote-api.1.19")
		}
		if len(cd.Secrets) > 0 {
			add("ecs.capability.secrets.asm.environment-variables")
		}
	}
	sort.Strings(names)
	out := []types.Attribute{}
	for _, n := range names {
		out = append(out, types.Attribute{Name: aws.String(n)})
	}
	return out
}

// findTaskDef resolves family, family:revision or an ARN. A bare family
// means its latest ACTIVE revision.
func findTaskDef(c *api.Call, ref string) (*TaskDef, error) {
	notFound := api.Errorf(codeClient, "Unable to describe task definition.")
	if _, rest, ok := strings.Cut(ref, ":task-definition/"); ok && strings.HasPrefix(ref, "arn:") {
		ref = rest
	}
	family, revText, hasRev := strings.Cut(ref, ":")
	revs := region(c).Families[family]
	if !hasRev {
		for i := len(revs) - 1; i >= 0; i-- {
			if revs[i].D.Status == types.TaskDefinitionStatusActive {
				return revs[i], nil
			}
		}
		return nil, notFound
	}
	n, err := strconv.Atoi(revText)
	if err != nil || n < 1 || n > len(revs) {
		return nil, notFound
	}
	return revs[n-1], nil
}

func describeTaskDefinition(c *api.Call, in *ecs.DescribeTaskDefinitionInput) (*ecs.DescribeTaskDefinitionOutput, error) {
	td, err := findTaskDef(c, aws.ToString(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	out := &ecs.DescribeTaskDefinitionOutput{TaskDefinition: &td.D}
	if slices.Contains(in.Include, types.TaskDefinitionFieldTags) {
		out.Tags = nonNil(td.Tags)
	}
	return out, nil
}

func deregisterTaskDefinition(c *api.Call, in *ecs.DeregisterTaskDefinitionInput) (*ecs.DeregisterTaskDefinitionOutput, error) {
	ref := aws.ToString(in.TaskDefinition)
	if !strings.Contains(strings.TrimPrefix(ref, "arn:"), ":") || strings.HasSuffix(ref, ":") {
		return nil, api.Errorf(codeClient, "Invalid revision number. Number: %s", ref[strings.LastIndex(ref, ":")+1:])
	}
	td, err := findTaskDef(c, ref)
	if err != nil {
		return nil, err
	}
	if td.D.Status == types.TaskDefinitionStatusActive {
		td.D.Status = types.TaskDefinitionStatusInactive
		td.D.DeregisteredAt = aws.Time(c.Now)
	}
	return &ecs.DeregisterTaskDefinitionOutput{TaskDefinition: &td.D}, nil
}

func listTaskDefinitions(c *api.Call, in *ecs.ListTaskDefinitionsInput) (*ecs.ListTaskDefinitionsOutput, error) {
	status := in.Status
	if status == "" {
		status = types.TaskDefinitionStatusActive
	}
	r := region(c)
	families := make([]string, 0, len(r.Families))
	for f := range r.Families {
		if in.FamilyPrefix == nil || f == *in.FamilyPrefix {
			families = append(families, f)
		}
	}
	sort.Strings(families)
	var arns []string
	for _, f := range families {
		for _, td := range r.Families[f] {
			if td.D.Status == status {
				arns = append(arns, aws.ToString(td.D.TaskDefinitionArn))
			}
		}
	}
	if in.Sort == types.SortOrderDesc {
		slices.Reverse(arns)
	}
	list, next, err := window(arns, in.MaxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListTaskDefinitionsOutput{TaskDefinitionArns: list, NextToken: next}, nil
}
