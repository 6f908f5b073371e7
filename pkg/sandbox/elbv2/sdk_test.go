package elbv2_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/ecs"
	"github.com/kcstack/kcstack/pkg/sandbox/elbv2"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/tagging"
)

type env struct {
	elb     *elb.Client
	ec2     *awsec2.Client
	ecs     *awsecs.Client
	tagging *rgt.Client
	vpc     string
	subnets []string
	sg      string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	srv := sandboxtest.New(t, sandbox.WithServices(ec2.Service(), elbv2.Service(), ecs.Service(), tagging.Service()))
	cfg := sandboxtest.AWSConfig(t, srv)
	e := &env{elb: elb.NewFromConfig(cfg), ec2: awsec2.NewFromConfig(cfg), ecs: awsecs.NewFromConfig(cfg), tagging: rgt.NewFromConfig(cfg)}
	vpc, err := e.ec2.CreateVpc(ctx, &awsec2.CreateVpcInput{CidrBlock: aws.String("10.30.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	e.vpc = aws.ToString(vpc.Vpc.VpcId)
	for i, zone := range []string{"eu-west-1a", "eu-west-1b"} {
		sn, err := e.ec2.CreateSubnet(ctx, &awsec2.CreateSubnetInput{VpcId: aws.String(e.vpc), CidrBlock: aws.String(fmt.Sprintf("10.30.%d.0/24", i)), AvailabilityZone: aws.String(zone)})
		if err != nil {
			t.Fatal(err)
		}
		e.subnets = append(e.subnets, aws.ToString(sn.Subnet.SubnetId))
	}
	sg, err := e.ec2.CreateSecurityGroup(ctx, &awsec2.CreateSecurityGroupInput{VpcId: aws.String(e.vpc), GroupName: aws.String("alb"), Description: aws.String("alb")})
	if err != nil {
		t.Fatal(err)
	}
	e.sg = aws.ToString(sg.GroupId)
	return e
}

func stackTags() []types.Tag {
	return []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}}
}

func (e *env) loadBalancer(t *testing.T, name string) types.LoadBalancer {
	t.Helper()
	out, err := e.elb.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
		Name: aws.String(name), Subnets: e.subnets, SecurityGroups: []string{e.sg}, Tags: stackTags(),
	})
	if err != nil {
		t.Fatalf("CreateLoadBalancer: %v", err)
	}
	return out.LoadBalancers[0]
}

func (e *env) targetGroup(t *testing.T, name string) types.TargetGroup {
	t.Helper()
	out, err := e.elb.CreateTargetGroup(context.Background(), &elb.CreateTargetGroupInput{
		Name: aws.String(name), TargetType: types.TargetTypeEnumIp, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String(e.vpc),
		HealthCheckPath: aws.String("/health/ready"), HealthCheckPort: aws.String("9000"), HealthCheckProtocol: types.ProtocolEnumHttp,
		Matcher: &types.Matcher{HttpCode: aws.String("200")}, Tags: stackTags(),
	})
	if err != nil {
		t.Fatalf("CreateTargetGroup: %v", err)
	}
	return out.TargetGroups[0]
}

func TestLoadBalancerLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	lb := e.loadBalancer(t, "kc-prod")
	if !regexp.MustCompile(`^arn:aws:elasticloadbalancing:eu-west-1:\d{12}:loadbalancer/app/kc-prod/[0-9a-f]{16}$`).MatchString(aws.ToString(lb.LoadBalancerArn)) {
		t.Errorf("load balancer ARN %s", aws.ToString(lb.LoadBalancerArn))
	}
	if !regexp.MustCompile(`^kc-prod-\d{10}\.eu-west-1\.elb\.amazonaws\.com$`).MatchString(aws.ToString(lb.DNSName)) {
		t.Errorf("DNS name %s", aws.ToString(lb.DNSName))
	}
	if lb.State.Code != types.LoadBalancerStateEnumProvisioning || lb.Scheme != types.LoadBalancerSchemeEnumInternetFacing || aws.ToString(lb.VpcId) != e.vpc || len(lb.AvailabilityZones) != 2 {
		t.Errorf("new load balancer: %+v", lb)
	}
	waiter := elb.NewLoadBalancerAvailableWaiter(e.elb, func(o *elb.LoadBalancerAvailableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	if err := waiter.Wait(ctx, &elb.DescribeLoadBalancersInput{Names: []string{"kc-prod"}}, 5*time.Second); err != nil {
		t.Fatalf("load-balancer-available waiter: %v", err)
	}
	if _, err := e.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("kc-prod"), Subnets: e.subnets[:2], Scheme: types.LoadBalancerSchemeEnumInternal}); sandboxtest.Code(err) != "DuplicateLoadBalancerName" {
		t.Errorf("same name other settings: want DuplicateLoadBalancerName, got %v", err)
	}
	if _, err := e.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("one"), Subnets: e.subnets[:1]}); sandboxtest.Code(err) != "ValidationError" {
		t.Errorf("one subnet: want ValidationError, got %v", err)
	}
	if _, err := e.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("ghost"), Subnets: []string{e.subnets[0], "subnet-0000000000000000a"}}); sandboxtest.Code(err) != "SubnetNotFound" {
		t.Errorf("missing subnet: want SubnetNotFound, got %v", err)
	}
	internal, err := e.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("kc-internal"), Subnets: e.subnets, Scheme: types.LoadBalancerSchemeEnumInternal})
	if err != nil || !regexp.MustCompile(`^internal-kc-internal-\d{10}\.`).MatchString(aws.ToString(internal.LoadBalancers[0].DNSName)) || len(internal.LoadBalancers[0].SecurityGroups) != 1 {
		t.Errorf("internal load balancer: %+v, %v", internal, err)
	}
	if _, err := e.ec2.DeleteSecurityGroup(ctx, &awsec2.DeleteSecurityGroupInput{GroupId: aws.String(e.sg)}); sandboxtest.Code(err) != "DependencyViolation" {
		t.Errorf("DeleteSecurityGroup used by a load balancer: want DependencyViolation, got %v", err)
	}
	if _, err := e.elb.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); err != nil {
		t.Fatalf("DeleteLoadBalancer: %v", err)
	}
	if _, err := e.elb.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); err != nil {
		t.Errorf("DeleteLoadBalancer again (AWS succeeds): %v", err)
	}
	if _, err := e.elb.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(lb.LoadBalancerArn)}}); sandboxtest.Code(err) != "LoadBalancerNotFound" {
		t.Errorf("describe deleted: want LoadBalancerNotFound, got %v", err)
	}
	if _, err := e.ec2.DeleteSecurityGroup(ctx, &awsec2.DeleteSecurityGroupInput{GroupId: aws.String(e.sg)}); err != nil {
		t.Errorf("DeleteSecurityGroup after the load balancer: %v", err)
	}
}

func TestDescribeLoadBalancersPaginates(t *testing.T) {
	e := newEnv(t)
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("lb-%d", i)
		e.loadBalancer(t, name)
		want = append(want, name)
	}
	p := elb.NewDescribeLoadBalancersPaginator(e.elb, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(2)})
	sandboxtest.CheckPages(t, "DescribeLoadBalancers", want, 3, p.HasMorePages, p.NextPage,
		func(o *elb.DescribeLoadBalancersOutput) []types.LoadBalancer { return o.LoadBalancers }, func(lb types.LoadBalancer) *string { return lb.LoadBalancerName })
}

