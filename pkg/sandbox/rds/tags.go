package rds

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// tagsOf returns the tag list of the resource an ARN names.
func (r *Region) tagsOf(c *api.Call, resourceARN string) (*[]types.Tag, error) {
	parts := strings.SplitN(resourceARN, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "rds" {
		return nil, invalidValue("The specified resource name does not match an RDS resource in this region.")
	}
	if parts[3] != c.Region || parts[4] != c.AccountID {
		return nil, invalidValue("The specified resource name does not match an RDS resource in this region.")
	}
	kind, id := parts[5], lower(parts[6])
	switch kind {
	case "cluster":
		if cl, ok := r.Clusters[id]; ok {
			return &cl.DB.TagList, nil
		}
		return nil, errClusterNotFound(id)
	case "db":
		if inst, ok := r.Instances[id]; ok {
			return &inst.DB.TagList, nil
		}
		return nil, errInstanceNotFound(id)
	case "subgrp":
		if g, ok := r.SubnetGroups[id]; ok {
			return &g.Tags, nil
		}
		return nil, errSubnetGroupNotFound(id)
	case "cluster-snapshot":
		if sn, ok := r.Snapshots[id]; ok {
			return &sn.DB.TagList, nil
		}
		return nil, errSnapshotNotFound(id)
	}
	return nil, invalidValue("The sandbox does not tag RDS resources of type %s.", kind)
}

func addTagsToResource(c *api.Call, in *rds.AddTagsToResourceInput) (*rds.AddTagsToResourceOutput, error) {
	tags, err := region(c).tagsOf(c, deref(in.ResourceName))
	if err != nil {
		return nil, err
	}
	for _, t := range cleanTags(in.Tags) {
		*tags = setTag(*tags, t)
	}
	return &rds.AddTagsToResourceOutput{}, nil
}

func removeTagsFromResource(c *api.Call, in *rds.RemoveTagsFromResourceInput) (*rds.RemoveTagsFromResourceOutput, error) {
	tags, err := region(c).tagsOf(c, deref(in.ResourceName))
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, k := range in.TagKeys {
		drop[k] = true
	}
	kept := []types.Tag{}
	for _, t := range *tags {
		if !drop[deref(t.Key)] {
			kept = append(kept, t)
		}
	}
	*tags = kept
	return &rds.RemoveTagsFromResourceOutput{}, nil
}

func listTagsForResource(c *api.Call, in *rds.ListTagsForResourceInput) (*rds.ListTagsForResourceOutput, error) {
	tags, err := region(c).tagsOf(c, deref(in.ResourceName))
	if err != nil {
		return nil, err
	}
	out := clone(*tags)
	if out == nil {
		out = []types.Tag{}
	}
	return &rds.ListTagsForResourceOutput{TagList: out}, nil
}

// setTag replaces the value of t's key or appends t.
func setTag(tags []types.Tag, t types.Tag) []types.Tag {
	for i := range tags {
		if deref(tags[i].Key) == deref(t.Key) {
			tags[i].Value = t.Value
			return tags
		}
	}
	return append(tags, t)
}

// cleanTags copies tags, keeping the last value of repeated keys.
func cleanTags(in []types.Tag) []types.Tag {
	out := []types.Tag{}
	for _, t := range in {
		out = setTag(out, types.Tag{Key: ptr(deref(t.Key)), Value: ptr(deref(t.Value))})
	}
	return out
}

// tagMap returns tags as a map.
func tagMap(tags []types.Tag) map[string]string {
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
