package ec2

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// maxTags is EC2's limit of user tags per resource.
const maxTags = 50

// tagSpecs returns the tags of the TagSpecifications for resource type rt,
// answering InvalidParameterValue for a specification of another type, as
// EC2 does.
func tagSpecs(specs []types.TagSpecification, rt string) (map[string]string, error) {
	tags := map[string]string{}
	for _, s := range specs {
		if string(s.ResourceType) != rt {
			return nil, api.Errorf("InvalidParameterValue", "'%s' is not a valid taggable resource type for this operation.", s.ResourceType)
		}
		if err := mergeTags(tags, s.Tags); err != nil {
			return nil, err
		}
	}
	return tags, nil
}

// mergeTags adds tags to m after checking each key, and answers
// TagLimitExceeded when m would hold more than maxTags.
func mergeTags(m map[string]string, tags []types.Tag) error {
	for _, t := range tags {
		k := aws.ToString(t.Key)
		if err := checkTagKey(k); err != nil {
			return err
		}
		m[k] = aws.ToString(t.Value)
	}
	if len(m) > maxTags {
		return api.Errorf("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.")
	}
	return nil
}

// checkTagKey answers EC2's errors for empty, reserved or long tag keys.
func checkTagKey(k string) error {
	switch {
	case k == "":
		return api.Errorf("InvalidParameterValue", "Tag key cannot be null or empty")
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return api.Errorf("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use")
	case len(k) > 127:
		return api.Errorf("InvalidParameterValue", "Tag key exceeds the maximum length of 127 characters")
	}
	return nil
}

// sdkTags converts a tag map to EC2's list form, sorted by key; nil when
// empty so that untagged resources carry no tag set.
func sdkTags(m map[string]string) []types.Tag {
	if len(m) == 0 {
		return nil
	}
	return tagset.Sorted(m, func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} })
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func tagValues(m map[string]string) []string {
	vals := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		vals = append(vals, m[k])
	}
	return vals
}
