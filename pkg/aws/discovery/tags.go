package discovery

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// setCloudMapTags adds or changes the tags set and removes the keys remove
// on the namespace or service o, by the ARN it was observed with: the
// SetTags of both Cloud Map kinds. Removing a key the resource lacks is
// not an error; a resource that is gone is.
func setCloudMapTags(ctx context.Context, api CloudMapAPI, o resource.Observation, set map[string]string, remove []string) error {
	arn := o.Attrs["arn"]
	if arn == "" {
		return fmt.Errorf("tag %s %s: the observation carries no ARN", o.Kind, o.ID)
	}
	if len(set) > 0 {
		if _, err := api.TagResource(ctx, &sd.TagResourceInput{ResourceARN: aws.String(arn), Tags: sdTags(set)}); err != nil {
			return fmt.Errorf("tag %s: %w", arn, err)
		}
	}
	if len(remove) > 0 {
		if _, err := api.UntagResource(ctx, &sd.UntagResourceInput{ResourceARN: aws.String(arn), TagKeys: remove}); err != nil {
			return fmt.Errorf("untag %s: %w", arn, err)
		}
	}
	return nil
}

// cloudMapTags reads the tags of the namespace or service arn from Cloud
// Map.
func cloudMapTags(ctx context.Context, api CloudMapAPI, arn string) (map[string]string, error) {
	out, err := api.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", arn, err)
	}
	return tagged.Map(out.Tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value }), nil
}

func sdTags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range resource.SortedKeys(m) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

// putBucketTags replaces the tag set of bucket name with tags, or deletes
// it when tags is empty: S3 has no call that adds or removes single tags.
// tags keeps the aws: tags the bucket has (a CloudFormation stack's), as
// S3 refuses a tag set that drops them.
func putBucketTags(ctx context.Context, api S3API, name string, tags map[string]string) error {
	if len(tags) == 0 {
		if _, err := api.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String(name)}); err != nil {
			return fmt.Errorf("delete tags of bucket %s: %w", name, err)
		}
		return nil
	}
	var set []s3types.Tag
	for _, k := range resource.SortedKeys(tags) {
		set = append(set, s3types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	if _, err := api.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(name), Tagging: &s3types.Tagging{TagSet: set}}); err != nil {
		return fmt.Errorf("tag bucket %s: %w", name, err)
	}
	return nil
}
