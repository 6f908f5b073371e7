package compute

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ServiceHandler manages the ECS service running Keycloak. Props: name,
// cluster (ARN), task_definition (ARN), desired_count, launch_type,
// subnets, security_groups, assign_public_ip, target_group_arn,
// container_name, container_port, registry_arn (dns-ping only),
// circuit_breaker_rollback, propagate_tags, health_check_grace_period.
// Its tags are changed in place (SetTags); the aws:ecs:* tags ECS manages
// are left to ECS.
type ServiceHandler struct{ clients.Base[ECSAPI] }

var (
	_ resource.Handler = (*ServiceHandler)(nil)
	_ resource.Tagger  = (*ServiceHandler)(nil)
)

// Props of an ECS service.
const (
	propServiceName           = "name"
	propServiceCluster        = "cluster"
	propServiceTaskDefinition = "task_definition"
	propServiceDesiredCount   = "desired_count"
	propServiceLaunchType     = "launch_type"
	propServiceSubnets        = "subnets"
	propServiceSecurityGroups = "security_groups"
	propServicePublicIP       = "assign_public_ip"
	propServiceTargetGroupARN = "target_group_arn"
	propServiceContainerName  = "container_name"
	propServiceContainerPort  = "container_port"
	propServiceRegistryARN    = "registry_arn"
	propServiceRollback       = "circuit_breaker_rollback"
	propServicePropagateTags  = "propagate_tags"
	propServiceGracePeriod    = "health_check_grace_period"
)

// serviceDescriptor declares ecs:service. The service refers to
// everything it runs with, so it is deleted first: its cluster, task
// definition, target group and Cloud Map service wait for it.
var serviceDescriptor = resource.Descriptor{
	Kind:         resource.KindECSService,
	TaggingTypes: []string{"ecs:service"},
	References: []resource.Reference{
		{Prop: propServiceCluster, Kind: resource.KindECSCluster, Attr: attrARN},
		{Prop: propServiceTaskDefinition, Kind: resource.KindECSTaskDefinition, Attr: attrMatchingARN, InPlace: true},
		{Prop: propServiceSubnets, Kind: resource.KindSubnet, Attr: "id"},
		{Prop: propServiceSecurityGroups, Kind: resource.KindSecurityGroup, Attr: "id"},
		{Prop: propServiceTargetGroupARN, Kind: resource.KindTargetGroup, Attr: attrARN},
		{Prop: propServiceRegistryARN, Kind: resource.KindDiscoveryService, Attr: attrARN},
	},
	Fields: resource.Fields{
		propServiceName:       {ForcesReplace: true, Reason: "an ECS service cannot be renamed"},
		propServiceCluster:    {ForcesReplace: true, Reason: "an ECS service cannot move to another cluster"},
		propServiceLaunchType: {ForcesReplace: true, Reason: "an ECS service's launch type cannot change"},
	},
	DataLoss: resource.NoDataLoss,
	// CreateService carries a client token derived from the stack and
	// address.
	Create: resource.Creation{Operations: []string{"CreateService"}, Idempotent: true},
}

// service is an ECS service as desired.
type service struct {
	name, cluster, taskDefinition, launchType, propagateTags string
	desiredCount, gracePeriod                                int64
	network                                                  *types.NetworkConfiguration
	loadBalancers                                            []types.LoadBalancer
	registries                                               []types.ServiceRegistry
	deployment                                               *types.DeploymentConfiguration
}

