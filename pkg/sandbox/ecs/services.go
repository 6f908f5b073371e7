package ecs

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// fargatePlatform is the version LATEST resolves to for Linux tasks.
const fargatePlatform = "1.4.0"

func createService(c *api.Call, in *ecs.CreateServiceInput) (*ecs.CreateServiceOutput, error) {
	name := aws.ToString(in.ServiceName)
	if !validName.MatchString(name) {
		return nil, api.Errorf(codeInvalidParam, "Service name can only contain letters, numbers, underscores and hyphens and be up to 255 characters long.")
	}
	cl, err := activeCluster(c, in.Cluster)
	if err != nil {
		return nil, err
	}
	td, err := findTaskDef(c, aws.ToString(in.TaskDefinition))
	if err != nil {
		return nil, api.Errorf(codeInvalidParam, "TaskDefinition not found.")
	}
	if err := checkCreate(c, in, td); err != nil {
		return nil, err
	}
	r := region(c)
	clName := aws.ToString(cl.C.ClusterName)
	if old, ok := r.Services[clName][name]; ok && aws.ToString(old.S.Status) != statusInactive {
		if token := aws.ToString(in.ClientToken); token != "" && token == old.ClientToken {
			return &ecs.CreateServiceOutput{Service: old.view(false)}, nil
		}
		return nil, api.Errorf(codeInvalidParam, "Creation of service was not idempotent.")
	}
	sv := &ServiceRecord{S: newService(c, in, cl, td), ClientToken: aws.ToString(in.ClientToken), Subnets: subnets(c, in.NetworkConfiguration)}
	sv.deploy(c.Now, td.D.TaskDefinitionArn)
	if r.Services[clName] == nil {
		r.Services[clName] = map[string]*ServiceRecord{}
	}
	r.Services[clName][name] = sv
	reschedule(c, sv)
	return &ecs.CreateServiceOutput{Service: sv.view(false)}, nil
}

func checkCreate(c *api.Call, in *ecs.CreateServiceInput, td *TaskDef) error {
	if in.LaunchType != "" && in.LaunchType == types.LaunchTypeFargate && !slices.Contains(td.D.Compatibilities, types.CompatibilityFargate) {
		return api.Errorf(codeInvalidParam, "Task definition does not support launch_type FARGATE.")
	}
	if d := aws.ToInt32(in.DesiredCount); d < 0 {
		return api.Errorf(codeInvalidParam, "desiredCount must be greater than or equal to 0.")
	}
	if err := checkTags(in.Tags); err != nil {
		return err
	}
	if td.D.NetworkMode == types.NetworkModeAwsvpc {
		if err := checkNetwork(c, in.NetworkConfiguration); err != nil {
			return err
		}
	}
	if err := checkLoadBalancers(c, in.LoadBalancers, td); err != nil {
		return err
	}
	return checkRegistries(c, in.ServiceRegistries)
}

