package servicediscovery

import (
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

// Instances. The sandbox registers none of its own (no RegisterInstance):
// a service's instances are the ECS tasks of the ECS services that
// register into it, which the ECS state reports through api.Instances.

// instancesOf gathers the instances every other service registered in the
// Cloud Map service.
func instancesOf(c *api.Call, sv *ServiceRecord) []api.Instance {
	var out []api.Instance
	for _, name := range c.World.Services() {
		if src, ok := c.World.State(name).(api.Instances); ok {
			out = append(out, src.InstancesOf(c.Region, aws.ToString(sv.S.Arn))...)
		}
	}
	return out
}

func instanceCount(c *api.Call, sv *ServiceRecord) int32 { return int32(len(instancesOf(c, sv))) }

func listInstances(c *api.Call, in *sd.ListInstancesInput) (*sd.ListInstancesOutput, error) {
	sv, err := region(c).findService(aws.ToString(in.ServiceId))
	if err != nil {
		return nil, err
	}
	list, next, err := page.Of(instancesOf(c, sv), in.NextToken, in.MaxResults, paging)
	if err != nil {
		return nil, err
	}
	out := &sd.ListInstancesOutput{Instances: []types.InstanceSummary{}, NextToken: next, ResourceOwner: aws.String(c.AccountID)}
	for _, inst := range list {
		out.Instances = append(out.Instances, types.InstanceSummary{Id: aws.String(inst.ID), Attributes: maps.Clone(inst.Attributes), CreatedByAccount: aws.String(c.AccountID)})
	}
	return out, nil
}

func getInstance(c *api.Call, in *sd.GetInstanceInput) (*sd.GetInstanceOutput, error) {
	sv, err := region(c).findService(aws.ToString(in.ServiceId))
	if err != nil {
		return nil, err
	}
	for _, inst := range instancesOf(c, sv) {
		if inst.ID == aws.ToString(in.InstanceId) {
			return &sd.GetInstanceOutput{ResourceOwner: aws.String(c.AccountID), Instance: &types.Instance{
				Id: aws.String(inst.ID), Attributes: maps.Clone(inst.Attributes), CreatedByAccount: aws.String(c.AccountID),
			}}, nil
		}
	}
	return nil, instanceNotFound(aws.ToString(in.InstanceId))
}

func instanceNotFound(id string) error {
	return &api.Error{Code: "InstanceNotFound", Message: "No instance found with ID " + id + "."}
}

// deregisterInstance removes an instance; what registered it (an ECS
// task) goes on running and ECS does not register it again.
func deregisterInstance(c *api.Call, in *sd.DeregisterInstanceInput) (*sd.DeregisterInstanceOutput, error) {
	r := region(c)
	sv, err := r.findService(aws.ToString(in.ServiceId))
	if err != nil {
		return nil, err
	}
	id := aws.ToString(in.InstanceId)
	found := false
	for _, name := range c.World.Services() {
		if src, ok := c.World.State(name).(api.Instances); ok && src.DeregisterInstance(c.Region, aws.ToString(sv.S.Arn), id) {
			found = true
		}
	}
	if !found {
		return nil, instanceNotFound(id)
	}
	op := r.newOperation(c, types.OperationTypeDeregisterInstance, types.OperationTargetTypeInstance, id)
	op.Targets[string(types.OperationTargetTypeService)] = aws.ToString(sv.S.Id)
	return &sd.DeregisterInstanceOutput{OperationId: op.Id}, nil
}

// discoverInstances finds the instances of a service by namespace and
// service name, as DNS would: healthy ones unless HealthStatus says
// otherwise, matching every query parameter, and preferring those that
// match the optional parameters.
func discoverInstances(c *api.Call, in *sd.DiscoverInstancesInput) (*sd.DiscoverInstancesOutput, error) {
	r := region(c)
	ns := r.namespaceNamed(aws.ToString(in.NamespaceName))
	if ns == nil {
		return nil, api.Errorf(codeNSNotFound, "Namespace not found: %s", aws.ToString(in.NamespaceName))
	}
	sv := r.serviceNamed(aws.ToString(ns.N.Id), aws.ToString(in.ServiceName))
	if sv == nil {
		return nil, api.Errorf(codeServiceNotFound, "Service not found: %s", aws.ToString(in.ServiceName))
	}
	var found, preferred []types.HttpInstanceSummary
	for _, inst := range instancesOf(c, sv) {
		if !hasAll(inst.Attributes, in.QueryParameters) {
			continue
		}
		health := types.HealthStatusUnhealthy
		if inst.Healthy {
			health = types.HealthStatusHealthy
		}
		s := types.HttpInstanceSummary{InstanceId: aws.String(inst.ID), NamespaceName: ns.N.Name, ServiceName: sv.S.Name, HealthStatus: health, Attributes: maps.Clone(inst.Attributes)}
		found = append(found, s)
		if len(in.OptionalParameters) > 0 && hasAll(inst.Attributes, in.OptionalParameters) {
			preferred = append(preferred, s)
		}
	}
	if len(preferred) > 0 {
		found = preferred
	}
	found = byHealth(found, in.HealthStatus, sv.S.HealthCheckConfig != nil || sv.S.HealthCheckCustomConfig != nil)
	if n := int(aws.ToInt32(in.MaxResults)); n > 0 && len(found) > n {
		found = found[:n]
	}
	if found == nil {
		found = []types.HttpInstanceSummary{}
	}
	return &sd.DiscoverInstancesOutput{Instances: found, InstancesRevision: aws.Int64(int64(len(found)))}, nil
}

// byHealth applies the HealthStatus filter (HEALTHY when not given); a
// service without a health check returns every instance.
func byHealth(all []types.HttpInstanceSummary, filter types.HealthStatusFilter, checked bool) []types.HttpInstanceSummary {
	if !checked || filter == types.HealthStatusFilterAll {
		return all
	}
	want := types.HealthStatusHealthy
	if filter == types.HealthStatusFilterUnhealthy {
		want = types.HealthStatusUnhealthy
	}
	var out []types.HttpInstanceSummary
	for _, s := range all {
		if s.HealthStatus == want {
			out = append(out, s)
		}
	}
	if len(out) == 0 && filter == types.HealthStatusFilterHealthyOrElseAll {
		return all
	}
	return out
}

func hasAll(attrs, want map[string]string) bool {
	for k, v := range want {
		if attrs[k] != v {
			return false
		}
	}
	return true
}

func (r *Region) namespaceNamed(name string) *Namespace {
	for _, ns := range r.Namespaces {
		if ns.Ready && strings.EqualFold(aws.ToString(ns.N.Name), strings.TrimSuffix(name, ".")) {
			return ns
		}
	}
	return nil
}

func (r *Region) serviceNamed(namespaceID, name string) *ServiceRecord {
	for _, sv := range r.Services {
		if aws.ToString(sv.S.NamespaceId) == namespaceID && strings.EqualFold(aws.ToString(sv.S.Name), name) {
			return sv
		}
	}
	return nil
}