// readService reads the desired service of d.
func readService(d resource.Desired) (service, error) {
	r := resource.Read(d.Props)
	s := service{
		name: r.String(propServiceName), cluster: r.String(propServiceCluster), taskDefinition: r.String(propServiceTaskDefinition),
		launchType: r.String(propServiceLaunchType), propagateTags: r.String(propServicePropagateTags),
		desiredCount: r.Int(propServiceDesiredCount), gracePeriod: r.OptInt(propServiceGracePeriod),
		network: networkConfiguration(r), loadBalancers: loadBalancers(r), registries: serviceRegistries(r),
		deployment: deploymentConfiguration(r),
	}
	if err := r.Err(); err != nil {
		return service{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	return s, nil
}

// Create makes the service, tagged at creation (tags propagated to its
// tasks). CreateService is idempotent with the same client token.
func (h *ServiceHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	s, err := readService(d)
	if err != nil {
		return resource.Observation{}, err
	}
	out, err := h.API.CreateService(ctx, &ecs.CreateServiceInput{
		ServiceName: aws.String(s.name), Cluster: aws.String(s.cluster),
		TaskDefinition: aws.String(s.taskDefinition), DesiredCount: aws.Int32(int32(s.desiredCount)),
		LaunchType: types.LaunchType(s.launchType), NetworkConfiguration: s.network,
		LoadBalancers: s.loadBalancers, ServiceRegistries: s.registries, DeploymentConfiguration: s.deployment,
		HealthCheckGracePeriodSeconds: gracePeriod(s.gracePeriod), PropagateTags: types.PropagateTags(s.propagateTags),
		EnableECSManagedTags: true, Tags: ecsTags(d.Tags), ClientToken: aws.String(clientToken(h.Stack, d.Address)),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create ECS service %s: %w", s.name, err)
	}
	created := *out.Service
	created.Tags = ecsTags(d.Tags)
	return serviceObservation(created, d.Address, h.Stack), nil
}

// Update moves the service to the desired task definition, count, network,
// load balancer, registries and deployment settings in one UpdateService.
func (h *ServiceHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	s, err := readService(d)
	if err != nil {
		return resource.Observation{}, err
	}
	have := resource.Read(o.Props)
	name, cluster := have.String(propServiceName), have.String(propServiceCluster)
	if err := have.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: observed %w", o.Address, err)
	}
	out, err := h.API.UpdateService(ctx, &ecs.UpdateServiceInput{
		Service: aws.String(name), Cluster: aws.String(cluster),
		TaskDefinition: aws.String(s.taskDefinition), DesiredCount: aws.Int32(int32(s.desiredCount)),
		NetworkConfiguration: s.network, LoadBalancers: s.loadBalancers, ServiceRegistries: s.registries,
		DeploymentConfiguration: s.deployment, HealthCheckGracePeriodSeconds: gracePeriod(s.gracePeriod),
		PropagateTags: types.PropagateTags(s.propagateTags), EnableECSManagedTags: aws.Bool(true),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("update ECS service %s: %w", o.ID, err)
	}
	updated := *out.Service
	updated.Tags = ecsTags(o.Tags)
	return serviceObservation(updated, d.Address, h.Stack), nil
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
	r := resource.Read(o.Props)
	cluster := r.OptString(propServiceCluster)
	if err := r.Err(); err != nil {
		return fmt.Errorf("%s: observed %w", o.Address, err)
	}
	_, err := h.API.DeleteService(ctx, &ecs.DeleteServiceInput{Service: aws.String(o.ID), Cluster: aws.String(cluster), Force: aws.Bool(true)})
	switch {
	case err == nil:
	case awserr.Is(err, "ServiceNotFoundException", "ClusterNotFoundException", "ServiceNotActiveException"):
		return nil
	default:
		return fmt.Errorf("delete ECS service %s: %w", o.ID, err)
	}
	return h.UntilDeleted(ctx, "ECS service "+o.ID+" to stop", func(ctx context.Context) (bool, string, error) {
		out, err := h.API.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{o.ID}})
		if awserr.Is(err, "ClusterNotFoundException") {
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

func networkConfiguration(r *resource.Reader) *types.NetworkConfiguration {
	public := types.AssignPublicIpDisabled
	if r.Bool(propServicePublicIP) {
		public = types.AssignPublicIpEnabled
	}
	return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
		Subnets: r.Strings(propServiceSubnets), SecurityGroups: r.Strings(propServiceSecurityGroups), AssignPublicIp: public,
	}}
}

func loadBalancers(r *resource.Reader) []types.LoadBalancer {
	tg := r.OptString(propServiceTargetGroupARN)
	if tg == "" {
		return nil
	}
	return []types.LoadBalancer{{TargetGroupArn: aws.String(tg), ContainerName: aws.String(r.String(propServiceContainerName)),
		ContainerPort: aws.Int32(int32(r.Int(propServiceContainerPort)))}}
}

func serviceRegistries(r *resource.Reader) []types.ServiceRegistry {
	arn := r.OptString(propServiceRegistryARN)
	if arn == "" {
		return []types.ServiceRegistry{}
	}
	return []types.ServiceRegistry{{RegistryArn: aws.String(arn)}}
}

func deploymentConfiguration(r *resource.Reader) *types.DeploymentConfiguration {
	on := r.OptBool(propServiceRollback)
	return &types.DeploymentConfiguration{
		DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: on, Rollback: on},
		MinimumHealthyPercent:    aws.Int32(100), MaximumPercent: aws.Int32(200),
	}
}

func gracePeriod(seconds int64) *int32 {
	if seconds > 0 {
		return aws.Int32(int32(seconds))
	}
	return nil
}

func serviceObservation(s types.Service, address, stack string) resource.Observation {
	props := resource.Props{
		propServiceName: aws.ToString(s.ServiceName), propServiceCluster: aws.ToString(s.ClusterArn), propServiceTaskDefinition: aws.ToString(s.TaskDefinition),
		propServiceDesiredCount: int64(s.DesiredCount), propServiceLaunchType: string(s.LaunchType), propServicePropagateTags: string(s.PropagateTags),
		propServiceGracePeriod: int64(aws.ToInt32(s.HealthCheckGracePeriodSeconds)),
	}
	if n := s.NetworkConfiguration; n != nil && n.AwsvpcConfiguration != nil {
		props[propServiceSubnets] = resource.List(n.AwsvpcConfiguration.Subnets)
		props[propServiceSecurityGroups] = resource.List(n.AwsvpcConfiguration.SecurityGroups)
		props[propServicePublicIP] = n.AwsvpcConfiguration.AssignPublicIp == types.AssignPublicIpEnabled
	}
	for _, lb := range s.LoadBalancers {
		props[propServiceTargetGroupARN] = aws.ToString(lb.TargetGroupArn)
		props[propServiceContainerName] = aws.ToString(lb.ContainerName)
		props[propServiceContainerPort] = int64(aws.ToInt32(lb.ContainerPort))
	}
	for _, r := range s.ServiceRegistries {
		props[propServiceRegistryARN] = aws.ToString(r.RegistryArn)
	}
	if dc := s.DeploymentConfiguration; dc != nil && dc.DeploymentCircuitBreaker != nil {
		props[propServiceRollback] = dc.DeploymentCircuitBreaker.Enable && dc.DeploymentCircuitBreaker.Rollback
	}
	arn := aws.ToString(s.ServiceArn)
	return ownership.Observed(resource.KindECSService, address, arn, stack, ecsTagMap(s.Tags), props,
		map[string]string{attrARN: arn, attrName: aws.ToString(s.ServiceName), "status": aws.ToString(s.Status)})
}
