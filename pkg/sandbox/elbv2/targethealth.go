package elbv2

import (
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// describeTargetHealth lists the targets other services registered in the
// group (ECS tasks, through api.Targets) with their health; a target asked
// for that is not registered is reported unused.
func describeTargetHealth(c *api.Call, in *elb.DescribeTargetHealthInput) (*elb.DescribeTargetHealthOutput, error) {
	tg, err := region(c).findTargetGroup(aws.ToString(in.TargetGroupArn))
	if err != nil {
		return nil, err
	}
	registered := registeredTargets(c, aws.ToString(tg.G.TargetGroupArn))
	out := &elb.DescribeTargetHealthOutput{TargetHealthDescriptions: []types.TargetHealthDescription{}}
	if len(in.Targets) == 0 {
		for _, t := range registered {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, targetHealth(tg, t))
		}
		return out, nil
	}
	for _, want := range in.Targets {
		i := slices.IndexFunc(registered, func(t api.Target) bool {
			return t.ID == aws.ToString(want.Id) && (want.Port == nil || *want.Port == t.Port)
		})
		if i >= 0 {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, targetHealth(tg, registered[i]))
			continue
		}
		out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, types.TargetHealthDescription{
			Target: &types.TargetDescription{Id: want.Id, Port: want.Port},
			TargetHealth: &types.TargetHealth{State: types.TargetHealthStateEnumUnused, Reason: types.TargetHealthReasonEnumNotRegistered,
				Description: aws.String("Target is not registered to the target group")},
		})
	}
	return out, nil
}

// registeredTargets gathers the targets every other service holds in the
// target group ARN.
func registeredTargets(c *api.Call, arn string) []api.Target {
	var out []api.Target
	for _, name := range c.World.Services() {
		if src, ok := c.World.State(name).(api.Targets); ok {
			out = append(out, src.TargetsOf(c.Region, arn)...)
		}
	}
	return out
}

// targetDescription is ELB's wording of a reason code.
func targetDescription(reason string) string {
	switch reason {
	case "Elb.RegistrationInProgress":
		return "Target registration is in progress"
	case "Elb.InitialHealthChecking":
		return "Initial health checks in progress"
	case "Target.FailedHealthChecks":
		return "Health checks failed"
	case "Target.DeregistrationInProgress":
		return "Target deregistration is in progress"
	}
	return ""
}

func targetHealth(tg *TargetGroup, t api.Target) types.TargetHealthDescription {
	port := aws.ToString(tg.G.HealthCheckPort)
	if port == "traffic-port" || port == "" {
		port = strconv.Itoa(int(t.Port))
	}
	h := &types.TargetHealth{State: types.TargetHealthStateEnum(t.State)}
	if t.Reason != "" {
		h.Reason, h.Description = types.TargetHealthReasonEnum(t.Reason), aws.String(targetDescription(t.Reason))
	}
	target := &types.TargetDescription{Id: aws.String(t.ID), Port: aws.Int32(t.Port)}
	if t.Zone != "" {
		target.AvailabilityZone = aws.String(t.Zone)
	}
	return types.TargetHealthDescription{Target: target, TargetHealth: h, HealthCheckPort: aws.String(port)}
}
