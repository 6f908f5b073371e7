package aurora

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/kcstack/kcstack/pkg/resource"
)

// setTags adds or changes the tags in set and removes the keys in remove
// on the RDS resource o observes, by the ARN in its attrs, with RDS's own
// tagging calls. Both calls are idempotent: removing an absent key is no
// error; a resource that is gone is. noun names the kind in errors. It
// touches only the resource itself: the master user secret RDS keeps for
// a cluster is RDS's, not the stack's, and keeps its own tags.
func setTags(ctx context.Context, api API, noun string, o resource.Observation, set map[string]string, remove []string) error {
	arn := o.Attrs["arn"]
	if arn == "" {
		return fmt.Errorf("tag %s %s: its observation carries no ARN", noun, o.ID)
	}
	if len(set) > 0 {
		in := &rds.AddTagsToResourceInput{ResourceName: &arn, Tags: rdsTags(set)}
		if _, err := api.AddTagsToResource(ctx, in); err != nil {
			return fmt.Errorf("tag %s %s: %w", noun, o.ID, err)
		}
	}
	if len(remove) > 0 {
		keys := slices.Sorted(slices.Values(remove))
		in := &rds.RemoveTagsFromResourceInput{ResourceName: &arn, TagKeys: keys}
		if _, err := api.RemoveTagsFromResource(ctx, in); err != nil {
			return fmt.Errorf("untag %s %s: %w", noun, o.ID, err)
		}
	}
	return nil
}

// SetTags sets and removes tags of the DB subnet group o.
func (h *SubnetGroupHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setTags(ctx, h.api, "DB subnet group", o, set, remove)
}

// SetTags sets and removes tags of the DB cluster o (not of its master
// user secret, which RDS owns).
func (h *ClusterHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setTags(ctx, h.api, "DB cluster", o, set, remove)
}

// SetTags sets and removes tags of the DB instance o (a cluster's tags
// are never copied to its instances, nor these to the cluster).
func (h *InstanceHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setTags(ctx, h.api, "DB instance", o, set, remove)
}
