package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	tagmap "github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// tagSpec returns the TagSpecifications that tag a resource at creation.
func tagSpec(rt types.ResourceType, tags map[string]string) []types.TagSpecification {
	if len(tags) == 0 {
		return nil
	}
	return []types.TagSpecification{{ResourceType: rt, Tags: toTags(tags)}}
}

func toTags(m map[string]string) []types.Tag {
	keys := resource.SortedKeys(m)
	out := make([]types.Tag, 0, len(keys))
	for _, k := range keys {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

func tagMap(tags []types.Tag) map[string]string {
	return tagmap.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}

// setTags changes the tags of the EC2 resource id: CreateTags adds or
// overwrites the keys in set, DeleteTags drops the keys in remove whatever
// their values (removing an absent key is not an error). A call with
// nothing to do is skipped: EC2 reads a DeleteTags without tags as
// "delete every tag". A resource gone answers its kind's not-found error.
func (b base) setTags(ctx context.Context, id string, set map[string]string, remove []string) error {
	if len(set) > 0 {
		if _, err := b.api.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: toTags(set)}); err != nil {
			return fmt.Errorf("tag %s: %w", id, err)
		}
	}
	if len(remove) == 0 {
		return nil
	}
	keys := make([]types.Tag, 0, len(remove))
	for _, k := range remove {
		keys = append(keys, types.Tag{Key: aws.String(k)})
	}
	if _, err := b.api.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: keys}); err != nil {
		return fmt.Errorf("untag %s: %w", id, err)
	}
	return nil
}

// ownedBy returns the stack filter every owned-resource describe uses.
func ownedBy(stack string) types.Filter {
	return filter("tag:"+resource.TagStack, stack)
}

func filter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

// observed builds the Observation of an owned or desired resource.
func observed(kind resource.Kind, address, id string, tags map[string]string, stack string, props resource.Props, attrs map[string]string) resource.Observation {
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["id"] = id
	return resource.Observation{
		Address: address, Kind: kind, Exists: true, ID: id, Props: props, Attrs: attrs, Tags: tags,
		Owned: tags[resource.TagStack] == stack && stack != "",
	}
}
