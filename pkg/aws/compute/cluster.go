package compute

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ClusterHandler manages ECS clusters. Props: name. Its tags are changed
// in place (SetTags).
type ClusterHandler struct{ clients.Base[ECSAPI] }

var (
	_ resource.Handler = (*ClusterHandler)(nil)
	_ resource.Finder  = (*ClusterHandler)(nil)
	_ resource.Tagger  = (*ClusterHandler)(nil)
)

// Props of an ECS cluster.
const propClusterName = "name"

// Attrs the compute kinds' observations carry.
const (
	attrARN  = "arn"
	attrName = "name"
)

// clusterDescriptor declares ecs:cluster. A cluster refers to nothing; it
// is deleted after its services, which refer to it (their cluster).
var clusterDescriptor = resource.Descriptor{
	Kind:         resource.KindECSCluster,
	TaggingTypes: []string{"ecs:cluster"},
	Fields: resource.Fields{
		propClusterName: {ForcesReplace: true, Reason: "an ECS cluster cannot be renamed"},
	},
	Deletion: resource.Deletion{Placed: true},
	DataLoss: resource.NoDataLoss,
	// CreateCluster of an existing name returns it.
	Create: resource.Creation{Operations: []string{"CreateCluster"}, Idempotent: true},
}

// Create makes the cluster, tagged at creation with Container Insights on.
// CreateCluster of an existing name returns it, so a retry is safe.
func (h *ClusterHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	name := r.String(propClusterName)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	out, err := h.API.CreateCluster(ctx, &ecs.CreateClusterInput{
		ClusterName: aws.String(name), Tags: ecsTags(d.Tags),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}},
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create ECS cluster %s: %w", name, err)
	}
	c := *out.Cluster
	c.Tags = ecsTags(d.Tags)
	return clusterObservation(c, d.Address, h.Stack), nil
}

// Update fails: a cluster has nothing kcstack changes in place but its
// tags, which SetTags changes.
func (h *ClusterHandler) Update(_ context.Context, d resource.Desired, _ resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, fmt.Errorf("%s: an ECS cluster cannot be changed in place; plan a replacement", d.Address)
}

// SetTags tags the cluster by its ARN.
func (h *ClusterHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setECSTags(ctx, h.API, o.Attrs["arn"], set, remove)
}

// Delete deletes the cluster once its services are gone; not found is
// success.
func (h *ClusterHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := clients.Refusals{
		Gone: []string{"ClusterNotFoundException"},
		Busy: []string{"ClusterContainsServicesException", "ClusterContainsTasksException", "UpdateInProgressException"},
	}
	return h.DeleteWhenFree(ctx, "ECS cluster", o.ID, "to lose its services", r, func(ctx context.Context) error {
		_, err := h.API.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the cluster whose name the stack gives address by
// listing the clusters with their tags.
func (h *ClusterHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	cs, err := describeAllClusters(ctx, h.API)
	if err != nil {
		return resource.Observation{Address: address, Kind: resource.KindECSCluster}, err
	}
	for _, c := range cs {
		tags := ecsTagMap(c.Tags)
		if tags[resource.TagStack] == stack && tags[resource.TagAddress] == address {
			return clusterObservation(c, address, stack), nil
		}
	}
	return resource.Observation{Address: address, Kind: resource.KindECSCluster}, nil
}

// describeAllClusters lists the active clusters and describes them with
// their tags, 100 per call.
func describeAllClusters(ctx context.Context, api ECSAPI) ([]types.Cluster, error) {
	var arns []string
	p := ecs.NewListClustersPaginator(api, &ecs.ListClustersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list ECS clusters: %w", err)
		}
		arns = append(arns, page.ClusterArns...)
	}
	var out []types.Cluster
	for i := 0; i < len(arns); i += 100 {
		batch := arns[i:min(i+100, len(arns))]
		res, err := api.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: batch, Include: []types.ClusterField{types.ClusterFieldTags}})
		if err != nil {
			return nil, fmt.Errorf("describe ECS clusters: %w", err)
		}
		for _, c := range res.Clusters {
			if aws.ToString(c.Status) != "INACTIVE" {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

func clusterObservation(c types.Cluster, address, stack string) resource.Observation {
	name := aws.ToString(c.ClusterName)
	return ownership.Observed(resource.KindECSCluster, address, name, stack, ecsTagMap(c.Tags), resource.Props{propClusterName: name},
		map[string]string{attrName: name, attrARN: aws.ToString(c.ClusterArn)})
}
