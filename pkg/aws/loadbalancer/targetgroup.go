package loadbalancer

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// TargetGroupHandler manages target groups. Props: name, port, protocol,
// target_type, vpc_id, health_check_path, health_check_port,
// health_check_protocol, stickiness_enabled, stickiness_type.
type TargetGroupHandler struct {
	API   API
	Stack string
}

var (
	_ resource.Handler = (*TargetGroupHandler)(nil)
	_ resource.Tagger  = (*TargetGroupHandler)(nil)
)

// Kind is elasticloadbalancing:targetgroup.
func (h *TargetGroupHandler) Kind() resource.Kind { return resource.KindTargetGroup }

// Diff compares the target group; what ELBv2 fixes at creation forces
// replacement, the health check and stickiness change in place.
func (h *TargetGroupHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	fixed := "a target group's %s is fixed at creation"
	fields := resource.Fields{}
	for _, k := range []string{"name", "port", "protocol", "target_type", "vpc_id"} {
		fields[k] = resource.Field{ForcesReplace: true, Reason: fmt.Sprintf(fixed, k)}
	}
	return resource.DiffProps(d.Props, o.Props, fields, d.Sensitive)
}

// Create makes the target group with its health check, tagged at creation,
// then sets its stickiness. A repeated create of the same name and
// settings answers the existing group.
func (h *TargetGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p := d.Props
	out, err := h.API.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{
		Name: aws.String(ownership.Str(p, "name")), Port: aws.Int32(int32(ownership.Int(p, "port"))),
		Protocol: types.ProtocolEnum(ownership.Str(p, "protocol")), TargetType: types.TargetTypeEnum(ownership.Str(p, "target_type")),
		VpcId: aws.String(ownership.Str(p, "vpc_id")), HealthCheckPath: aws.String(ownership.Str(p, "health_check_path")),
		HealthCheckPort: aws.String(ownership.Str(p, "health_check_port")), HealthCheckProtocol: types.ProtocolEnum(ownership.Str(p, "health_check_protocol")),
		HealthCheckEnabled: aws.Bool(true), Matcher: &types.Matcher{HttpCode: aws.String("200")}, Tags: elbTags(d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create target group %s: %w", ownership.Str(p, "name"), err)
	}
	if len(out.TargetGroups) == 0 {
		return resource.Observation{}, fmt.Errorf("create target group %s: no target group in the answer", ownership.Str(p, "name"))
	}
	ob := tgObservation(out.TargetGroups[0], d.Address, h.Stack, d.Tags, nil)
	return h.Resume(ctx, d, ob)
}

// Resume sets the stickiness of a created target group.
func (h *TargetGroupHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	if err := h.setStickiness(ctx, o.ID, d.Props); err != nil {
		return resource.Observation{}, err
	}
	o.Address = d.Address
	o.Props = copyProps(o.Props)
	o.Props["stickiness_enabled"] = ownership.Bool(d.Props, "stickiness_enabled")
	o.Props["stickiness_type"] = ownership.Str(d.Props, "stickiness_type")
	return o, nil
}

func (h *TargetGroupHandler) setStickiness(ctx context.Context, arn string, p resource.Props) error {
	_, err := h.API.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(arn), Attributes: []types.TargetGroupAttribute{
		{Key: aws.String("stickiness.enabled"), Value: aws.String(strconv.FormatBool(ownership.Bool(p, "stickiness_enabled")))},
		{Key: aws.String("stickiness.type"), Value: aws.String(ownership.Str(p, "stickiness_type"))},
	}})
	if err != nil {
		return fmt.Errorf("set stickiness of target group %s: %w", arn, err)
	}
	return nil
}

// Update sets the health check and the stickiness.
func (h *TargetGroupHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	p := d.Props
	out, err := h.API.ModifyTargetGroup(ctx, &elb.ModifyTargetGroupInput{
		TargetGroupArn: aws.String(o.ID), HealthCheckPath: aws.String(ownership.Str(p, "health_check_path")),
		HealthCheckPort: aws.String(ownership.Str(p, "health_check_port")), HealthCheckProtocol: types.ProtocolEnum(ownership.Str(p, "health_check_protocol")),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("modify health check of target group %s: %w", o.ID, err)
	}
	if len(out.TargetGroups) > 0 {
		o = tgObservation(out.TargetGroups[0], d.Address, h.Stack, o.Tags, nil)
	}
	return h.Resume(ctx, d, o)
}

// SetTags adds, changes and removes the target group's tags.
func (h *TargetGroupHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setTags(ctx, h.API, o.ID, set, remove)
}

// Delete deletes the target group once no listener or service uses it;
// not found is success.
func (h *TargetGroupHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return poll.Until(ctx, "target group "+o.ID+" to be released", deleteWait, func(ctx context.Context) (bool, string, error) {
		_, err := h.API.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: aws.String(o.ID)})
		switch ownership.ErrorCode(err) {
		case "", "TargetGroupNotFound":
			return true, "", nil
		case "ResourceInUse":
			return false, err.Error(), nil
		}
		return false, "", fmt.Errorf("delete target group %s: %w", o.ID, err)
	})
}

func describeTargetGroups(ctx context.Context, api API) ([]types.TargetGroup, error) {
	var out []types.TargetGroup
	p := elb.NewDescribeTargetGroupsPaginator(api, &elb.DescribeTargetGroupsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe target groups: %w", err)
		}
		out = append(out, page.TargetGroups...)
	}
	return out, nil
}

// tgObservation reads a target group; attrs are its attributes (nil when
// not read).
func tgObservation(tg types.TargetGroup, address, stack string, tags, attrs map[string]string) resource.Observation {
	arn := aws.ToString(tg.TargetGroupArn)
	props := resource.Props{
		"name": aws.ToString(tg.TargetGroupName), "port": int64(aws.ToInt32(tg.Port)), "protocol": string(tg.Protocol),
		"target_type": string(tg.TargetType), "vpc_id": aws.ToString(tg.VpcId),
		"health_check_path": aws.ToString(tg.HealthCheckPath), "health_check_port": aws.ToString(tg.HealthCheckPort),
		"health_check_protocol": string(tg.HealthCheckProtocol),
	}
	if attrs != nil {
		props["stickiness_enabled"] = attrs["stickiness.enabled"] == "true"
		props["stickiness_type"] = attrs["stickiness.type"]
	}
	return ownership.Observed(resource.KindTargetGroup, address, arn, stack, tags, props, map[string]string{
		"arn": arn, "name": aws.ToString(tg.TargetGroupName),
	})
}

func tgAttributes(ctx context.Context, api API, arn string) (map[string]string, error) {
	out, err := api.DescribeTargetGroupAttributes(ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("describe attributes of target group %s: %w", arn, err)
	}
	m := map[string]string{}
	for _, a := range out.Attributes {
		m[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	return m, nil
}

func copyProps(p resource.Props) resource.Props {
	out := make(resource.Props, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}