func TestTargetGroupsAndListeners(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	lb := e.loadBalancer(t, "kc")
	tg := e.targetGroup(t, "kc-http")
	if aws.ToString(tg.HealthCheckPath) != "/health/ready" || aws.ToString(tg.HealthCheckPort) != "9000" || tg.TargetType != types.TargetTypeEnumIp || aws.ToInt32(tg.HealthCheckIntervalSeconds) != 30 {
		t.Errorf("target group: %+v", tg)
	}
	attrs, err := e.elb.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn, Attributes: []types.TargetGroupAttribute{
		{Key: aws.String("stickiness.enabled"), Value: aws.String("true")}, {Key: aws.String("stickiness.type"), Value: aws.String("lb_cookie")},
		{Key: aws.String("stickiness.lb_cookie.duration_seconds"), Value: aws.String("3600")}, {Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
	}})
	if err != nil {
		t.Fatalf("ModifyTargetGroupAttributes: %v", err)
	}
	got, err := e.elb.DescribeTargetGroupAttributes(ctx, &elb.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn})
	if err != nil || !cmp.Equal(attrMap(got.Attributes), attrMap(attrs.Attributes)) || attrMap(got.Attributes)["stickiness.lb_cookie.duration_seconds"] != "3600" {
		t.Errorf("DescribeTargetGroupAttributes: %v, %v", attrMap(got.Attributes), err)
	}
	if _, err := e.elb.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn, Attributes: []types.TargetGroupAttribute{{Key: aws.String("stickiness.type"), Value: aws.String("cookie")}}}); sandboxtest.Code(err) != "ValidationError" {
		t.Errorf("bad stickiness type: want ValidationError, got %v", err)
	}
	mod, err := e.elb.ModifyTargetGroup(ctx, &elb.ModifyTargetGroupInput{TargetGroupArn: tg.TargetGroupArn, HealthCheckPath: aws.String("/health"), HealthCheckPort: aws.String("8080")})
	if err != nil || aws.ToString(mod.TargetGroups[0].HealthCheckPath) != "/health" {
		t.Errorf("ModifyTargetGroup: %+v, %v", mod, err)
	}
	cert := "arn:aws:acm:eu-west-1:123456789012:certificate/0f2a1b3c-4d5e-6f70-8192-a3b4c5d6e7f8"
	https, err := e.elb.CreateListener(ctx, &elb.CreateListenerInput{
		LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(443),
		Certificates:   []types.Certificate{{CertificateArn: aws.String(cert)}},
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}},
	})
	if err != nil {
		t.Fatalf("CreateListener HTTPS: %v", err)
	}
	l := https.Listeners[0]
	if aws.ToString(l.SslPolicy) == "" || aws.ToString(l.DefaultActions[0].ForwardConfig.TargetGroups[0].TargetGroupArn) != aws.ToString(tg.TargetGroupArn) {
		t.Errorf("HTTPS listener: %+v", l)
	}
	redirect := &types.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}
	http, err := e.elb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: redirect}}})
	if err != nil || aws.ToString(http.Listeners[0].DefaultActions[0].RedirectConfig.Host) != "#{host}" {
		t.Fatalf("CreateListener HTTP redirect: %+v, %v", http, err)
	}
	if _, err := e.elb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(8443),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}}); sandboxtest.Code(err) != "ValidationError" {
		t.Errorf("HTTPS without a certificate: want ValidationError, got %v", err)
	}
	if _, err := e.elb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: redirect}}}); sandboxtest.Code(err) != "DuplicateListener" {
		t.Errorf("second listener on 80: want DuplicateListener, got %v", err)
	}
	listed, err := e.elb.DescribeListeners(ctx, &elb.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn})
	if err != nil || len(listed.Listeners) != 2 || aws.ToInt32(listed.Listeners[0].Port) != 80 {
		t.Errorf("DescribeListeners: %+v, %v", listed, err)
	}
	byLB, err := e.elb.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{LoadBalancerArn: lb.LoadBalancerArn})
	if err != nil || len(byLB.TargetGroups) != 1 || !cmp.Equal(byLB.TargetGroups[0].LoadBalancerArns, []string{aws.ToString(lb.LoadBalancerArn)}) {
		t.Errorf("DescribeTargetGroups by load balancer: %+v, %v", byLB, err)
	}
	if _, err := e.elb.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn}); sandboxtest.Code(err) != "ResourceInUse" {
		t.Errorf("DeleteTargetGroup in use: want ResourceInUse, got %v", err)
	}
	mod2, err := e.elb.ModifyListener(ctx, &elb.ModifyListenerInput{ListenerArn: l.ListenerArn, SslPolicy: aws.String("ELBSecurityPolicy-TLS13-1-2-2021-06")})
	if err != nil || aws.ToString(mod2.Listeners[0].SslPolicy) != "ELBSecurityPolicy-TLS13-1-2-2021-06" {
		t.Errorf("ModifyListener: %+v, %v", mod2, err)
	}
	if _, err := e.elb.DeleteListener(ctx, &elb.DeleteListenerInput{ListenerArn: l.ListenerArn}); err != nil {
		t.Fatalf("DeleteListener: %v", err)
	}
	if _, err := e.elb.DeleteListener(ctx, &elb.DeleteListenerInput{ListenerArn: l.ListenerArn}); sandboxtest.Code(err) != "ListenerNotFound" {
		t.Errorf("DeleteListener again: want ListenerNotFound, got %v", err)
	}
	if _, err := e.elb.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn}); err != nil {
		t.Errorf("DeleteTargetGroup after its listener: %v", err)
	}
	if _, err := e.elb.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(tg.TargetGroupArn)}}); sandboxtest.Code(err) != "TargetGroupNotFound" {
		t.Errorf("describe deleted target group: want TargetGroupNotFound, got %v", err)
	}
}