func newService(c *api.Call, in *ecs.CreateServiceInput, cl *Cluster, td *TaskDef) types.Service {
	clName := aws.ToString(cl.C.ClusterName)
	s := types.Service{
		ServiceArn: aws.String(c.ARN("ecs", "service/"+clName+"/"+aws.ToString(in.ServiceName))), ServiceName: in.ServiceName,
		ClusterArn: cl.C.ClusterArn, Status: aws.String(statusActive), DesiredCount: aws.ToInt32(in.DesiredCount),
		LaunchType: in.LaunchType, TaskDefinition: td.D.TaskDefinitionArn, LoadBalancers: nonNil(in.LoadBalancers),
		ServiceRegistries: nonNil(in.ServiceRegistries), NetworkConfiguration: withPublicIPDefault(in.NetworkConfiguration),
		DeploymentConfiguration: deploymentConfig(in.DeploymentConfiguration), DeploymentController: in.DeploymentController,
		SchedulingStrategy: types.SchedulingStrategyReplica, CreatedAt: aws.Time(c.Now), CreatedBy: aws.String("arn:aws:iam::" + c.AccountID + ":root"),
		PropagateTags: in.PropagateTags, EnableECSManagedTags: in.EnableECSManagedTags, EnableExecuteCommand: in.EnableExecuteCommand,
		HealthCheckGracePeriodSeconds: in.HealthCheckGracePeriodSeconds, Tags: in.Tags, Events: []types.ServiceEvent{},
		PlacementConstraints: nonNil(in.PlacementConstraints), PlacementStrategy: nonNil(in.PlacementStrategy),
		AvailabilityZoneRebalancing: types.AvailabilityZoneRebalancingEnabled,
	}
	if s.PropagateTags == "" {
		s.PropagateTags = types.PropagateTagsNone
	}
	if s.DeploymentController == nil {
		s.DeploymentController = &types.DeploymentController{Type: types.DeploymentControllerTypeEcs}
	}
	if in.LaunchType == types.LaunchTypeFargate {
		s.PlatformVersion, s.PlatformFamily = aws.String("LATEST"), aws.String("Linux")
	}
	if len(in.LoadBalancers) > 0 {
		s.RoleArn = aws.String("arn:aws:iam::" + c.AccountID + ":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS")
		if s.HealthCheckGracePeriodSeconds == nil {
			s.HealthCheckGracePeriodSeconds = aws.Int32(0)
		}
	}
	return s
}

// withPublicIPDefault fills assignPublicIp with its default, DISABLED.
func withPublicIPDefault(nc *types.NetworkConfiguration) *types.NetworkConfiguration {
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return nc
	}
	cfg := *nc.AwsvpcConfiguration
	if cfg.AssignPublicIp == "" {
		cfg.AssignPublicIp = types.AssignPublicIpDisabled
	}
	if cfg.SecurityGroups == nil {
		cfg.SecurityGroups = []string{}
	}
	return &types.NetworkConfiguration{AwsvpcConfiguration: &cfg}
}

// deploymentConfig fills the defaults ECS reports: 200 % maximum, 100 %
// minimum healthy, circuit breaker off, rolling strategy.
func deploymentConfig(in *types.DeploymentConfiguration) *types.DeploymentConfiguration {
	out := types.DeploymentConfiguration{}
	if in != nil {
		out = *in
	}
	if out.MaximumPercent == nil {
		out.MaximumPercent = aws.Int32(200)
	}
	if out.MinimumHealthyPercent == nil {
		out.MinimumHealthyPercent = aws.Int32(100)
	}
	if out.DeploymentCircuitBreaker == nil {
		out.DeploymentCircuitBreaker = &types.DeploymentCircuitBreaker{}
	}
	if out.Strategy == "" {
		out.Strategy = types.DeploymentStrategyRolling
	}
	return &out
}

// deploy starts a deployment of the task definition: the new one is
// PRIMARY and in progress, the previous ones stay ACTIVE until the
// scheduler retires them.
func (sv *ServiceRecord) deploy(now time.Time, taskDefinition *string) {
	for i := range sv.S.Deployments {
		sv.S.Deployments[i].Status = aws.String(statusActive)
	}
	d := types.Deployment{
		Id: aws.String("ecs-svc/" + digits(19)), Status: aws.String(statusPrimary), TaskDefinition: taskDefinition,
		DesiredCount: sv.S.DesiredCount, LaunchType: sv.S.LaunchType,
		NetworkConfiguration: sv.S.NetworkConfiguration, CreatedAt: aws.Time(now), UpdatedAt: aws.Time(now),
		RolloutState: types.DeploymentRolloutStateInProgress, RolloutStateReason: aws.String("ECS deployment " + "in progress."),
	}
	if sv.S.LaunchType == types.LaunchTypeFargate {
		d.PlatformVersion, d.PlatformFamily = aws.String(fargatePlatform), aws.String("Linux")
	}
	sv.S.Deployments = append([]types.Deployment{d}, sv.S.Deployments...)
	sv.S.TaskDefinition = taskDefinition
	sv.Since = now
}

