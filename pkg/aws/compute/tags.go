package compute

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// setECSTags removes the keys in remove from the ECS resource arn (a
// cluster, service or task definition revision), then adds or changes the
// tags in set. Removing an absent key is not an error; a resource not
// found is.
func setECSTags(ctx context.Context, api ECSAPI, arn string, set map[string]string, remove []string) error {
	if len(remove) > 0 {
		if _, err := api.UntagResource(ctx, &ecs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: remove}); err != nil {
			return fmt.Errorf("untag %s: %w", arn, err)
		}
	}
	if len(set) > 0 {
		if _, err := api.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(arn), Tags: ecsTags(set)}); err != nil {
			return fmt.Errorf("tag %s: %w", arn, err)
		}
	}
	return nil
}