func attrMap(attrs []types.TargetGroupAttribute) map[string]string {
	m := map[string]string{}
	for _, a := range attrs {
		m[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	return m
}

func TestTagsAndECSTargetGroupCheck(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	lb := e.loadBalancer(t, "kc")
	tg := e.targetGroup(t, "kc")
	arns := []string{aws.ToString(lb.LoadBalancerArn), aws.ToString(tg.TargetGroupArn)}
	if _, err := e.elb.AddTags(ctx, &elb.AddTagsInput{ResourceArns: arns, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}); err != nil {
		t.Fatalf("AddTags: %v", err)
	}
	if _, err := e.elb.RemoveTags(ctx, &elb.RemoveTagsInput{ResourceArns: arns[:1], TagKeys: []string{"kcstack:stack"}}); err != nil {
		t.Fatalf("RemoveTags: %v", err)
	}
	got, err := e.elb.DescribeTags(ctx, &elb.DescribeTagsInput{ResourceArns: arns})
	if err != nil || len(got.TagDescriptions) != 2 || len(got.TagDescriptions[0].Tags) != 1 || len(got.TagDescriptions[1].Tags) != 2 {
		t.Errorf("DescribeTags: %+v, %v", got, err)
	}
	res, err := e.tagging.GetResources(ctx, &rgt.GetResourcesInput{ResourceTypeFilters: []string{"elasticloadbalancing:targetgroup"}})
	if err != nil || len(res.ResourceTagMappingList) != 1 {
		t.Errorf("tagging API targetgroup: %+v, %v", res, err)
	}
	if _, err := e.elb.AddTags(ctx, &elb.AddTagsInput{ResourceArns: []string{aws.ToString(tg.TargetGroupArn) + "0"}, Tags: stackTags()}); sandboxtest.Code(err) != "TargetGroupNotFound" {
		t.Errorf("AddTags missing target group: want TargetGroupNotFound, got %v", err)
	}
	// ECS refuses a target group no load balancer uses, as AWS does.
	if _, err := e.ecs.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("kc")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ecs.RegisterTaskDefinition(ctx, &awsecs.RegisterTaskDefinitionInput{Family: aws.String("kc"), ContainerDefinitions: []ecstypes.ContainerDefinition{{
		Name: aws.String("keycloak"), Image: aws.String("keycloak"), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}},
	}}, NetworkMode: ecstypes.NetworkModeAwsvpc}); err != nil {
		t.Fatal(err)
	}
	svc := &awsecs.CreateServiceInput{Cluster: aws.String("kc"), ServiceName: aws.String("kc"), TaskDefinition: aws.String("kc"), DesiredCount: aws.Int32(1),
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: e.subnets, SecurityGroups: []string{e.sg}}},
		LoadBalancers:        []ecstypes.LoadBalancer{{TargetGroupArn: tg.TargetGroupArn, ContainerName: aws.String("keycloak"), ContainerPort: aws.Int32(8080)}}}
	if _, err := e.ecs.CreateService(ctx, svc); sandboxtest.Code(err) != "InvalidParameterException" {
		t.Errorf("ECS service on a target group without a load balancer: want InvalidParameterException, got %v", err)
	}
	if _, err := e.elb.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroupArn}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ecs.CreateService(ctx, svc); err != nil {
		t.Errorf("ECS service once a listener forwards to the target group: %v", err)
	}
	if _, err := e.ec2.DeleteSubnet(ctx, &awsec2.DeleteSubnetInput{SubnetId: aws.String(e.subnets[0])}); sandboxtest.Code(err) != "DependencyViolation" {
		t.Errorf("DeleteSubnet used by a service and a load balancer: want DependencyViolation, got %v", err)
	}
}

