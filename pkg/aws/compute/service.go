package compute

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ServiceHandler manages the ECS service running Keycloak. Props: name,
// cluster (ARN), task_definition (ARN), desired_count, launch_type,
// subnets, security_groups, assign_public_ip, target_group_arn,
// container_name, container_port, registry_arn (dns-ping only),
// circuit_breaker_rollback, propagate_tags, health_check_grace_period.
// Its tags are changed in place (SetTags); the aws:ecs:* tags ECS manages
// are left to ECS.
type ServiceHandler struct {
	API   ECSAPI
	Stack string
}

var (
	_ resource.Handler = (*ServiceHandler)(nil)
	_ resource.Tagger  = (*ServiceHandler)(nil)
)

// Kind is ecs:service.
func (h *ServiceHandler) Kind() resource.Kind { return resource.KindECSService }

// Diff compares the service; its name, cluster and launch type force
// replacement, everything else is an UpdateService.
func (h *ServiceHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{
		"name":        {ForcesReplace: true, Reason: "an ECS service cannot be renamed"},
		"cluster":     {ForcesReplace: true, Reason: "an ECS service cannot move to another cluster"},
		"launch_type": {ForcesReplace: true, Reason: "an ECS service's launch type cannot change"},
	}, d.Sensitive)
}

// Create makes the service, tagged at creation (tags propagated to its
// tasks). CreateService is idempotent with the same client token.
func (h *ServiceHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p := d.Props
	name := ownership.Str(p, "name")
	out, err := h.API.CreateService(ctx, &ecs.CreateServiceInput{
		ServiceName: aws.String(name), Cluster: aws.String(ownership.Str(p, "cluster")),
		TaskDefinition: aws.String(ownership.Str(p, "task_definition")), DesiredCount: aws.Int32(int32(ownership.Int(p, "desired_count"))),
		LaunchType: types.LaunchType(ownership.Str(p, "launch_type")), NetworkConfiguration: networkConfiguration(p),
		LoadBalancers: loadBalancers(p), ServiceRegistries: serviceRegistries(p), DeploymentConfiguration: deploymentConfiguration(p),
		HealthCheckGracePeriodSeconds: gracePeriod(p), PropagateTags: types.PropagateTags(ownership.Str(p, "propagate_tags")),
		EnableECSManagedTags: true, Tags: ecsTags(d.Tags), ClientToken: aws.String(clientToken(h.Stack, d.Address)),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create ECS service %s: %w", name, err)
	}
	s := *out.Service
	s.Tags = ecsTags(d.Tags)
	return serviceObservation(s, d.Address, h.Stack), nil
}

// Update moves the service to the desired task definition, count, network,
// load balancer, registries and deployment settings in one UpdateService.
func (h *ServiceHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	p := d.Props
	out, err := h.API.UpdateService(ctx, &ecs.UpdateServiceInput{
		Service: aws.String(ownership.Str(o.Props, "name")), Cluster: aws.String(ownership.Str(o.Props, "cluster")),
		TaskDefinition: aws.String(ownership.Str(p, "task_definition")), DesiredCount: aws.Int32(int32(ownership.Int(p, "desired_count"))),
		NetworkConfiguration: networkConfiguration(p), LoadBalancers: loadBalancers(p), ServiceRegistries: serviceRegistries(p),
		DeploymentConfiguration: deploymentConfiguration(p), HealthCheckGracePeriodSeconds: gracePeriod(p),
		PropagateTags: types.PropagateTags(ownership.Str(p, "propagate_tags")), EnableECSManagedTags: aws.Bool(true),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("update ECS service %s: %w", o.ID, err)
	}
	s := *out.Service
	s.Tags = ecsTags(o.Tags)
	return serviceObservation(s, d.Address, h.Stack), nil
}

// SetTags tags the service by its ARN (the observation's ID). Tasks
// already running keep the tags propagated when they started.
func (h *ServiceHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setECSTags(ctx, h.API, o.ID, set, remove)
}

// Delete stops the service's tasks and deletes it, waiting until it is
// inactive: its target group, Cloud Map service and cluster are deleted
// next. Not found is success.
func (h *ServiceHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	cluster := ownership.Str(o.Props, "cluster")
	_, err := h.API.DeleteService(ctx, &ecs.DeleteServiceInput{Service: aws.String(o.ID), Cluster: aws.String(cluster), Force: aws.Bool(true)})
	switch ownership.ErrorCode(err) {
	case "":
	case "ServiceNotFoundException", "ClusterNotFoundException", "ServiceNotActiveException":
		return nil
	default:
		return fmt.Errorf("delete ECS service %s: %w", o.ID, err)
	}
	return poll.Until(ctx, "ECS service "+o.ID+" to stop", deleteWait, func(ctx context.Context) (bool, string, error) {
		out, err := h.API.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{o.ID}})
		if ownership.ErrorCode(err) == "ClusterNotFoundException" {
			return true, "", nil
		}
		if err != nil {
			return false, "", fmt.Errorf("describe ECS service %s: %w", o.ID, err)
		}
		for _, s := range out.Services {
			if st := aws.ToString(s.Status); st != "INACTIVE" {
				return false, st, nil
			}
		}
		return true, "", nil
	})
}

