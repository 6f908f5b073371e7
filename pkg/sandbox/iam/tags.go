package iam

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

// mergeTags adds tags to old, replacing values of existing keys.
func mergeTags(old []Tag, tags []types.Tag) ([]Tag, error) {
	out := append([]Tag(nil), old...)
next:
	for _, t := range tags {
		k, v := aws.ToString(t.Key), aws.ToString(t.Value)
		for i := range out {
			if out[i].Key == k {
				out[i].Value = v
				continue next
			}
		}
		out = append(out, Tag{Key: k, Value: v})
	}
	if len(out) > maxTags {
		return nil, errConflict("LimitExceeded", "Cannot exceed quota for TagsPerRole: %d.", maxTags)
	}
	return out, nil
}

func sdkTags(tags []Tag) []types.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]types.Tag, len(tags))
	for i, t := range tags {
		out[i] = types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)}
	}
	return out
}

func tagRole(c *api.Call, in *iam.TagRoleInput) (*iam.TagRoleOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	tags, err := mergeTags(r.Tags, in.Tags)
	if err != nil {
		return nil, err
	}
	r.Tags = tags
	return &iam.TagRoleOutput{}, nil
}

func untagRole(c *api.Call, in *iam.UntagRoleInput) (*iam.UntagRoleOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	kept := r.Tags[:0]
	for _, t := range r.Tags {
		remove := false
		for _, k := range in.TagKeys {
			remove = remove || k == t.Key
		}
		if !remove {
			kept = append(kept, t)
		}
	}
	r.Tags = kept
	return &iam.UntagRoleOutput{}, nil
}

func listRoleTags(c *api.Call, in *iam.ListRoleTagsInput) (*iam.ListRoleTagsOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	list, truncated, marker, err := window(r.Tags, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	tags := sdkTags(list)
	if tags == nil {
		tags = []types.Tag{}
	}
	return &iam.ListRoleTagsOutput{Tags: tags, IsTruncated: truncated, Marker: marker}, nil
}

// window pages a list the way IAM does: MaxItems (1 to 1000, default 100)
// and an opaque Marker; IsTruncated says whether more follow.
func window[T any](list []T, marker *string, maxItems *int32) ([]T, bool, *string, error) {
	out, next, err := page.Of(list, marker, maxItems, paging)
	return out, next != nil, next, err
}

// paging is how IAM pages: MaxItems 1 to 1000 (100 by default) and Marker.
var paging = page.Rules{Default: 100, Max: 1000,
	BadSize: func(size int32) error {
		return api.Errorf("ValidationError", "1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000", size)
	},
	BadToken: func() error { return errInvalidInput("Invalid Marker.") },
}