// digits returns n random decimal digits.
func digits(n int) string {
	hex := api.RandomHex(n)
	b := []byte(hex)
	for i, ch := range b {
		b[i] = '0' + byte(strings.IndexByte("0123456789abcdef", ch)%10)
	}
	return string(b)
}

// view is the service as outputs show it; tags only when asked for.
func (sv *ServiceRecord) view(withTags bool) *types.Service {
	v := sv.S
	v.Tags = nil
	if withTags {
		v.Tags = nonNil(slices.Clone(sv.S.Tags))
	}
	return &v
}

// findService returns the referenced service (name or ARN) of the
// referenced cluster, whatever its status.
func findService(c *api.Call, clusterRef, serviceRef *string) (*ServiceRecord, error) {
	cl, err := activeCluster(c, clusterRef)
	if err != nil {
		return nil, err
	}
	name := aws.ToString(serviceRef)
	if i := strings.LastIndex(name, "/"); i >= 0 && strings.HasPrefix(name, "arn:") {
		name = name[i+1:]
	}
	sv, ok := region(c).Services[aws.ToString(cl.C.ClusterName)][name]
	if !ok {
		return nil, api.Errorf(codeServiceNotFound, "Service not found.")
	}
	return sv, nil
}

func describeServices(c *api.Call, in *ecs.DescribeServicesInput) (*ecs.DescribeServicesOutput, error) {
	withTags := slices.Contains(in.Include, types.ServiceFieldTags)
	found, failures, err := describeEach(c, in.Cluster, in.Services, "service", 10, func(_ *Cluster, ref string) (types.Service, bool) {
		sv, err := findService(c, in.Cluster, &ref)
		if err != nil {
			return types.Service{}, false
		}
		return *sv.view(withTags), true
	})
	if err != nil {
		return nil, err
	}
	return &ecs.DescribeServicesOutput{Services: found, Failures: failures}, nil
}

// describeEach resolves the references (names, ids or ARNs) of a Describe
// call in the referenced cluster: 1 to max of them, each found one through
// find, the others as MISSING failures naming their ARN (of kind
// "service" or "task").
func describeEach[T any](c *api.Call, clusterRef *string, refs []string, kind string, max int, find func(*Cluster, string) (T, bool)) ([]T, []types.Failure, error) {
	if len(refs) == 0 || len(refs) > max {
		return nil, nil, api.Errorf(codeInvalidParam, "%ss cannot be empty and can have at most %d elements.", strings.ToUpper(kind[:1])+kind[1:], max)
	}
	cl, err := activeCluster(c, clusterRef)
	if err != nil {
		return nil, nil, err
	}
	found, failures := []T{}, []types.Failure{}
	for _, ref := range refs {
		if v, ok := find(cl, ref); ok {
			found = append(found, v)
			continue
		}
		arn := ref
		if !strings.HasPrefix(ref, "arn:") {
			arn = c.ARN("ecs", kind+"/"+aws.ToString(cl.C.ClusterName)+"/"+ref)
		}
		failures = append(failures, types.Failure{Arn: aws.String(arn), Reason: aws.String("MISSING")})
	}
	return found, failures, nil
}

