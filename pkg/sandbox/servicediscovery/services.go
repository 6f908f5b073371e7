package servicediscovery

//lint:file-ignore SA1019 AWS still accepts DnsConfig.NamespaceId and reports FailureThreshold, so the emulation must too.
import (
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

func createService(c *api.Call, in *sd.CreateServiceInput) (*sd.CreateServiceOutput, error) {
	name := aws.ToString(in.Name)
	if name == "" || len(name) > 127 || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
		return nil, api.Errorf(codeInvalidInput, "Service name '%s' is not valid.", name)
	}
	r := region(c)
	nsID := aws.ToString(in.NamespaceId)
	if nsID == "" && in.DnsConfig != nil {
		nsID = aws.ToString(in.DnsConfig.NamespaceId)
	}
	ns, err := r.findNamespace(nsID)
	if err != nil {
		return nil, err
	}
	if err := checkDNSConfig(in.DnsConfig); err != nil {
		return nil, err
	}
	if in.HealthCheckConfig != nil && in.HealthCheckCustomConfig != nil {
		return nil, api.Errorf(codeInvalidInput, "HealthCheckConfig and HealthCheckCustomConfig cannot both be specified.")
	}
	for _, sv := range r.Services {
		if aws.ToString(sv.S.NamespaceId) != nsID || !strings.EqualFold(aws.ToString(sv.S.Name), name) {
			continue
		}
		if in.CreatorRequestId != nil && aws.ToString(sv.S.CreatorRequestId) == *in.CreatorRequestId {
			out := sv.S
			return &sd.CreateServiceOutput{Service: &out}, nil
		}
		return nil, &api.Error{Code: codeServiceExists, Message: "Service " + name + " already exists in namespace " + nsID + " (" + aws.ToString(sv.S.Id) + ")."}
	}
	sv := newService(c, in, ns)
	r.Services[aws.ToString(sv.S.Id)] = sv
	out := sv.S
	return &sd.CreateServiceOutput{Service: &out}, nil
}

func newService(c *api.Call, in *sd.CreateServiceInput, ns *Namespace) *ServiceRecord {
	id := newID("srv-")
	s := types.Service{
		Id: aws.String(id), Arn: aws.String(c.ARN("servicediscovery", "service/"+id)), Name: in.Name, NamespaceId: ns.N.Id,
		Description: in.Description, CreateDate: aws.Time(c.Now), CreatorRequestId: in.CreatorRequestId,
		HealthCheckConfig: in.HealthCheckConfig, HealthCheckCustomConfig: in.HealthCheckCustomConfig,
		ResourceOwner: aws.String(c.AccountID), CreatedByAccount: aws.String(c.AccountID), Type: types.ServiceTypeDnsHttp,
	}
	if in.Type == types.ServiceTypeOptionHttp || in.DnsConfig == nil {
		s.Type = types.ServiceTypeHttp
	}
	if in.DnsConfig != nil {
		dc := *in.DnsConfig
		dc.NamespaceId = ns.N.Id
		if dc.RoutingPolicy == "" {
			dc.RoutingPolicy = types.RoutingPolicyMultivalue
		}
		s.DnsConfig = &dc
	}
	if cfg := s.HealthCheckCustomConfig; cfg != nil && cfg.FailureThreshold == nil {
		s.HealthCheckCustomConfig = &types.HealthCheckCustomConfig{FailureThreshold: aws.Int32(1)}
	}
	return &ServiceRecord{S: s, Tags: in.Tags}
}

func checkDNSConfig(dc *types.DnsConfig) error {
	if dc == nil {
		return nil
	}
	if len(dc.DnsRecords) == 0 {
		return api.Errorf(codeInvalidInput, "DnsRecords must contain at least one record.")
	}
	for _, rec := range dc.DnsRecords {
		if rec.TTL == nil || *rec.TTL < 0 || *rec.TTL > 2147483647 {
			return api.Errorf(codeInvalidInput, "Each DNS record needs a TTL between 0 and 2147483647.")
		}
	}
	return nil
}

// findService returns a service by id or ARN.
func (r *Region) findService(ref string) (*ServiceRecord, error) {
	id := ref[strings.LastIndex(ref, "/")+1:]
	sv, ok := r.Services[id]
	if !ok {
		return nil, api.Errorf(codeServiceNotFound, "Service not found: %s", ref)
	}
	return sv, nil
}

