package ecs

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

const maxTags = 50

func checkTags(tags []types.Tag) error {
	if len(tags) > maxTags {
		return api.Errorf(codeInvalidParam, "Tags cannot have more than %d elements.", maxTags)
	}
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(aws.ToString(t.Key)), "aws:") {
			return api.Errorf(codeInvalidParam, "Tag keys prefixed with 'aws:' are reserved.")
		}
	}
	return nil
}

// taggable returns the tag list of the resource an ARN names.
func taggable(c *api.Call, arn string) (*[]types.Tag, error) {
	_, resource, ok := strings.Cut(arn, ":"+c.AccountID+":")
	if !strings.HasPrefix(arn, "arn:aws:ecs:") || !ok {
		return nil, api.Errorf(codeInvalidParam, "The ARN provided is invalid.")
	}
	kind, rest, _ := strings.Cut(resource, "/")
	r := region(c)
	switch kind {
	case "cluster":
		if cl, found := r.Clusters[rest]; found && aws.ToString(cl.C.Status) == statusActive {
			return &cl.C.Tags, nil
		}
	case "service":
		clName, svName, _ := strings.Cut(rest, "/")
		if sv, found := r.Services[clName][svName]; found && aws.ToString(sv.S.Status) != statusInactive {
			return &sv.S.Tags, nil
		}
	case "task-definition":
		if td, err := findTaskDef(c, rest); err == nil && strings.Contains(rest, ":") {
			return &td.Tags, nil
		}
	}
	return nil, api.Errorf(codeNotFound, "The specified resource could not be found.")
}

func tagResource(c *api.Call, in *ecs.TagResourceInput) (*ecs.TagResourceOutput, error) {
	tags, err := taggable(c, aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	merged := tagset.Merge(*tags, in.Tags, tagKey)
	if err := checkTags(merged); err != nil {
		return nil, err
	}
	*tags = merged
	return &ecs.TagResourceOutput{}, nil
}

func untagResource(c *api.Call, in *ecs.UntagResourceInput) (*ecs.UntagResourceOutput, error) {
	tags, err := taggable(c, aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	*tags = tagset.Without(*tags, in.TagKeys, tagKey)
	return &ecs.UntagResourceOutput{}, nil
}

func listTagsForResource(c *api.Call, in *ecs.ListTagsForResourceInput) (*ecs.ListTagsForResourceOutput, error) {
	tags, err := taggable(c, aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return &ecs.ListTagsForResourceOutput{Tags: tagset.List(*tags)}, nil
}

// tagKey is the key of t, for tagset.
func tagKey(t types.Tag) string { return aws.ToString(t.Key) }

// tagMap returns tags as a map.
func tagMap(tags []types.Tag) map[string]string {
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
