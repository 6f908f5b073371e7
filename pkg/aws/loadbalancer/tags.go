package loadbalancer

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// setTags adds or changes the tags set and removes the keys remove on the
// load balancer, target group or listener arn, which the three kinds' SetTags
// share. Removing a key the resource lacks is not an error; a resource that
// is gone is.
func setTags(ctx context.Context, api API, arn string, set map[string]string, remove []string) error {
	if len(set) > 0 {
		if _, err := api.AddTags(ctx, &elb.AddTagsInput{ResourceArns: []string{arn}, Tags: elbTags(set)}); err != nil {
			return fmt.Errorf("add tags to %s: %w", arn, err)
		}
	}
	if len(remove) > 0 {
		if _, err := api.RemoveTags(ctx, &elb.RemoveTagsInput{ResourceArns: []string{arn}, TagKeys: remove}); err != nil {
			return fmt.Errorf("remove tags from %s: %w", arn, err)
		}
	}
	return nil
}

// describeTags returns the tags of arns by ARN, twenty per call.
func describeTags(ctx context.Context, api API, arns []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for i := 0; i < len(arns); i += 20 {
		res, err := api.DescribeTags(ctx, &elb.DescribeTagsInput{ResourceArns: arns[i:min(i+20, len(arns))]})
		if err != nil {
			return nil, fmt.Errorf("describe tags of load balancing resources: %w", err)
		}
		for _, td := range res.TagDescriptions {
			out[aws.ToString(td.ResourceArn)] = tagged.Map(td.Tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
		}
	}
	return out, nil
}

func elbTags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range resource.SortedKeys(m) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}
