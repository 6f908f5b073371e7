package tagged

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

// TaggingAPI is the part of the resource groups tagging API Tagged calls.
type TaggingAPI interface {
	GetResources(context.Context, *tagging.GetResourcesInput, ...func(*tagging.Options)) (*tagging.GetResourcesOutput, error)
}

var _ TaggingAPI = (*tagging.Client)(nil)

// Map returns tags as a map of key to value; kv gives the key and value
// of one tag (the SDK's tag types differ only in their package). A nil
// key or value reads as "".
func Map[T any](tags []T, kv func(T) (key, value *string)) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		k, v := kv(t)
		m[aws.ToString(k)] = aws.ToString(v)
	}
	return m
}

// Tagged returns the tags of every resource of the given resource type
// filters ("logs:log-group", "iam:role") that carries the stack's tag, by
// ARN, in one paginated call. It only says which resources claim to be the
// stack's: callers confirm each one with the service's own describe.
func Tagged(ctx context.Context, api TaggingAPI, stack string, types ...string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	p := tagging.NewGetResourcesPaginator(api, &tagging.GetResourcesInput{
		ResourceTypeFilters: types,
		TagFilters:          []taggingtypes.TagFilter{{Key: aws.String(resource.TagStack), Values: []string{stack}}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("get resources tagged %s=%s (%v): %w", resource.TagStack, stack, types, err)
		}
		for _, m := range page.ResourceTagMappingList {
			out[aws.ToString(m.ResourceARN)] = Map(m.Tags, func(t taggingtypes.Tag) (*string, *string) { return t.Key, t.Value })
		}
	}
	return out, nil
}
