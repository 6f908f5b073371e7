package elbv2

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

const maxTags = 50

func checkTags(tags []types.Tag) error {
	if len(tags) > maxTags {
		return api.Errorf(codeTooManyTags, "The quota for the number of tags that can be assigned to a load balancer has been reached")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		k := aws.ToString(t.Key)
		if seen[k] {
			return api.Errorf(codeDuplicateTagKeys, "Tag key '%s' is duplicated", k)
		}
		seen[k] = true
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return api.Errorf(codeValidation, "Tag keys starting with 'aws:' are reserved for internal use")
		}
	}
	return nil
}

// tagsOf returns the tag list of the resource an ARN names.
func tagsOf(r *Region, arn string) (*[]types.Tag, error) {
	switch {
	case strings.Contains(arn, ":loadbalancer/"):
		if lb, ok := r.LoadBalancers[arn]; ok {
			return &lb.Tags, nil
		}
		return nil, api.Errorf(codeLBNotFound, "Load balancers '[%s]' not found", arn)
	case strings.Contains(arn, ":targetgroup/"):
		if tg, ok := r.TargetGroups[arn]; ok {
			return &tg.Tags, nil
		}
		return nil, api.Errorf(codeTGNotFound, "Target groups '[%s]' not found", arn)
	case strings.Contains(arn, ":listener/"):
		if l, ok := r.Listeners[arn]; ok {
			return &l.Tags, nil
		}
		return nil, api.Errorf(codeListenerNotFound, "Listener '%s' not found", arn)
	}
	return nil, api.Errorf(codeValidation, "'%s' is not a valid ARN", arn)
}

func addTags(c *api.Call, in *elb.AddTagsInput) (*elb.AddTagsOutput, error) {
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	r := region(c)
	for _, arn := range in.ResourceArns {
		tags, err := tagsOf(r, arn)
		if err != nil {
			return nil, err
		}
		merged := tagset.Merge(*tags, in.Tags, tagKey)
		if len(merged) > maxTags {
			return nil, api.Errorf(codeTooManyTags, "The quota for the number of tags that can be assigned to a load balancer has been reached")
		}
		*tags = merged
	}
	return &elb.AddTagsOutput{}, nil
}

func removeTags(c *api.Call, in *elb.RemoveTagsInput) (*elb.RemoveTagsOutput, error) {
	r := region(c)
	for _, arn := range in.ResourceArns {
		tags, err := tagsOf(r, arn)
		if err != nil {
			return nil, err
		}
		*tags = tagset.Without(*tags, in.TagKeys, tagKey)
	}
	return &elb.RemoveTagsOutput{}, nil
}

func describeTags(c *api.Call, in *elb.DescribeTagsInput) (*elb.DescribeTagsOutput, error) {
	if len(in.ResourceArns) > 20 {
		return nil, api.Errorf(codeValidation, "1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20")
	}
	r := region(c)
	out := &elb.DescribeTagsOutput{TagDescriptions: []types.TagDescription{}}
	for _, arn := range in.ResourceArns {
		tags, err := tagsOf(r, arn)
		if err != nil {
			return nil, err
		}
		list := slices.Clone(*tags)
		if list == nil {
			list = []types.Tag{}
		}
		out.TagDescriptions = append(out.TagDescriptions, types.TagDescription{ResourceArn: aws.String(arn), Tags: list})
	}
	return out, nil
}

// tagKey is the key of t, for tagset.
func tagKey(t types.Tag) string { return aws.ToString(t.Key) }

// tagMap returns tags as a map.
func tagMap(tags []types.Tag) map[string]string {
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
