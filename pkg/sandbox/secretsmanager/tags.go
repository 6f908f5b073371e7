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
	sec.Tags = mergeTags(sec.Tags, in.Tags)
	sec.LastChangedDate = c.Now
	return &secretsmanager.TagResourceOutput{}, nil
}

func untagResource(c *api.Call, in *secretsmanager.UntagResourceInput) (*secretsmanager.UntagResourceOutput, error) {
	sec, err := lookup(c, in.SecretId)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, k := range in.TagKeys {
		drop[k] = true
	}
	kept := sec.Tags[:0]
	for _, t := range sec.Tags {
		if !drop[aws.ToString(t.Key)] {
			kept = append(kept, t)
		}
	}
	sec.Tags = kept
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

// mergeTags sets the keys of add on tags, replacing existing values in
// place and appending new keys.
func mergeTags(tags, add []types.Tag) []types.Tag {
	for _, t := range add {
		t := types.Tag{Key: aws.String(aws.ToString(t.Key)), Value: aws.String(aws.ToString(t.Value))}
		replaced := false
		for i := range tags {
			if aws.ToString(tags[i].Key) == *t.Key {
				tags[i] = t
				replaced = true
			}
		}
		if !replaced {
			tags = append(tags, t)
		}
	}
	return tags
}

// tagMap returns tags as a map.
func tagMap(tags []types.Tag) map[string]string {
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}

func copyTags(tags []types.Tag) []types.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]types.Tag, len(tags))
	for i, t := range tags {
		out[i] = types.Tag{Key: aws.String(aws.ToString(t.Key)), Value: aws.String(aws.ToString(t.Value))}
	}
	return out
}
