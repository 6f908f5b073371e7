package cache

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// handler is what the four handlers share: their base, and the noun that
// names their kind in messages ("ElastiCache user"). It gives them Diff
// and SetTags.
type handler struct {
	clients.Base[API]
	noun string
	// rules say how Diff compares the props that are not plain data.
	rules map[string]rule
}

// Diff compares the props d lists with o's under the kind's rules,
// without I/O.
func (h handler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return diff(h.Described, h.rules, d, o)
}

// SetTags adds or changes the tags in set and removes the keys in remove
// on the resource o (a user's password tags are not among its tags and
// are never removed).
func (h handler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setTags(ctx, h.API, h.noun, o, set, remove)
}

// setTags adds or changes the tags in set and removes the keys in remove
// on the resource o observes, by the ARN in its attrs, with ElastiCache's
// own tagging calls. noun names the kind in errors.
func setTags(ctx context.Context, api API, noun string, o resource.Observation, set map[string]string, remove []string) error {
	arn := o.Attrs[attrARN]
	if arn == "" {
		return fmt.Errorf("tag %s %s: its observation carries no ARN", noun, o.ID)
	}
	if len(set) > 0 {
		if _, err := api.AddTagsToResource(ctx, &ec.AddTagsToResourceInput{ResourceName: &arn, Tags: ecTags(set)}); err != nil {
			return fmt.Errorf("tag %s %s: %w", noun, o.ID, err)
		}
	}
	if len(remove) > 0 {
		keys := slices.Sorted(slices.Values(remove))
		if _, err := api.RemoveTagsFromResource(ctx, &ec.RemoveTagsFromResourceInput{ResourceName: &arn, TagKeys: keys}); err != nil {
			return fmt.Errorf("untag %s %s: %w", noun, o.ID, err)
		}
	}
	return nil
}

// listTags reads the tags of the resource arn.
func listTags(ctx context.Context, api API, arn string) (map[string]string, error) {
	out, err := api.ListTagsForResource(ctx, &ec.ListTagsForResourceInput{ResourceName: aws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", arn, err)
	}
	return tagMap(out.TagList), nil
}

// checkAdoptable reads the tags of the resource arn (noun id), which a
// create was refused for as a duplicate, and accepts it only when they
// name stack and address: then an earlier create whose answer was lost
// made it. Anything else is someone else's and is left alone. It returns
// the tags.
func checkAdoptable(ctx context.Context, api API, noun, id, arn, stack, address string) (map[string]string, error) {
	tags, err := listTags(ctx, api, arn)
	if err != nil {
		return nil, err
	}
	if stack == "" || tags[resource.TagStack] != stack || tags[resource.TagAddress] != address {
		return nil, fmt.Errorf("%s %s already exists and is not %s of stack %q (its tags: %s=%q, %s=%q): "+
			"delete or rename the existing one, or give the stack another name",
			noun, id, address, stack, resource.TagStack, tags[resource.TagStack], resource.TagAddress, tags[resource.TagAddress])
	}
	return tags, nil
}

// ecTags converts tags to ElastiCache's, in key order.
func ecTags(tags map[string]string) []types.Tag {
	out := make([]types.Tag, 0, len(tags))
	for _, k := range resource.SortedKeys(tags) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	return out
}

func tagMap(tags []types.Tag) map[string]string {
	return tagged.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
