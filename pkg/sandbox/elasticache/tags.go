package elasticache

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// maxTags is the number of tags a resource may carry.
const maxTags = 50

// tagsOf returns the tag list of the resource an ARN names.
func (r *Region) tagsOf(c *api.Call, resourceARN string) (*[]types.Tag, error) {
	parts := strings.SplitN(resourceARN, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != ServiceName || parts[3] != c.Region || parts[4] != c.AccountID {
		return nil, api.Errorf(codeInvalidARN, "The ARN %s is not a valid ElastiCache resource ARN of this account and region.", resourceARN)
	}
	kind, id := parts[5], lower(parts[6])
	switch kind {
	case "replicationgroup":
		if g, ok := r.Groups[id]; ok && g.Status != statusDeleting {
			return &g.Tags, nil
		}
		return nil, errNotFound(codeGroupNotFound, "ReplicationGroup", id)
	case "subnetgroup":
		if g, ok := r.SubnetGroups[id]; ok {
			return &g.Tags, nil
		}
		return nil, errNotFound(codeSubnetGroupNotFound, "CacheSubnetGroup", id)
	case "user":
		if u, ok := r.Users[id]; ok {
			return &u.Tags, nil
		}
		return nil, errNotFound(codeUserNotFound, "User", id)
	case "usergroup":
		if ug, ok := r.UserGroups[id]; ok {
			return &ug.Tags, nil
		}
		return nil, errNotFound(codeUserGroupNotFound, "User group", id)
	case "snapshot":
		if sn, ok := r.Snapshots[id]; ok {
			return &sn.Tags, nil
		}
		return nil, errNotFound(codeSnapshotNotFound, "Snapshot", id)
	case "cluster":
		if g := r.memberGroup(id); g != nil {
			return &g.Tags, nil
		}
		return nil, errNotFound(codeClusterNotFound, "CacheCluster", id)
	}
	return nil, api.Errorf(codeInvalidARN, "The sandbox does not tag ElastiCache resources of type %s.", kind)
}

func tagKey(t types.Tag) string { return aws.ToString(t.Key) }

// newTags checks and copies the tags of a create request.
func newTags(in []types.Tag) ([]types.Tag, error) {
	tags := tagset.Merge(nil, tagset.Copy(in), tagKey)
	if len(tags) > maxTags {
		return nil, api.Errorf(codeTagQuota, "A resource can carry at most %d tags.", maxTags)
	}
	return tags, nil
}

func addTagsToResource(c *api.Call, in *elasticache.AddTagsToResourceInput) (*elasticache.AddTagsToResourceOutput, error) {
	tags, err := region(c).tagsOf(c, aws.ToString(in.ResourceName))
	if err != nil {
		return nil, err
	}
	merged := tagset.Merge(*tags, tagset.Copy(in.Tags), tagKey)
	if len(merged) > maxTags {
		return nil, api.Errorf(codeTagQuota, "A resource can carry at most %d tags.", maxTags)
	}
	*tags = merged
	return &elasticache.AddTagsToResourceOutput{TagList: tagset.List(*tags)}, nil
}

func removeTagsFromResource(c *api.Call, in *elasticache.RemoveTagsFromResourceInput) (*elasticache.RemoveTagsFromResourceOutput, error) {
	tags, err := region(c).tagsOf(c, aws.ToString(in.ResourceName))
	if err != nil {
		return nil, err
	}
	*tags = tagset.Without(*tags, in.TagKeys, tagKey)
	return &elasticache.RemoveTagsFromResourceOutput{TagList: tagset.List(*tags)}, nil
}

func listTagsForResource(c *api.Call, in *elasticache.ListTagsForResourceInput) (*elasticache.ListTagsForResourceOutput, error) {
	tags, err := region(c).tagsOf(c, aws.ToString(in.ResourceName))
	if err != nil {
		return nil, err
	}
	return &elasticache.ListTagsForResourceOutput{TagList: tagset.List(*tags)}, nil
}