func TestSetSecurityGroupsAndSubnets(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	lb := e.loadBalancer(t, "kc")
	sg, err := e.ec2.CreateSecurityGroup(ctx, &awsec2.CreateSecurityGroupInput{VpcId: aws.String(e.vpc), GroupName: aws.String("alb2"), Description: aws.String("alb2")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.elb.SetSecurityGroups(ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: []string{aws.ToString(sg.GroupId)}})
	if err != nil || !cmp.Equal(out.SecurityGroupIds, []string{aws.ToString(sg.GroupId)}) {
		t.Fatalf("SetSecurityGroups: %+v, %v", out, err)
	}
	if _, err := e.elb.SetSecurityGroups(ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: []string{"sg-00000000000000000"}}); sandboxtest.Code(err) != "InvalidSecurityGroup" {
		t.Errorf("unknown group: want InvalidSecurityGroup, got %v", err)
	}
	sn, err := e.ec2.CreateSubnet(ctx, &awsec2.CreateSubnetInput{VpcId: aws.String(e.vpc), CidrBlock: aws.String("10.30.9.0/24"), AvailabilityZone: aws.String("eu-west-1c")})
	if err != nil {
		t.Fatal(err)
	}
	subs, err := e.elb.SetSubnets(ctx, &elb.SetSubnetsInput{LoadBalancerArn: lb.LoadBalancerArn, Subnets: append(e.subnets, aws.ToString(sn.Subnet.SubnetId))})
	if err != nil || len(subs.AvailabilityZones) != 3 {
		t.Fatalf("SetSubnets: %+v, %v", subs, err)
	}
	got, _ := e.elb.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(lb.LoadBalancerArn)}})
	if len(got.LoadBalancers[0].AvailabilityZones) != 3 || got.LoadBalancers[0].SecurityGroups[0] != aws.ToString(sg.GroupId) {
		t.Errorf("load balancer after Set*: %+v", got.LoadBalancers[0])
	}
}

func TestLoadBalancerAttributes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	lb := e.loadBalancer(t, "kc")
	got, err := e.elb.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn})
	if err != nil || lbAttrMap(got.Attributes)["idle_timeout.timeout_seconds"] != "60" {
		t.Fatalf("DescribeLoadBalancerAttributes: %+v, %v", got, err)
	}
	protect := []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("true")}}
	if _, err := e.elb.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn, Attributes: protect}); err != nil {
		t.Fatalf("ModifyLoadBalancerAttributes: %v", err)
	}
	if _, err := e.elb.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); sandboxtest.Code(err) != "OperationNotPermitted" {
		t.Errorf("delete a protected load balancer: want OperationNotPermitted, got %v", err)
	}
	bad := []types.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("0")}}
	if _, err := e.elb.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn, Attributes: bad}); sandboxtest.Code(err) != "ValidationError" {
		t.Errorf("idle timeout 0: want ValidationError, got %v", err)
	}
	protect[0].Value = aws.String("false")
	if _, err := e.elb.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn, Attributes: protect}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.elb.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); err != nil {
		t.Errorf("delete once unprotected: %v", err)
	}
}

func lbAttrMap(attrs []types.LoadBalancerAttribute) map[string]string {
	m := map[string]string{}
	for _, a := range attrs {
		m[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	return m
}
