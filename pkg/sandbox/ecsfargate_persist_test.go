package sandbox_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestECSFargateStateSurvivesRestart creates one resource of each service
// issue 6 added, restarts the sandbox on the same state file and reads
// them back: every state round-trips through JSON.
func TestECSFargateStateSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "state.json")
	srv, err := sandbox.Start(sandbox.WithListen("127.0.0.1:0"), sandbox.WithStateFile(file), sandbox.WithDelays(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ids := createOneOfEach(t, sandboxtest.AWSConfig(t, srv))
	if err := srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	again := sandboxtest.New(t, sandbox.WithStateFile(file))
	readOneOfEach(ctx, t, sandboxtest.AWSConfig(t, again), ids)
}

type fargateIDs struct{ lb, tg, ns string }

func createOneOfEach(t *testing.T, cfg aws.Config) fargateIDs {
	t.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	ec2c := awsec2.NewFromConfig(cfg)
	vpc, err := ec2c.CreateVpc(ctx, &awsec2.CreateVpcInput{CidrBlock: aws.String("10.60.0.0/16")})
	must("CreateVpc", err)
	var subnets []string
	for i, z := range []string{"eu-west-1a", "eu-west-1b"} {
		sn, err := ec2c.CreateSubnet(ctx, &awsec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String([]string{"10.60.1.0/24", "10.60.2.0/24"}[i]), AvailabilityZone: aws.String(z)})
		must("CreateSubnet", err)
		subnets = append(subnets, aws.ToString(sn.Subnet.SubnetId))
	}
	_, err = cwl.NewFromConfig(cfg).CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/kc/persist")})
	must("CreateLogGroup", err)
	_, err = awsiam.NewFromConfig(cfg).CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("kc-persist"), AssumeRolePolicyDocument: aws.String(`{"Statement":[]}`)})
	must("CreateRole", err)
	s3c := awss3.NewFromConfig(cfg, func(o *awss3.Options) { o.UsePathStyle = true })
	_, err = s3c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: aws.String("kc-persist"), CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}})
	must("CreateBucket", err)
	_, err = s3c.PutObject(ctx, &awss3.PutObjectInput{Bucket: aws.String("kc-persist"), Key: aws.String("k"), Body: strings.NewReader("v")})
	must("PutObject", err)
	elbc := elb.NewFromConfig(cfg)
	lb, err := elbc.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("kc-persist"), Subnets: subnets})
	must("CreateLoadBalancer", err)
	tg, err := elbc.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("kc-persist"), TargetType: elbtypes.TargetTypeEnumIp, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: vpc.Vpc.VpcId})
	must("CreateTargetGroup", err)
	_, err = elbc.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroups[0].TargetGroupArn}}})
	must("CreateListener", err)
	sdc := sd.NewFromConfig(cfg)
	op, err := sdc.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("kc.internal"), Vpc: vpc.Vpc.VpcId})
	must("CreatePrivateDnsNamespace", err)
	time.Sleep(5 * time.Millisecond)
	got, err := sdc.GetOperation(ctx, &sd.GetOperationInput{OperationId: op.OperationId})
	must("GetOperation", err)
	ecsc := awsecs.NewFromConfig(cfg)
	_, err = ecsc.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("kc")})
	must("CreateCluster", err)
	_, err = ecsc.RegisterTaskDefinition(ctx, &awsecs.RegisterTaskDefinitionInput{Family: aws.String("kc"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("keycloak"), Image: aws.String("keycloak"), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}}}}})
	must("RegisterTaskDefinition", err)
	_, err = ecsc.CreateService(ctx, &awsecs.CreateServiceInput{Cluster: aws.String("kc"), ServiceName: aws.String("kc"), TaskDefinition: aws.String("kc"), DesiredCount: aws.Int32(1),
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: subnets}},
		LoadBalancers:        []ecstypes.LoadBalancer{{TargetGroupArn: tg.TargetGroups[0].TargetGroupArn, ContainerName: aws.String("keycloak"), ContainerPort: aws.Int32(8080)}}})
	must("CreateService", err)
	return fargateIDs{lb: aws.ToString(lb.LoadBalancers[0].LoadBalancerArn), tg: aws.ToString(tg.TargetGroups[0].TargetGroupArn), ns: got.Operation.Targets["NAMESPACE"]}
}

func readOneOfEach(ctx context.Context, t *testing.T, cfg aws.Config, ids fargateIDs) {
	t.Helper()
	check := func(what string, ok bool, err error) {
		t.Helper()
		if err != nil || !ok {
			t.Errorf("after restart, %s: %v", what, err)
		}
	}
	lg, err := cwl.NewFromConfig(cfg).DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/kc/")})
	check("log group", err == nil && len(lg.LogGroups) == 1, err)
	_, err = awsiam.NewFromConfig(cfg).GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("kc-persist")})
	check("role", true, err)
	obj, err := awss3.NewFromConfig(cfg, func(o *awss3.Options) { o.UsePathStyle = true }).HeadObject(ctx, &awss3.HeadObjectInput{Bucket: aws.String("kc-persist"), Key: aws.String("k")})
	check("object", err == nil && aws.ToInt64(obj.ContentLength) == 1, err)
	tgs, err := elb.NewFromConfig(cfg).DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(ids.lb)})
	check("target group of the load balancer", err == nil && len(tgs.TargetGroups) == 1 && aws.ToString(tgs.TargetGroups[0].TargetGroupArn) == ids.tg, err)
	_, err = sd.NewFromConfig(cfg).GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String(ids.ns)})
	check("namespace", true, err)
	svcs, err := awsecs.NewFromConfig(cfg).DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("kc"), Services: []string{"kc"}})
	check("ECS service", err == nil && len(svcs.Services) == 1 && len(svcs.Services[0].LoadBalancers) == 1, err)
}