func networkConfiguration(p resource.Props) *types.NetworkConfiguration {
	public := types.AssignPublicIpDisabled
	if ownership.Bool(p, "assign_public_ip") {
		public = types.AssignPublicIpEnabled
	}
	return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
		Subnets: ownership.Strings(p, "subnets"), SecurityGroups: ownership.Strings(p, "security_groups"), AssignPublicIp: public,
	}}
}

func loadBalancers(p resource.Props) []types.LoadBalancer {
	tg := ownership.Str(p, "target_group_arn")
	if tg == "" {
		return nil
	}
	return []types.LoadBalancer{{TargetGroupArn: aws.String(tg), ContainerName: aws.String(ownership.Str(p, "container_name")),
		ContainerPort: aws.Int32(int32(ownership.Int(p, "container_port")))}}
}

func serviceRegistries(p resource.Props) []types.ServiceRegistry {
	arn := ownership.Str(p, "registry_arn")
	if arn == "" {
		return []types.ServiceRegistry{}
	}
	return []types.ServiceRegistry{{RegistryArn: aws.String(arn)}}
}

func deploymentConfiguration(p resource.Props) *types.DeploymentConfiguration {
	on := ownership.Bool(p, "circuit_breaker_rollback")
	return &types.DeploymentConfiguration{
		DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: on, Rollback: on},
		MinimumHealthyPercent:    aws.Int32(100), MaximumPercent: aws.Int32(200),
	}
}

func gracePeriod(p resource.Props) *int32 {
	if s := ownership.Int(p, "health_check_grace_period"); s > 0 {
		return aws.Int32(int32(s))
	}
	return nil
}

func serviceObservation(s types.Service, address, stack string) resource.Observation {
	props := resource.Props{
		"name": aws.ToString(s.ServiceName), "cluster": aws.ToString(s.ClusterArn), "task_definition": aws.ToString(s.TaskDefinition),
		"desired_count": int64(s.DesiredCount), "launch_type": string(s.LaunchType), "propagate_tags": string(s.PropagateTags),
		"health_check_grace_period": int64(aws.ToInt32(s.HealthCheckGracePeriodSeconds)),
	}
	if n := s.NetworkConfiguration; n != nil && n.AwsvpcConfiguration != nil {
		props["subnets"] = ownership.List(n.AwsvpcConfiguration.Subnets)
		props["security_groups"] = ownership.List(n.AwsvpcConfiguration.SecurityGroups)
		props["assign_public_ip"] = n.AwsvpcConfiguration.AssignPublicIp == types.AssignPublicIpEnabled
	}
	for _, lb := range s.LoadBalancers {
		props["target_group_arn"] = aws.ToString(lb.TargetGroupArn)
		props["container_name"] = aws.ToString(lb.ContainerName)
		props["container_port"] = int64(aws.ToInt32(lb.ContainerPort))
	}
	for _, r := range s.ServiceRegistries {
		props["registry_arn"] = aws.ToString(r.RegistryArn)
	}
	if dc := s.DeploymentConfiguration; dc != nil && dc.DeploymentCircuitBreaker != nil {
		props["circuit_breaker_rollback"] = dc.DeploymentCircuitBreaker.Enable && dc.DeploymentCircuitBreaker.Rollback
	}
	arn := aws.ToString(s.ServiceArn)
	return ownership.Observed(resource.KindECSService, address, arn, stack, ecsTagMap(s.Tags), props,
		map[string]string{"arn": arn, "name": aws.ToString(s.ServiceName), "status": aws.ToString(s.Status)})
}
