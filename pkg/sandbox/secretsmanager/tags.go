package secretsmanager

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

func tagResource(c *api.Call, in *secretsmanager.TagResourceInput) (*secretsmanager.TagResourceOutput, error) {
	sec, err := lookup(c, in.SecretId)
	if err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	sec.Tags = tagset.Merge(sec.Tags, in.Tags, tagKey)
	sec.LastChangedDate = c.Now
	return &secretsmanager.TagResourceOutput{}, nil
}

func untagResource(c *api.Call, in *secretsmanager.UntagResourceInput) (*secretsmanager.UntagResourceOutput, error) {
	sec, err := lookup(c, in.SecretId)
	if err != nil {
		return nil, err
	}
	sec.Tags = tagset.Without(sec.Tags, in.TagKeys, tagKey)
	sec.LastChangedDate = c.Now
	return &secretsmanager.UntagResourceOutput{}, nil
}

// validateTags refuses tags without a key.
func validateTags(tags []types.Tag) error {
	for _, t := range tags {
		if aws.ToString(t.Key) == "" {
			return api.Errorf(codeInvalidParam, "You must provide a tag key.")
		}
	}
	return nil
}

// tagKey is the key of t, for tagset.
func tagKey(t types.Tag) string { return aws.ToString(t.Key) }

// tagMap returns tags as a map.
func tagMap(tags []types.Tag) map[string]string {
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