func getService(c *api.Call, in *sd.GetServiceInput) (*sd.GetServiceOutput, error) {
	sv, err := region(c).findService(aws.ToString(in.Id))
	if err != nil {
		return nil, err
	}
	out := sv.S
	out.InstanceCount = aws.Int32(instanceCount(c, sv))
	return &sd.GetServiceOutput{Service: &out}, nil
}

func listServices(c *api.Call, in *sd.ListServicesInput) (*sd.ListServicesOutput, error) {
	r := region(c)
	var found []*ServiceRecord
	for _, sv := range r.Services {
		ok, err := serviceMatches(sv, in.Filters)
		if err != nil {
			return nil, err
		}
		if ok {
			found = append(found, sv)
		}
	}
	sort.Slice(found, func(i, j int) bool { return aws.ToString(found[i].S.Id) < aws.ToString(found[j].S.Id) })
	list, next, err := page.Of(found, in.NextToken, in.MaxResults, paging)
	if err != nil {
		return nil, err
	}
	out := &sd.ListServicesOutput{Services: []types.ServiceSummary{}, NextToken: next}
	for _, sv := range list {
		s := sv.S
		out.Services = append(out.Services, types.ServiceSummary{
			Id: s.Id, Arn: s.Arn, Name: s.Name, Type: s.Type, Description: s.Description, CreateDate: s.CreateDate,
			DnsConfig: s.DnsConfig, HealthCheckConfig: s.HealthCheckConfig, HealthCheckCustomConfig: s.HealthCheckCustomConfig,
			InstanceCount: aws.Int32(instanceCount(c, sv)), ResourceOwner: s.ResourceOwner, CreatedByAccount: s.CreatedByAccount,
		})
	}
	return out, nil
}

// serviceMatches applies the NAMESPACE_ID filter (the one AWS supports,
// besides RESOURCE_OWNER).
func serviceMatches(sv *ServiceRecord, filters []types.ServiceFilter) (bool, error) {
	for _, f := range filters {
		var value string
		switch f.Name {
		case types.ServiceFilterNameNamespaceId:
			value = aws.ToString(sv.S.NamespaceId)
		case types.ServiceFilterNameResourceOwner:
			value = "SELF"
		default:
			return false, api.Errorf(codeInvalidInput, "Unsupported filter name %s.", f.Name)
		}
		ok, err := condition(f.Condition, value, f.Values)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func updateService(c *api.Call, in *sd.UpdateServiceInput) (*sd.UpdateServiceOutput, error) {
	r := region(c)
	sv, err := r.findService(aws.ToString(in.Id))
	if err != nil {
		return nil, err
	}
	ch := in.Service
	if ch == nil {
		return nil, api.Errorf(codeInvalidInput, "Service must be specified.")
	}
	if ch.DnsConfig != nil {
		if sv.S.DnsConfig == nil {
			return nil, api.Errorf(codeInvalidInput, "The service has no DNS configuration to change.")
		}
		dc := *sv.S.DnsConfig
		dc.DnsRecords = ch.DnsConfig.DnsRecords
		if err := checkDNSConfig(&dc); err != nil {
			return nil, err
		}
		sv.S.DnsConfig = &dc
	}
	if ch.Description != nil {
		sv.S.Description = ch.Description
	}
	if ch.HealthCheckConfig != nil {
		sv.S.HealthCheckConfig = ch.HealthCheckConfig
	}
	op := r.newOperation(c, types.OperationTypeUpdateService, types.OperationTargetTypeService, aws.ToString(sv.S.Id))
	return &sd.UpdateServiceOutput{OperationId: op.Id}, nil
}

func deleteService(c *api.Call, in *sd.DeleteServiceInput) (*sd.DeleteServiceOutput, error) {
	r := region(c)
	sv, err := r.findService(aws.ToString(in.Id))
	if err != nil {
		return nil, err
	}
	if n := instanceCount(c, sv); n > 0 {
		return nil, api.Errorf(codeInUse, "Service %s has %d registered instances; deregister them (stop the ECS tasks) before deleting the service.", aws.ToString(sv.S.Id), n)
	}
	delete(r.Services, aws.ToString(sv.S.Id))
	return &sd.DeleteServiceOutput{}, nil
}
