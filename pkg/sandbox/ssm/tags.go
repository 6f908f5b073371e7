package ssm

import (
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// taggable finds the parameter a tagging request names; the sandbox
// supports tags on parameters only.
func taggable(c *api.Call, kind types.ResourceTypeForTagging, id *string) (*Parameter, error) {
	if kind != types.ResourceTypeForTaggingParameter {
		return nil, api.Errorf(codeBadResourceType, "The resource type %s is not supported by the sandbox; only Parameter is.", kind)
	}
	ps := params(c)
	p, ok := ps[resolveName(ps, aws.ToString(id))]
	if !ok {
		return nil, api.Errorf(codeBadResourceID, "The resource ID \"%s\" is not valid. Verify the ID and try again.", aws.ToString(id))
	}
	return p, nil
}

func addTagsToResource(c *api.Call, in *ssm.AddTagsToResourceInput) (*ssm.AddTagsToResourceOutput, error) {
	p, err := taggable(c, in.ResourceType, in.ResourceId)
	if err != nil {
		return nil, err
	}
	merged := tagset.Merge(p.Tags, in.Tags, tagKey)
	if len(merged) > 50 {
		return nil, api.Errorf("TooManyTagsError", "The Tags parameter contains too many tags. A resource can have at most 50 tags.")
	}
	p.Tags = merged
	return &ssm.AddTagsToResourceOutput{}, nil
}

func removeTagsFromResource(c *api.Call, in *ssm.RemoveTagsFromResourceInput) (*ssm.RemoveTagsFromResourceOutput, error) {
	p, err := taggable(c, in.ResourceType, in.ResourceId)
	if err != nil {
		return nil, err
	}
	p.Tags = tagset.Without(p.Tags, in.TagKeys, tagKey)
	return &ssm.RemoveTagsFromResourceOutput{}, nil
}

func listTagsForResource(c *api.Call, in *ssm.ListTagsForResourceInput) (*ssm.ListTagsForResourceOutput, error) {
	p, err := taggable(c, in.ResourceType, in.ResourceId)
	if err != nil {
		return nil, err
	}
	return &ssm.ListTagsForResourceOutput{TagList: tagset.List(p.Tags)}, nil
}

// tagKey is the key of t, for tagset.
func tagKey(t types.Tag) string { return aws.ToString(t.Key) }

// tagMap returns tags as a map.
func tagMap(tags []types.Tag) map[string]string {
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}

func sortStrings(s []string) { sort.Strings(s) }
