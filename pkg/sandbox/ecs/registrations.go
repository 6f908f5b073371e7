package ecs

import (
	"sort"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// What ECS registers in other services: its running tasks as targets of
// the services' target groups (ELBv2 DescribeTargetHealth) and as
// instances of their Cloud Map services (ListInstances, DiscoverInstances).
// The tasks hold the registrations; those services only read them.

var (
	_ api.Targets   = (*State)(nil)
	_ api.Instances = (*State)(nil)
)

// TargetsOf returns the tasks in the target group ARN in region: every
// task that started and is not stopped yet, by address and port.
func (s *State) TargetsOf(region, targetGroupARN string) []api.Target {
	var out []api.Target
	s.eachTask(region, func(sv *ServiceRecord, t *TaskRecord) {
		if t.Health == "" || t.IP == "" {
			return
		}
		for _, lb := range sv.S.LoadBalancers {
			if aws.ToString(lb.TargetGroupArn) == targetGroupARN {
				out = append(out, api.Target{ID: t.IP, Port: aws.ToInt32(lb.ContainerPort), Zone: aws.ToString(t.T.AvailabilityZone), State: t.Health, Reason: t.Reason})
			}
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// InstancesOf returns the tasks registered in the Cloud Map service ARN in
// region: from the time they run until they stop, unless
// DeregisterInstance removed them.
func (s *State) InstancesOf(region, registryARN string) []api.Instance {
	var out []api.Instance
	s.eachTask(region, func(sv *ServiceRecord, t *TaskRecord) {
		if t.Health == "" || t.Deregistered {
			return
		}
		for _, reg := range sv.S.ServiceRegistries {
			if aws.ToString(reg.RegistryArn) == registryARN {
				out = append(out, api.Instance{ID: t.id(), Attributes: t.attributes(sv, region, reg.Port), Healthy: t.live() && t.Health != targetUnhealthy})
			}
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// DeregisterInstance removes the task id from the Cloud Map service: the
// task goes on running, no longer discoverable.
func (s *State) DeregisterInstance(region, registryARN, id string) bool {
	found := false
	for _, inst := range s.InstancesOf(region, registryARN) {
		found = found || inst.ID == id
	}
	if !found {
		return false
	}
	s.eachTask(region, func(_ *ServiceRecord, t *TaskRecord) {
		if t.id() == id {
			t.Deregistered = true
		}
	})
	return true
}

// eachTask calls fn for every task of every service in region that is not
// inactive.
func (s *State) eachTask(region string, fn func(*ServiceRecord, *TaskRecord)) {
	r := s.Regions[region]
	if r == nil {
		return
	}
	for _, svcs := range r.Services {
		for _, sv := range svcs {
			if aws.ToString(sv.S.Status) == statusInactive {
				continue
			}
			for _, t := range sv.Tasks {
				fn(sv, t)
			}
		}
	}
}

// attributes are the Cloud Map attributes ECS gives a task's instance.
func (t *TaskRecord) attributes(sv *ServiceRecord, region string, port *int32) map[string]string {
	a := map[string]string{
		"AWS_INIT_HEALTH_STATUS": "HEALTHY", "AVAILABILITY_ZONE": aws.ToString(t.T.AvailabilityZone), "REGION": region,
		"ECS_CLUSTER_NAME": clusterOfARN(aws.ToString(sv.S.ServiceArn)), "ECS_SERVICE_NAME": aws.ToString(sv.S.ServiceName),
		"ECS_TASK_DEFINITION_FAMILY": familyOfARN(aws.ToString(t.T.TaskDefinitionArn)),
	}
	if t.IP != "" {
		a["AWS_INSTANCE_IPV4"] = t.IP
	}
	if port != nil {
		a["AWS_INSTANCE_PORT"] = strconv.Itoa(int(*port))
	}
	return a
}
