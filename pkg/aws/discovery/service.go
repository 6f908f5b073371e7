package discovery

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ServiceHandler manages Cloud Map services with DNS records. Props: name,
// namespace_id, dns_ttl, record_type, routing_policy.
type ServiceHandler struct{ clients.Base[CloudMapAPI] }

var (
	_ resource.Handler = (*ServiceHandler)(nil)
	_ resource.Tagger  = (*ServiceHandler)(nil)
)

// Props of a Cloud Map service.
const (
	propServiceName          = "name"
	propServiceNamespaceID   = "namespace_id"
	propServiceDNSTTL        = "dns_ttl"
	propServiceRecordType    = "record_type"
	propServiceRoutingPolicy = "routing_policy"
)

// serviceDescriptor declares servicediscovery:service. A service is
// deleted after the ECS service registering tasks in it (its
// registry_arn) and before its namespace.
var serviceDescriptor = resource.Descriptor{
	Kind:         resource.KindDiscoveryService,
	TaggingTypes: []string{"servicediscovery:service"},
	References:   []resource.Reference{{Prop: propServiceNamespaceID, Kind: resource.KindDNSNamespace, Attr: "id"}},
	Fields: resource.Fields{
		propServiceName:          {ForcesReplace: true, Reason: "a Cloud Map service cannot be renamed"},
		propServiceNamespaceID:   {ForcesReplace: true, Reason: "a Cloud Map service cannot move to another namespace"},
		propServiceRoutingPolicy: {ForcesReplace: true, Reason: "a Cloud Map service's routing policy is fixed at creation"},
		propServiceRecordType:    {ForcesReplace: true, Reason: "the DNS record type of a Cloud Map service is fixed at creation"},
	},
	DataLoss: resource.NoDataLoss,
	// The creator request id, derived from the stack, address and
	// namespace, makes a retry answer the service the first call made; a
	// retry refused with ServiceAlreadyExists adopts the service when it
	// carries the stack's and address's tags.
	Create: resource.Creation{Operations: []string{"CreateService"}, Idempotent: true},
}

// Create makes the service, tagged at creation, with a request id derived
// from the stack and address.
func (h *ServiceHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	name, namespace, ttl := r.String(propServiceName), r.String(propServiceNamespaceID), r.Int(propServiceDNSTTL)
	routing, record := r.String(propServiceRoutingPolicy), r.String(propServiceRecordType)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	out, err := h.API.CreateService(ctx, &sd.CreateServiceInput{
		Name: aws.String(name), NamespaceId: aws.String(namespace), DnsConfig: &types.DnsConfig{
			RoutingPolicy: types.RoutingPolicy(routing),
			DnsRecords:    []types.DnsRecord{{Type: types.RecordType(record), TTL: aws.Int64(ttl)}},
		},
		// ECS reports task health; Cloud Map drops unhealthy tasks' records.
		HealthCheckCustomConfig: &types.HealthCheckCustomConfig{},
		Tags:                    sdTags(d.Tags), CreatorRequestId: aws.String(requestID(h.Stack, d.Address, namespace)),
		Description: aws.String("kcstack " + d.Address),
	})
	if awserr.Is(err, "ServiceAlreadyExists") {
		return h.adopt(ctx, d, name, namespace, err)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create Cloud Map service %s: %w", name, err)
	}
	s := out.Service
	return serviceObservation(aws.ToString(s.Id), aws.ToString(s.Arn), name, namespace, s.DnsConfig, d.Address, h.Stack, d.Tags), nil
}

// adopt takes over the service named name in namespace, which a create
// was refused for (ServiceAlreadyExists), when it carries this stack's and
// address's tags: an earlier call whose answer was lost made it (a Cloud
// Map that does not answer a retry by its creator request id). A service
// of that name that kcstack does not own for d.Address is the error.
func (h *ServiceHandler) adopt(ctx context.Context, d resource.Desired, name, namespace string, exists error) (resource.Observation, error) {
	svcs, err := listServices(ctx, h.API, namespace)
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create Cloud Map service %s: %w (and reading it: %w)", name, exists, err)
	}
	for _, s := range svcs {
		if !strings.EqualFold(aws.ToString(s.Name), name) {
			continue
		}
		tags, err := cloudMapTags(ctx, h.API, aws.ToString(s.Arn))
		if err != nil {
			return resource.Observation{}, fmt.Errorf("create Cloud Map service %s: %w (and reading it: %w)", name, exists, err)
		}
		if tags[resource.TagStack] != h.Stack || tags[resource.TagAddress] != d.Address {
			return resource.Observation{}, fmt.Errorf("create Cloud Map service %s: the name is taken in namespace %s by service %s, which kcstack does not own for %s; remove it or choose another serviceName: %w",
				name, namespace, aws.ToString(s.Id), d.Address, exists)
		}
		return serviceObservation(aws.ToString(s.Id), aws.ToString(s.Arn), aws.ToString(s.Name), namespace, s.DnsConfig, d.Address, h.Stack, tags), nil
	}
	return resource.Observation{}, fmt.Errorf("create Cloud Map service %s: %w, but namespace %s lists no service of that name; run kcstack apply again", name, exists, namespace)
}

// Update sets the TTL of the records and waits for the operation.
func (h *ServiceHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	r := resource.Read(d.Props)
	ttl, record := r.Int(propServiceDNSTTL), r.String(propServiceRecordType)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	out, err := h.API.UpdateService(ctx, &sd.UpdateServiceInput{Id: aws.String(o.ID), Service: &types.ServiceChange{
		DnsConfig: &types.DnsConfigChange{DnsRecords: []types.DnsRecord{{Type: types.RecordType(record), TTL: aws.Int64(ttl)}}},
	}})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("update Cloud Map service %s: %w", o.ID, err)
	}
	if _, err := waitOperation(ctx, h.API, aws.ToString(out.OperationId), types.OperationTargetTypeService, h.WaitOr(operationWait)); err != nil {
		return resource.Observation{}, fmt.Errorf("update Cloud Map service %s: %w", o.ID, err)
	}
	o.Address = d.Address
	o.Props = copyProps(o.Props)
	o.Props[propServiceDNSTTL] = ttl
	return o, nil
}

// SetTags adds, changes and removes the service's tags.
func (h *ServiceHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setCloudMapTags(ctx, h.API, o, set, remove)
}

// Delete deletes the service once ECS has deregistered its tasks; not
// found is success.
func (h *ServiceHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := clients.Refusals{Gone: []string{"ServiceNotFound"}, Busy: []string{"ResourceInUse"}}
	return h.DeleteWhenFree(ctx, "Cloud Map service", o.ID, "to lose its instances", r, func(ctx context.Context) error {
		_, err := h.API.DeleteService(ctx, &sd.DeleteServiceInput{Id: aws.String(o.ID)})
		return err
	})
}

func serviceObservation(id, arn, name, namespace string, dns *types.DnsConfig, address, stack string, tags map[string]string) resource.Observation {
	props := resource.Props{propServiceName: name, propServiceNamespaceID: namespace}
	if dns != nil {
		props[propServiceRoutingPolicy] = string(dns.RoutingPolicy)
		for _, r := range dns.DnsRecords {
			props[propServiceRecordType] = string(r.Type)
			props[propServiceDNSTTL] = aws.ToInt64(r.TTL)
		}
	}
	return ownership.Observed(resource.KindDiscoveryService, address, id, stack, tags, props, map[string]string{attrARN: arn, attrName: name})
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