func updateService(c *api.Call, in *ecs.UpdateServiceInput) (*ecs.UpdateServiceOutput, error) {
	sv, err := findService(c, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	if aws.ToString(sv.S.Status) != statusActive {
		return nil, api.Errorf(codeServiceNotActive, "Service was not ACTIVE.")
	}
	td, err := currentTaskDef(c, sv, in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	if err := checkUpdate(c, in, td); err != nil {
		return nil, err
	}
	if in.NetworkConfiguration != nil {
		sv.Subnets = subnets(c, in.NetworkConfiguration)
	}
	changed := applyUpdate(sv, in, td)
	if changed || in.ForceNewDeployment {
		sv.deploy(c.Now, td.D.TaskDefinitionArn)
	}
	reschedule(c, sv)
	return &ecs.UpdateServiceOutput{Service: sv.view(false)}, nil
}

func currentTaskDef(c *api.Call, sv *ServiceRecord, ref *string) (*TaskDef, error) {
	if ref == nil {
		ref = sv.S.TaskDefinition
	}
	td, err := findTaskDef(c, *ref)
	if err != nil {
		return nil, api.Errorf(codeInvalidParam, "TaskDefinition not found.")
	}
	return td, nil
}

func checkUpdate(c *api.Call, in *ecs.UpdateServiceInput, td *TaskDef) error {
	if in.DesiredCount != nil && *in.DesiredCount < 0 {
		return api.Errorf(codeInvalidParam, "desiredCount must be greater than or equal to 0.")
	}
	if in.NetworkConfiguration != nil {
		if err := checkNetwork(c, in.NetworkConfiguration); err != nil {
			return err
		}
	}
	if err := checkLoadBalancers(c, in.LoadBalancers, td); err != nil {
		return err
	}
	return checkRegistries(c, in.ServiceRegistries)
}

// applyUpdate changes the service; it reports whether the change needs a
// new deployment (a desired count change alone scales the current one).
func applyUpdate(sv *ServiceRecord, in *ecs.UpdateServiceInput, td *TaskDef) bool {
	deploy := aws.ToString(td.D.TaskDefinitionArn) != aws.ToString(sv.S.TaskDefinition)
	if in.DesiredCount != nil {
		sv.S.DesiredCount = *in.DesiredCount
	}
	if in.NetworkConfiguration != nil {
		sv.S.NetworkConfiguration = withPublicIPDefault(in.NetworkConfiguration)
		deploy = true
	}
	if in.DeploymentConfiguration != nil {
		sv.S.DeploymentConfiguration = deploymentConfig(in.DeploymentConfiguration)
	}
	if in.LoadBalancers != nil {
		sv.S.LoadBalancers = in.LoadBalancers
		deploy = true
	}
	if in.ServiceRegistries != nil {
		sv.S.ServiceRegistries = in.ServiceRegistries
		deploy = true
	}
	if in.HealthCheckGracePeriodSeconds != nil {
		sv.S.HealthCheckGracePeriodSeconds = in.HealthCheckGracePeriodSeconds
	}
	if in.PropagateTags != "" {
		sv.S.PropagateTags = in.PropagateTags
	}
	if in.EnableExecuteCommand != nil {
		sv.S.EnableExecuteCommand = *in.EnableExecuteCommand
	}
	if in.EnableECSManagedTags != nil {
		sv.S.EnableECSManagedTags = *in.EnableECSManagedTags
	}
	return deploy
}

func deleteService(c *api.Call, in *ecs.DeleteServiceInput) (*ecs.DeleteServiceOutput, error) {
	sv, err := findService(c, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	if aws.ToString(sv.S.Status) != statusActive {
		return nil, api.Errorf(codeServiceNotActive, "Service was not ACTIVE.")
	}
	if sv.S.DesiredCount > 0 && !aws.ToBool(in.Force) {
		return nil, api.Errorf(codeInvalidParam, "The service cannot be stopped while it is scaled above 0.")
	}
	sv.S.Status = aws.String(statusDraining)
	sv.S.DesiredCount = 0
	for i := range sv.S.Deployments {
		sv.S.Deployments[i].DesiredCount = 0
	}
	sv.Since = c.Now
	reschedule(c, sv)
	return &ecs.DeleteServiceOutput{Service: sv.view(false)}, nil
}

func listServices(c *api.Call, in *ecs.ListServicesInput) (*ecs.ListServicesOutput, error) {
	cl, err := activeCluster(c, in.Cluster)
	if err != nil {
		return nil, err
	}
	var arns []string
	for _, sv := range region(c).Services[aws.ToString(cl.C.ClusterName)] {
		if aws.ToString(sv.S.Status) == statusInactive || (in.LaunchType != "" && in.LaunchType != sv.S.LaunchType) {
			continue
		}
		arns = append(arns, aws.ToString(sv.S.ServiceArn))
	}
	sort.Strings(arns)
	list, next, err := window(arns, in.MaxResults, in.NextToken, 10)
	if err != nil {
		return nil, err
	}
	return &ecs.ListServicesOutput{ServiceArns: list, NextToken: next}, nil
}
