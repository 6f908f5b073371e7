package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// elasticIPKind describes ec2:elastic-ip. It refers to nothing; the NAT
// gateway using it refers to it by its allocation_id, and goes first.
var elasticIPKind = resource.Descriptor{
	Kind:         resource.KindElasticIP,
	TaggingTypes: []string{"ec2:elastic-ip"},
	Fields:       resource.Fields{propDomain: {ForcesReplace: true, Reason: "an address's domain cannot change"}},
	Deletion:     resource.Deletion{Placed: true},
	DataLoss:     resource.NoDataLoss,
	Create:       resource.Creation{Operations: []string{"AllocateAddress"}},
}

// ElasticIPHandler manages the elastic IP of a NAT gateway.
type ElasticIPHandler struct{ base }

var (
	_ resource.Handler = (*ElasticIPHandler)(nil)
	_ resource.Tagger  = (*ElasticIPHandler)(nil)
	_ resource.Finder  = (*ElasticIPHandler)(nil)
)

// Describe returns the descriptor of ec2:elastic-ip.
func (h *ElasticIPHandler) Describe() resource.Descriptor { return elasticIPKind }

// Diff compares the domain, which cannot change.
func (h *ElasticIPHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, elasticIPKind.Fields, d.Sensitive)
}

// Create allocates the address, tagged at creation.
func (h *ElasticIPHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	out, err := h.api.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc, TagSpecifications: tagSpec(types.ResourceTypeElasticIp, d.Tags)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("allocate address: %w", err)
	}
	return eipObservation(types.Address{AllocationId: out.AllocationId, PublicIp: out.PublicIp, Domain: out.Domain, Tags: toTags(d.Tags)}, d.Address, h.stack), nil
}

// Update fails: an address has nothing to change in place.
func (h *ElasticIPHandler) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(elasticIPKind.Kind, diffs)
}

// SetTags changes the address's tags with CreateTags and DeleteTags.
func (h *ElasticIPHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return h.setTags(ctx, o.ID, set, remove)
}

// Delete releases the address once its NAT gateway is gone.
func (h *ElasticIPHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "address "+o.ID, func(ctx context.Context) error {
		_, err := h.api.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(o.ID)})
		switch {
		case awserr.Is(err, "InvalidAllocationID.NotFound"):
			return nil
		case awserr.Is(err, "InvalidIPAddress.InUse"):
			return &dependencyError{err}
		}
		return err
	})
}

// FindByAddress finds the address tagged with the stack and address.
func (h *ElasticIPHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{Filters: addressFilters(stack, address)})
	if err != nil || len(out.Addresses) == 0 {
		return resource.Observation{Address: address, Kind: elasticIPKind.Kind}, err
	}
	return eipObservation(out.Addresses[0], address, stack), nil
}

// eipObservation is the observation of a at address; its id is its
// allocation id, also its allocation_id attribute.
func eipObservation(a types.Address, address, stack string) resource.Observation {
	id := aws.ToString(a.AllocationId)
	return observed(resource.KindElasticIP, address, id, tagMap(a.Tags), stack, resource.Props{propDomain: string(a.Domain)},
		map[string]string{"allocation_id": id, "public_ip": aws.ToString(a.PublicIp)})
}
