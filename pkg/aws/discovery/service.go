package discovery

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ServiceHandler manages Cloud Map services with DNS records. Props: name,
// namespace_id, dns_ttl, record_type, routing_policy.
type ServiceHandler struct {
	API   CloudMapAPI
	Stack string
}

var (
	_ resource.Handler = (*ServiceHandler)(nil)
	_ resource.Tagger  = (*ServiceHandler)(nil)
)

// Kind is servicediscovery:service.
func (h *ServiceHandler) Kind() resource.Kind { return resource.KindDiscoveryService }

// Diff compares the service; the TTL changes in place, the rest forces
// replacement.
func (h *ServiceHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{
		"name":           {ForcesReplace: true, Reason: "a Cloud Map service cannot be renamed"},
		"namespace_id":   {ForcesReplace: true, Reason: "a Cloud Map service cannot move to another namespace"},
		"routing_policy": {ForcesReplace: true, Reason: "a Cloud Map service's routing policy is fixed at creation"},
		"record_type":    {ForcesReplace: true, Reason: "the DNS record type of a Cloud Map service is fixed at creation"},
	}, d.Sensitive)
}

// Create makes the service, tagged at creation, with a request id derived
// from the stack and address.
func (h *ServiceHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p := d.Props
	name := ownership.Str(p, "name")
	out, err := h.API.CreateService(ctx, &sd.CreateServiceInput{
		Name: aws.String(name), NamespaceId: aws.String(ownership.Str(p, "namespace_id")), DnsConfig: &types.DnsConfig{
			RoutingPolicy: types.RoutingPolicy(ownership.Str(p, "routing_policy")),
			DnsRecords:    []types.DnsRecord{{Type: types.RecordType(ownership.Str(p, "record_type")), TTL: aws.Int64(ownership.Int(p, "dns_ttl"))}},
		},
		// ECS reports task health; Cloud Map drops unhealthy tasks' records.
		HealthCheckCustomConfig: &types.HealthCheckCustomConfig{},
		Tags:                    sdTags(d.Tags), CreatorRequestId: aws.String(requestID(h.Stack, d.Address, ownership.Str(p, "namespace_id"))),
		Description: aws.String("kcstack " + d.Address),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create Cloud Map service %s: %w", name, err)
	}
	s := out.Service
	return serviceObservation(aws.ToString(s.Id), aws.ToString(s.Arn), name, ownership.Str(p, "namespace_id"), s.DnsConfig, d.Address, h.Stack, d.Tags), nil
}

// Update sets the TTL of the records and waits for the operation.
func (h *ServiceHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	ttl := ownership.Int(d.Props, "dns_ttl")
	out, err := h.API.UpdateService(ctx, &sd.UpdateServiceInput{Id: aws.String(o.ID), Service: &types.ServiceChange{
		DnsConfig: &types.DnsConfigChange{DnsRecords: []types.DnsRecord{{Type: types.RecordType(ownership.Str(d.Props, "record_type")), TTL: aws.Int64(ttl)}}},
	}})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("update Cloud Map service %s: %w", o.ID, err)
	}
	if _, err := waitOperation(ctx, h.API, aws.ToString(out.OperationId), types.OperationTargetTypeService); err != nil {
		return resource.Observation{}, fmt.Errorf("update Cloud Map service %s: %w", o.ID, err)
	}
	o.Address = d.Address
	o.Props = copyProps(o.Props)
	o.Props["dns_ttl"] = ttl
	return o, nil
}

// SetTags adds, changes and removes the service's tags.
func (h *ServiceHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setCloudMapTags(ctx, h.API, o, set, remove)
}

// Delete deletes the service once ECS has deregistered its tasks; not
// found is success.
func (h *ServiceHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return poll.Until(ctx, "Cloud Map service "+o.ID+" to lose its instances", deleteWait, func(ctx context.Context) (bool, string, error) {
		_, err := h.API.DeleteService(ctx, &sd.DeleteServiceInput{Id: aws.String(o.ID)})
		switch ownership.ErrorCode(err) {
		case "", "ServiceNotFound":
			return true, "", nil
		case "ResourceInUse":
			return false, err.Error(), nil
		}
		return false, "", fmt.Errorf("delete Cloud Map service %s: %w", o.ID, err)
	})
}

func serviceObservation(id, arn, name, namespace string, dns *types.DnsConfig, address, stack string, tags map[string]string) resource.Observation {
	props := resource.Props{"name": name, "namespace_id": namespace}
	if dns != nil {
		props["routing_policy"] = string(dns.RoutingPolicy)
		for _, r := range dns.DnsRecords {
			props["record_type"] = string(r.Type)
			props["dns_ttl"] = aws.ToInt64(r.TTL)
		}
	}
	return ownership.Observed(resource.KindDiscoveryService, address, id, stack, tags, props, map[string]string{"arn": arn, "name": name})
}

// listServices lists the services of namespace.
func listServices(ctx context.Context, api CloudMapAPI, namespace string) ([]types.ServiceSummary, error) {
	var out []types.ServiceSummary
	p := sd.NewListServicesPaginator(api, &sd.ListServicesInput{Filters: []types.ServiceFilter{{
		Name: types.ServiceFilterNameNamespaceId, Values: []string{namespace}, Condition: types.FilterConditionEq,
	}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list Cloud Map services of %s: %w", namespace, err)
		}
		out = append(out, page.Services...)
	}
	return out, nil
}
