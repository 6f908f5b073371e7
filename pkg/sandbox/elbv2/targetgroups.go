package elbv2

import (
	"maps"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// defaultAttributes are the attributes of a new HTTP/HTTPS target group.
var defaultAttributes = map[string]string{
	"deregistration_delay.timeout_seconds":                                           "300",
	"stickiness.enabled":                                                             "false",
	"stickiness.type":                                                                "lb_cookie",
	"stickiness.lb_cookie.duration_seconds":                                          "86400",
	"stickiness.app_cookie.cookie_name":                                              "",
	"stickiness.app_cookie.duration_seconds":                                         "86400",
	"load_balancing.algorithm.type":                                                  "round_robin",
	"load_balancing.algorithm.anomaly_mitigation":                                    "off",
	"load_balancing.cross_zone.enabled":                                              "use_load_balancer_configuration",
	"slow_start.duration_seconds":                                                    "0",
	"target_group_health.dns_failover.minimum_healthy_targets.count":                 "1",
	"target_group_health.dns_failover.minimum_healthy_targets.percentage":            "off",
	"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      "1",
	"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
}

// VPCLookup is the part of the EC2 state that tells whether a VPC exists.
type VPCLookup interface {
	DefaultSecurityGroup(region, vpcID string) (groupID string, ok bool)
}

func createTargetGroup(c *api.Call, in *elb.CreateTargetGroupInput) (*elb.CreateTargetGroupOutput, error) {
	name := aws.ToString(in.Name)
	if !validName.MatchString(name) {
		return nil, api.Errorf(codeValidation, "Target group name '%s' can have a maximum of 32 characters, contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen", name)
	}
	if err := checkTargetGroupInput(c, in); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	tg := newTargetGroup(c, in)
	r := region(c)
	if old := r.tgByName(name); old != nil {
		if sameTargetGroup(old, tg) {
			return &elb.CreateTargetGroupOutput{TargetGroups: []types.TargetGroup{r.tgView(old)}}, nil
		}
		return nil, api.Errorf(codeDuplicateTG, "A target group with the same name '%s' exists, but with different settings", name)
	}
	r.TargetGroups[aws.ToString(tg.G.TargetGroupArn)] = tg
	return &elb.CreateTargetGroupOutput{TargetGroups: []types.TargetGroup{r.tgView(tg)}}, nil
}

func checkTargetGroupInput(c *api.Call, in *elb.CreateTargetGroupInput) error {
	if in.TargetType == types.TargetTypeEnumLambda {
		return nil
	}
	switch {
	case in.Protocol == "":
		return api.Errorf(codeValidation, "A protocol must be specified")
	case in.Port == nil:
		return api.Errorf(codeValidation, "A port must be specified")
	case in.VpcId == nil:
		return api.Errorf(codeValidation, "A VPC ID must be specified")
	}
	if lookup, ok := c.World.State("ec2").(VPCLookup); ok {
		if _, found := lookup.DefaultSecurityGroup(c.Region, *in.VpcId); !found {
			return api.Errorf(codeValidation, "The VPC ID '%s' is not found", *in.VpcId)
		}
	}
	return checkHealthCheck(in.HealthCheckPath, in.HealthCheckPort, in.Matcher)
}

func checkHealthCheck(path, port *string, m *types.Matcher) error {
	if path != nil && !strings.HasPrefix(*path, "/") {
		return api.Errorf(codeValidation, "Health check path must begin with a '/' character")
	}
	if port != nil && *port != "traffic-port" {
		if n, err := strconv.Atoi(*port); err != nil || n < 1 || n > 65535 {
			return api.Errorf(codeValidation, "Health check port '%s' must be 'traffic-port' or a number from 1 to 65535", *port)
		}
	}
	if m != nil && m.HttpCode != nil && strings.Trim(*m.HttpCode, "0123456789,-") != "" {
		return api.Errorf(codeValidation, "Health check matcher HTTP code '%s' must be a list or range of codes from 200 to 499", *m.HttpCode)
	}
	return nil
}

func newTargetGroup(c *api.Call, in *elb.CreateTargetGroupInput) *TargetGroup {
	name := aws.ToString(in.Name)
	g := types.TargetGroup{
		TargetGroupArn: aws.String(c.ARN("elasticloadbalancing", "targetgroup/"+name+"/"+api.RandomHex(16))), TargetGroupName: in.Name,
		Protocol: in.Protocol, Port: in.Port, VpcId: in.VpcId, TargetType: in.TargetType,
		HealthCheckEnabled: orBool(in.HealthCheckEnabled, true), HealthCheckProtocol: in.HealthCheckProtocol,
		HealthCheckPort: orString(in.HealthCheckPort, "traffic-port"), HealthCheckPath: in.HealthCheckPath,
		HealthCheckIntervalSeconds: orInt(in.HealthCheckIntervalSeconds, 30), HealthCheckTimeoutSeconds: orInt(in.HealthCheckTimeoutSeconds, 5),
		HealthyThresholdCount: orInt(in.HealthyThresholdCount, 5), UnhealthyThresholdCount: orInt(in.UnhealthyThresholdCount, 2),
		Matcher: in.Matcher, IpAddressType: in.IpAddressType, ProtocolVersion: in.ProtocolVersion,
	}
	if g.TargetType == "" {
		g.TargetType = types.TargetTypeEnumInstance
	}
	if g.HealthCheckProtocol == "" {
		g.HealthCheckProtocol = g.Protocol
	}
	if g.Protocol == types.ProtocolEnumHttp || g.Protocol == types.ProtocolEnumHttps {
		if g.HealthCheckPath == nil {
			g.HealthCheckPath = aws.String("/")
		}
		if g.Matcher == nil {
			g.Matcher = &types.Matcher{HttpCode: aws.String("200")}
		}
		if g.ProtocolVersion == nil {
			g.ProtocolVersion = aws.String("HTTP1")
		}
	}
	if g.IpAddressType == "" {
		g.IpAddressType = types.TargetGroupIpAddressTypeEnumIpv4
	}
	return &TargetGroup{G: g, Attributes: maps.Clone(defaultAttributes), Tags: in.Tags}
}

func orBool(v *bool, d bool) *bool {
	if v == nil {
		return aws.Bool(d)
	}
	return v
}

func orInt(v *int32, d int32) *int32 {
	if v == nil {
		return aws.Int32(d)
	}
	return v
}

func orString(v *string, d string) *string {
	if v == nil {
		return aws.String(d)
	}
	return v
}

func sameTargetGroup(a, b *TargetGroup) bool {
	return a.G.Protocol == b.G.Protocol && aws.ToInt32(a.G.Port) == aws.ToInt32(b.G.Port) && aws.ToString(a.G.VpcId) == aws.ToString(b.G.VpcId) &&
		a.G.TargetType == b.G.TargetType && aws.ToString(a.G.HealthCheckPath) == aws.ToString(b.G.HealthCheckPath) &&
		aws.ToString(a.G.HealthCheckPort) == aws.ToString(b.G.HealthCheckPort)
}

func (r *Region) tgByName(name string) *TargetGroup {
	for _, tg := range r.TargetGroups {
		if aws.ToString(tg.G.TargetGroupName) == name {
			return tg
		}
	}
	return nil
}

// tgView is the target group with the load balancers that use it.
func (r *Region) tgView(tg *TargetGroup) types.TargetGroup {
	v := tg.G
	v.LoadBalancerArns = r.loadBalancersOf(aws.ToString(tg.G.TargetGroupArn))
	if v.LoadBalancerArns == nil {
		v.LoadBalancerArns = []string{}
	}
	return v
}

// findTargetGroup returns the target group or TargetGroupNotFound.
func (r *Region) findTargetGroup(arn string) (*TargetGroup, error) {
	tg, ok := r.TargetGroups[arn]
	if !ok {
		return nil, api.Errorf(codeTGNotFound, "Target groups '%s' not found", arn)
	}
	return tg, nil
}

func describeTargetGroups(c *api.Call, in *elb.DescribeTargetGroupsInput) (*elb.DescribeTargetGroupsOutput, error) {
	r := region(c)
	found, err := r.selectTargetGroups(in)
	if err != nil {
		return nil, err
	}
	list, next, err := page.Of(found, in.Marker, in.PageSize, paging)
	if err != nil {
		return nil, err
	}
	out := &elb.DescribeTargetGroupsOutput{TargetGroups: []types.TargetGroup{}, NextMarker: next}
	for _, tg := range list {
		out.TargetGroups = append(out.TargetGroups, r.tgView(tg))
	}
	return out, nil
}

func (r *Region) selectTargetGroups(in *elb.DescribeTargetGroupsInput) ([]*TargetGroup, error) {
	var found []*TargetGroup
	switch {
	case len(in.TargetGroupArns) > 0:
		for _, arn := range in.TargetGroupArns {
			tg, err := r.findTargetGroup(arn)
			if err != nil {
				return nil, err
			}
			found = append(found, tg)
		}
		return found, nil
	case len(in.Names) > 0:
		for _, n := range in.Names {
			tg := r.tgByName(n)
			if tg == nil {
				return nil, api.Errorf(codeTGNotFound, "One or more target groups not found")
			}
			found = append(found, tg)
		}
		return found, nil
	case in.LoadBalancerArn != nil:
		if r.LoadBalancers[*in.LoadBalancerArn] == nil {
			return nil, api.Errorf(codeLBNotFound, "Load balancers '[%s]' not found", *in.LoadBalancerArn)
		}
	}
	for _, tg := range r.TargetGroups {
		if in.LoadBalancerArn == nil || contains(r.loadBalancersOf(aws.ToString(tg.G.TargetGroupArn)), *in.LoadBalancerArn) {
			found = append(found, tg)
		}
	}
	sort.Slice(found, func(i, j int) bool {
		return aws.ToString(found[i].G.TargetGroupName) < aws.ToString(found[j].G.TargetGroupName)
	})
	return found, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func modifyTargetGroup(c *api.Call, in *elb.ModifyTargetGroupInput) (*elb.ModifyTargetGroupOutput, error) {
	r := region(c)
	tg, err := r.findTargetGroup(aws.ToString(in.TargetGroupArn))
	if err != nil {
		return nil, err
	}
	if err := checkHealthCheck(in.HealthCheckPath, in.HealthCheckPort, in.Matcher); err != nil {
		return nil, err
	}
	g := &tg.G
	set(&g.HealthCheckEnabled, in.HealthCheckEnabled)
	set(&g.HealthCheckPath, in.HealthCheckPath)
	set(&g.HealthCheckPort, in.HealthCheckPort)
	set(&g.HealthCheckIntervalSeconds, in.HealthCheckIntervalSeconds)
	set(&g.HealthCheckTimeoutSeconds, in.HealthCheckTimeoutSeconds)
	set(&g.HealthyThresholdCount, in.HealthyThresholdCount)
	set(&g.UnhealthyThresholdCount, in.UnhealthyThresholdCount)
	set(&g.Matcher, in.Matcher)
	if in.HealthCheckProtocol != "" {
		g.HealthCheckProtocol = in.HealthCheckProtocol
	}
	return &elb.ModifyTargetGroupOutput{TargetGroups: []types.TargetGroup{r.tgView(tg)}}, nil
}

// set replaces *dst with v when v is set.
func set[T any](dst **T, v *T) {
	if v != nil {
		*dst = v
	}
}

func deleteTargetGroup(c *api.Call, in *elb.DeleteTargetGroupInput) (*elb.DeleteTargetGroupOutput, error) {
	r := region(c)
	arn := aws.ToString(in.TargetGroupArn)
	if len(r.loadBalancersOf(arn)) > 0 {
		return nil, api.Errorf(codeInUse, "Target group '%s' is currently in use by a listener or a rule", arn)
	}
	delete(r.TargetGroups, arn) // deleting a target group that is gone succeeds
	return &elb.DeleteTargetGroupOutput{}, nil
}

func describeTargetGroupAttributes(c *api.Call, in *elb.DescribeTargetGroupAttributesInput) (*elb.DescribeTargetGroupAttributesOutput, error) {
	tg, err := region(c).findTargetGroup(aws.ToString(in.TargetGroupArn))
	if err != nil {
		return nil, err
	}
	return &elb.DescribeTargetGroupAttributesOutput{Attributes: attributeList(tg.Attributes)}, nil
}

func attributeList(m map[string]string) []types.TargetGroupAttribute {
	return tagset.Sorted(m, func(k, v string) types.TargetGroupAttribute {
		return types.TargetGroupAttribute{Key: aws.String(k), Value: aws.String(v)}
	})
}

func modifyTargetGroupAttributes(c *api.Call, in *elb.ModifyTargetGroupAttributesInput) (*elb.ModifyTargetGroupAttributesOutput, error) {
	tg, err := region(c).findTargetGroup(aws.ToString(in.TargetGroupArn))
	if err != nil {
		return nil, err
	}
	next := maps.Clone(tg.Attributes)
	for _, a := range in.Attributes {
		k, v := aws.ToString(a.Key), aws.ToString(a.Value)
		if err := checkAttribute(k, v); err != nil {
			return nil, err
		}
		next[k] = v
	}
	tg.Attributes = next
	return &elb.ModifyTargetGroupAttributesOutput{Attributes: attributeList(next)}, nil
}

// checkAttribute validates one target group attribute as ELBv2 does.
func checkAttribute(k, v string) error {
	if _, known := defaultAttributes[k]; !known {
		return api.Errorf(codeValidation, "Target group attribute key '%s' is not recognized", k)
	}
	bad := api.Errorf(codeValidation, "'%s' is not a valid value for target group attribute '%s'", v, k)
	switch k {
	case "stickiness.enabled":
		if v != "true" && v != "false" {
			return bad
		}
	case "stickiness.type":
		if v != "lb_cookie" && v != "app_cookie" {
			return bad
		}
	case "stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.duration_seconds":
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 604800 {
			return bad
		}
	case "deregistration_delay.timeout_seconds":
		if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 3600 {
			return bad
		}
	}
	return nil
}
