package servicediscovery

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// tagsOf returns the tag list of the namespace or service an ARN names.
func tagsOf(c *api.Call, arn string) (*[]types.Tag, error) {
	r := region(c)
	id := arn[strings.LastIndex(arn, "/")+1:]
	switch {
	case strings.Contains(arn, ":namespace/"):
		if ns, ok := r.Namespaces[id]; ok && ns.Ready && aws.ToString(ns.N.Arn) == arn {
			return &ns.Tags, nil
		}
	case strings.Contains(arn, ":service/"):
		if sv, ok := r.Services[id]; ok && aws.ToString(sv.S.Arn) == arn {
			return &sv.Tags, nil
		}
	default:
		return nil, api.Errorf(codeInvalidInput, "Invalid resource ARN %s.", arn)
	}
	return nil, api.Errorf(codeNotFound, "Resource not found: %s", arn)
}

func tagResource(c *api.Call, in *sd.TagResourceInput) (*sd.TagResourceOutput, error) {
	tags, err := tagsOf(c, aws.ToString(in.ResourceARN))
	if err != nil {
		return nil, err
	}
	merged := tagset.Merge(*tags, in.Tags, tagKey)
	if len(merged) > 200 {
		return nil, api.Errorf(codeTooManyTags, "A resource can have at most 200 tags.")
	}
	*tags = merged
	return &sd.TagResourceOutput{}, nil
}

func untagResource(c *api.Call, in *sd.UntagResourceInput) (*sd.UntagResourceOutput, error) {
	tags, err := tagsOf(c, aws.ToString(in.ResourceARN))
	if err != nil {
		return nil, err
	}
	*tags = tagset.Without(*tags, in.TagKeys, tagKey)
	return &sd.UntagResourceOutput{}, nil
}

func listTagsForResource(c *api.Call, in *sd.ListTagsForResourceInput) (*sd.ListTagsForResourceOutput, error) {
	tags, err := tagsOf(c, aws.ToString(in.ResourceARN))
	if err != nil {
		return nil, err
	}
	return &sd.ListTagsForResourceOutput{Tags: tagset.List(*tags)}, nil
}

// tagKey is the key of t, for tagset.
func tagKey(t types.Tag) string { return aws.ToString(t.Key) }

// tagMap returns tags as a map.
func tagMap(tags []types.Tag) map[string]string {
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
