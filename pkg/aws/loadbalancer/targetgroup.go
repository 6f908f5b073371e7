package loadbalancer

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// TargetGroupHandler manages target groups. Props: name, port, protocol,
// target_type, vpc_id, health_check_path, health_check_port,
// health_check_protocol, stickiness_enabled, stickiness_type.
type TargetGroupHandler struct{ clients.Base[API] }

var (
	_ resource.Handler = (*TargetGroupHandler)(nil)
	_ resource.Tagger  = (*TargetGroupHandler)(nil)
)

// Props of a target group.
const (
	propTGName                = "name"
	propTGPort                = "port"
	propTGProtocol            = "protocol"
	propTGTargetType          = "target_type"
	propTGVPCID               = "vpc_id"
	propTGHealthCheckPath     = "health_check_path"
	propTGHealthCheckPort     = "health_check_port"
	propTGHealthCheckProtocol = "health_check_protocol"
	propTGStickinessEnabled   = "stickiness_enabled"
	propTGStickinessType      = "stickiness_type"
)

// targetGroupDescriptor declares elasticloadbalancing:targetgroup. A
// target group is deleted after the listeners and ECS services that
// forward to it (their target_group_arn): ELBv2 refuses while one does.
var targetGroupDescriptor = resource.Descriptor{
	Kind:         resource.KindTargetGroup,
	TaggingTypes: []string{"elasticloadbalancing:targetgroup"},
	References:   []resource.Reference{{Prop: propTGVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Fields:       fixedAtCreation(propTGName, propTGPort, propTGProtocol, propTGTargetType, propTGVPCID),
	DataLoss:     resource.NoDataLoss,
	// A repeated create of the same name and settings answers the
	// existing group.
	Create: resource.Creation{Operations: []string{"CreateTargetGroup"}, Idempotent: true},
}

// fixedAtCreation are the target group props ELBv2 fixes at creation.
func fixedAtCreation(props ...string) resource.Fields {
	fields := resource.Fields{}
	for _, k := range props {
		fields[k] = resource.Field{ForcesReplace: true, Reason: fmt.Sprintf("a target group's %s is fixed at creation", k)}
	}
	return fields
}

// healthCheck is a target group's health check as desired.
type healthCheck struct{ path, port, protocol string }

func readHealthCheck(r *resource.Reader) healthCheck {
	return healthCheck{r.String(propTGHealthCheckPath), r.String(propTGHealthCheckPort), r.String(propTGHealthCheckProtocol)}
}

// Create makes the target group with its health check, tagged at creation,
// then sets its stickiness. A repeated create of the same name and
// settings answers the existing group.
func (h *TargetGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	name, port, protocol := r.String(propTGName), r.Int(propTGPort), r.String(propTGProtocol)
	targetType, vpc, hc := r.String(propTGTargetType), r.String(propTGVPCID), readHealthCheck(r)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	out, err := h.API.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{
		Name: aws.String(name), Port: aws.Int32(int32(port)), Protocol: types.ProtocolEnum(protocol),
		TargetType: types.TargetTypeEnum(targetType), VpcId: aws.String(vpc),
		HealthCheckPath: aws.String(hc.path), HealthCheckPort: aws.String(hc.port), HealthCheckProtocol: types.ProtocolEnum(hc.protocol),
		HealthCheckEnabled: aws.Bool(true), Matcher: &types.Matcher{HttpCode: aws.String("200")}, Tags: elbTags(d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create target group %s: %w", name, err)
	}
	if len(out.TargetGroups) == 0 {
		return resource.Observation{}, fmt.Errorf("create target group %s: no target group in the answer", name)
	}
	ob := tgObservation(out.TargetGroups[0], d.Address, h.Stack, d.Tags, nil)
	return h.Resume(ctx, d, ob)
}

// Resume sets the stickiness of a created target group.
func (h *TargetGroupHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	r := resource.Read(d.Props)
	enabled, typ := r.Bool(propTGStickinessEnabled), r.String(propTGStickinessType)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	if err := h.setStickiness(ctx, o.ID, enabled, typ); err != nil {
		return resource.Observation{}, err
	}
	o.Address = d.Address
	o.Props = copyProps(o.Props)
	o.Props[propTGStickinessEnabled], o.Props[propTGStickinessType] = enabled, typ
	return o, nil
}

func (h *TargetGroupHandler) setStickiness(ctx context.Context, arn string, enabled bool, typ string) error {
	_, err := h.API.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(arn), Attributes: []types.TargetGroupAttribute{
		{Key: aws.String("stickiness.enabled"), Value: aws.String(strconv.FormatBool(enabled))},
		{Key: aws.String("stickiness.type"), Value: aws.String(typ)},
	}})
	if err != nil {
		return fmt.Errorf("set stickiness of target group %s: %w", arn, err)
	}
	return nil
}

// Update sets the health check and the stickiness.
func (h *TargetGroupHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	r := resource.Read(d.Props)
	hc := readHealthCheck(r)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	out, err := h.API.ModifyTargetGroup(ctx, &elb.ModifyTargetGroupInput{
		TargetGroupArn: aws.String(o.ID), HealthCheckPath: aws.String(hc.path),
		HealthCheckPort: aws.String(hc.port), HealthCheckProtocol: types.ProtocolEnum(hc.protocol),
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
	r := clients.Refusals{Gone: []string{"TargetGroupNotFound"}, Busy: []string{"ResourceInUse"}}
	return h.DeleteWhenFree(ctx, "target group", o.ID, "to be released", r, func(ctx context.Context) error {
		_, err := h.API.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: aws.String(o.ID)})
		return err
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
		propTGName: aws.ToString(tg.TargetGroupName), propTGPort: int64(aws.ToInt32(tg.Port)), propTGProtocol: string(tg.Protocol),
		propTGTargetType: string(tg.TargetType), propTGVPCID: aws.ToString(tg.VpcId),
		propTGHealthCheckPath: aws.ToString(tg.HealthCheckPath), propTGHealthCheckPort: aws.ToString(tg.HealthCheckPort),
		propTGHealthCheckProtocol: string(tg.HealthCheckProtocol),
	}
	if attrs != nil {
		props[propTGStickinessEnabled] = attrs["stickiness.enabled"] == "true"
		props[propTGStickinessType] = attrs["stickiness.type"]
	}
	return ownership.Observed(resource.KindTargetGroup, address, arn, stack, tags, props, map[string]string{
		attrARN: arn, attrName: aws.ToString(tg.TargetGroupName),
	})
}

func tgAttributes(ctx context.Context, api API, arn string) (map[string]string, error) {
	out, err := api.DescribeTargetGroupAttributes(ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("describe attributes of target group %s: %w", arn, err)
	}
	return tagged.Map(out.Attributes, func(a types.TargetGroupAttribute) (*string, *string) { return a.Key, a.Value }), nil
}

func copyProps(p resource.Props) resource.Props {
	out := make(resource.Props, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}
