package compute

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// LogGroupHandler manages the CloudWatch Logs group of a target's tasks.
// Props: name, retention_in_days. Its tags are changed in place (SetTags).
type LogGroupHandler struct{ clients.Base[LogsAPI] }

var (
	_ resource.Handler = (*LogGroupHandler)(nil)
	_ resource.Tagger  = (*LogGroupHandler)(nil)
)

// Props of a log group.
const (
	propLogGroupName      = "name"
	propLogGroupRetention = "retention_in_days"
)

// logGroupDescriptor declares logs:log-group. The group is deleted after
// the ECS services whose tasks write to it, which no property shows (the
// task definition names it in its log options).
var logGroupDescriptor = resource.Descriptor{
	Kind:         resource.KindLogGroup,
	TaggingTypes: []string{"logs:log-group"},
	Fields: resource.Fields{
		propLogGroupName: {ForcesReplace: true, Reason: "a log group cannot be renamed"},
	},
	Deletion: resource.Deletion{After: []resource.Kind{resource.KindECSService}},
	DataLoss: resource.NoDataLoss,
	// The name is unique: a retry fails with ResourceAlreadyExistsException,
	// which Create adopts.
	Create: resource.Creation{Operations: []string{"CreateLogGroup"}, Idempotent: true},
}

// Create makes the group, tagged at creation, and sets its retention.
// CreateLogGroup's natural key is the name: a retry after an ambiguous
// failure adopts the group the first call made.
func (h *LogGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	name := r.String(propLogGroupName)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	_, err := h.API.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(name), Tags: d.Tags})
	// A retried create finds the group it made: names under the stack's
	// prefix are the stack's (the plan refused untagged look-alikes).
	if err != nil && !awserr.Is(err, "ResourceAlreadyExistsException") {
		return resource.Observation{}, fmt.Errorf("create log group %s: %w", name, err)
	}
	ob := ownership.Observed(resource.KindLogGroup, d.Address, name, h.Stack, d.Tags, resource.Props{propLogGroupName: name}, map[string]string{attrName: name})
	return h.Update(ctx, d, ob, nil)
}

// Update sets the retention.
func (h *LogGroupHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	r := resource.Read(d.Props)
	days := r.OptInt(propLogGroupRetention)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	if days > 0 {
		_, err := h.API.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(o.ID), RetentionInDays: aws.Int32(int32(days))})
		if err != nil {
			return resource.Observation{}, fmt.Errorf("set retention of log group %s: %w", o.ID, err)
		}
	}
	o.Address = d.Address
	o.Props = resource.Props{propLogGroupName: o.ID, propLogGroupRetention: days}
	return o, nil
}

// SetTags tags the group by the ARN the observer read, without the
// trailing ":*" (the form TagResource takes), removing the keys in remove
// first.
func (h *LogGroupHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	arn := o.Attrs[attrARN]
	if arn == "" {
		return fmt.Errorf("tag log group %s: the observation has no ARN; plan again", o.ID)
	}
	if len(remove) > 0 {
		if _, err := h.API.UntagResource(ctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: remove}); err != nil {
			return fmt.Errorf("untag log group %s: %w", o.ID, err)
		}
	}
	if len(set) > 0 {
		if _, err := h.API.TagResource(ctx, &cloudwatchlogs.TagResourceInput{ResourceArn: aws.String(arn), Tags: set}); err != nil {
			return fmt.Errorf("tag log group %s: %w", o.ID, err)
		}
	}
	return nil
}

// Delete deletes the group and its logs; not found is success.
func (h *LogGroupHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.API.DeleteLogGroup(ctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String(o.ID)})
	if err != nil && !awserr.Is(err, "ResourceNotFoundException") {
		return fmt.Errorf("delete log group %s: %w", o.ID, err)
	}
	return nil
}

// describeLogGroups lists the groups whose names start with prefix.
func describeLogGroups(ctx context.Context, api LogsAPI, prefix string) ([]types.LogGroup, error) {
	var out []types.LogGroup
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(api, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe log groups %s*: %w", prefix, err)
		}
		out = append(out, page.LogGroups...)
	}
	return out, nil
}

// logGroupObservation reads g; tags come from the tagging API (nil when
// the group is not the stack's).
func logGroupObservation(g types.LogGroup, address, stack string, tags map[string]string) resource.Observation {
	name := aws.ToString(g.LogGroupName)
	arn := strings.TrimSuffix(aws.ToString(g.Arn), ":*")
	props := resource.Props{propLogGroupName: name, propLogGroupRetention: int64(aws.ToInt32(g.RetentionInDays))}
	return ownership.Observed(resource.KindLogGroup, address, name, stack, tags, props, map[string]string{attrName: name, attrARN: arn})
}

// logGroupName returns the name in a log group ARN
// (arn:aws:logs:<region>:<account>:log-group:<name>[:*]).
func logGroupName(arn string) string {
	_, name, ok := strings.Cut(arn, ":log-group:")
	if !ok {
		return ""
	}
	return strings.TrimSuffix(name, ":*")
}
