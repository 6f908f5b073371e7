package ecs_test

import (
	"context"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/ecs"
	"github.com/kcstack/kcstack/pkg/sandbox/elbv2"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/servicediscovery"
)

// taskEnv is a VPC with two subnets, a load balancer forwarding to an ip
// target group, a Cloud Map service and an ECS cluster with a Fargate task
// definition: what a Keycloak service runs in.
type taskEnv struct {
	ctx      context.Context
	ecs      *awsecs.Client
	elb      *elb.Client
	sd       *sd.Client
	ec2      *awsec2.Client
	subnets  map[string]string // id → CIDR
	order    []string          // the subnet ids in the order of their zones
	tg       string
	registry string
	sdID     string
}

// newTaskEnv starts a sandbox with opts after zero delays: every task
// moves as far as it can at each call, so no test waits.
func newTaskEnv(t *testing.T, opts ...sandbox.Option) *taskEnv {
	t.Helper()
	opts = append([]sandbox.Option{sandbox.WithDelays(0, 0), sandbox.WithServices(ec2.Service(), ecs.Service(), elbv2.Service(), servicediscovery.Service())}, opts...)
	return buildTaskEnv(t, sandboxtest.AWSConfig(t, sandboxtest.New(t, opts...)))
}

func buildTaskEnv(t *testing.T, cfg aws.Config) *taskEnv {
	t.Helper()
	e := &taskEnv{ctx: context.Background(), ecs: awsecs.NewFromConfig(cfg), elb: elb.NewFromConfig(cfg), sd: sd.NewFromConfig(cfg), ec2: awsec2.NewFromConfig(cfg), subnets: map[string]string{}}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	vpc, err := e.ec2.CreateVpc(e.ctx, &awsec2.CreateVpcInput{CidrBlock: aws.String("10.70.0.0/16")})
	must("CreateVpc", err)
	var ids []string
	for i, z := range []string{"eu-west-1a", "eu-west-1b"} {
		cidr := []string{"10.70.1.0/24", "10.70.2.0/24"}[i]
		sn, err := e.ec2.CreateSubnet(e.ctx, &awsec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(z)})
		must("CreateSubnet", err)
		e.subnets[aws.ToString(sn.Subnet.SubnetId)] = cidr
		ids = append(ids, aws.ToString(sn.Subnet.SubnetId))
	}
	e.order = ids
	lb, err := e.elb.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("kc"), Subnets: ids})
	must("CreateLoadBalancer", err)
	tg, err := e.elb.CreateTargetGroup(e.ctx, &elb.CreateTargetGroupInput{Name: aws.String("kc"), TargetType: elbtypes.TargetTypeEnumIp, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(8080), VpcId: vpc.Vpc.VpcId, HealthCheckPath: aws.String("/health/ready"), HealthCheckPort: aws.String("9000")})
	must("CreateTargetGroup", err)
	e.tg = aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	_, err = e.elb.CreateListener(e.ctx, &elb.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(e.tg)}}})
	must("CreateListener", err)
	op, err := e.sd.CreatePrivateDnsNamespace(e.ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("kc.internal"), Vpc: vpc.Vpc.VpcId})
	must("CreatePrivateDnsNamespace", err)
	got, err := e.sd.GetOperation(e.ctx, &sd.GetOperationInput{OperationId: op.OperationId})
	must("GetOperation", err)
	if got.Operation.Status == sdtypes.OperationStatusSuccess {
		e.createRegistry(t, got.Operation.Targets["NAMESPACE"])
	}
	_, err = e.ecs.CreateCluster(e.ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("kc")})
	must("CreateCluster", err)
	_, err = e.ecs.RegisterTaskDefinition(e.ctx, keycloakTaskDef("kc"))
	must("RegisterTaskDefinition", err)
	return e
}

// createRegistry makes the Cloud Map service the ECS service registers
// into (once the namespace exists: not with long delays).
func (e *taskEnv) createRegistry(t *testing.T, namespace string) {
	t.Helper()
	svc, err := e.sd.CreateService(e.ctx, &sd.CreateServiceInput{Name: aws.String("jgroups"), NamespaceId: aws.String(namespace),
		DnsConfig:               &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}},
		HealthCheckCustomConfig: &sdtypes.HealthCheckCustomConfig{}})
	if err != nil {
		t.Fatalf("Cloud Map CreateService: %v", err)
	}
	e.registry, e.sdID = aws.ToString(svc.Service.Arn), aws.ToString(svc.Service.Id)
}

// createService creates service kc with count tasks behind the target
// group and in the Cloud Map service.
func (e *taskEnv) createService(t *testing.T, count int32, breaker bool) *types.Service {
	t.Helper()
	var registries []types.ServiceRegistry
	if e.registry != "" {
		registries = []types.ServiceRegistry{{RegistryArn: aws.String(e.registry)}}
	}
	out, err := e.ecs.CreateService(e.ctx, &awsecs.CreateServiceInput{
		Cluster: aws.String("kc"), ServiceName: aws.String("kc"), TaskDefinition: aws.String("kc"), DesiredCount: aws.Int32(count), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration:    &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: e.order}},
		LoadBalancers:           []types.LoadBalancer{{TargetGroupArn: aws.String(e.tg), ContainerName: aws.String("keycloak"), ContainerPort: aws.Int32(8080)}},
		ServiceRegistries:       registries,
		DeploymentConfiguration: &types.DeploymentConfiguration{DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: breaker}},
		PropagateTags:           types.PropagateTagsService, Tags: stackTags(),
	})
	if err != nil {
		t.Fatalf("CreateService: %v", err)
	}
	return out.Service
}

func (e *taskEnv) service(t *testing.T) types.Service {
	t.Helper()
	out, err := e.ecs.DescribeServices(e.ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("kc"), Services: []string{"kc"}})
	if err != nil || len(out.Services) != 1 {
		t.Fatalf("DescribeServices: %+v, %v", out, err)
	}
	return out.Services[0]
}

// tasks lists and describes the tasks of service kc with a desired status.
func (e *taskEnv) tasks(t *testing.T, desired types.DesiredStatus) []types.Task {
	t.Helper()
	list, err := e.ecs.ListTasks(e.ctx, &awsecs.ListTasksInput{Cluster: aws.String("kc"), ServiceName: aws.String("kc"), DesiredStatus: desired})
	if err != nil {
		t.Fatalf("ListTasks %s: %v", desired, err)
	}
	if len(list.TaskArns) == 0 {
		return nil
	}
	out, err := e.ecs.DescribeTasks(e.ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("kc"), Tasks: list.TaskArns, Include: []types.TaskField{types.TaskFieldTags}})
	if err != nil || len(out.Failures) != 0 {
		t.Fatalf("DescribeTasks: %+v, %v", out, err)
	}
	return out.Tasks
}

// targets returns "ip:port state reason" for each target of the group.
func (e *taskEnv) targets(t *testing.T) []string {
	t.Helper()
	out, err := e.elb.DescribeTargetHealth(e.ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(e.tg)})
	if err != nil {
		t.Fatalf("DescribeTargetHealth: %v", err)
	}
	var got []string
	for _, d := range out.TargetHealthDescriptions {
		if aws.ToString(d.HealthCheckPort) != "9000" {
			t.Errorf("target %s health check port %s, want the target group's 9000", aws.ToString(d.Target.Id), aws.ToString(d.HealthCheckPort))
		}
		got = append(got, strings.TrimSpace(aws.ToString(d.Target.Id)+":"+strconv.Itoa(int(aws.ToInt32(d.Target.Port)))+" "+string(d.TargetHealth.State)+" "+string(d.TargetHealth.Reason)))
	}
	return got
}

// instances returns the AWS_INSTANCE_IPV4 of each Cloud Map instance.
func (e *taskEnv) instances(t *testing.T) []string {
	t.Helper()
	if e.sdID == "" {
		return nil
	}
	out, err := e.sd.ListInstances(e.ctx, &sd.ListInstancesInput{ServiceId: aws.String(e.sdID)})
	if err != nil {
		t.Fatalf("ListInstances: %v", err)
	}
	var got []string
	for _, i := range out.Instances {
		got = append(got, i.Attributes["AWS_INSTANCE_IPV4"])
	}
	slices.Sort(got)
	return got
}

// addressOf returns a task's private address from its ENI attachment.
func addressOf(task types.Task) string {
	for _, a := range task.Attachments {
		for _, d := range a.Details {
			if aws.ToString(d.Name) == "privateIPv4Address" {
				return aws.ToString(d.Value)
			}
		}
	}
	return ""
}

// ipTargets returns "ip:8080 <state>" for each task's address, sorted.
func ipTargets(tasks []types.Task, state string) []string {
	var out []string
	for _, task := range tasks {
		out = append(out, addressOf(task)+":8080 "+state)
	}
	slices.Sort(out)
	return out
}

func addresses(tasks []types.Task) []string {
	var out []string
	for _, task := range tasks {
		out = append(out, addressOf(task))
	}
	slices.Sort(out)
	return out
}

func TestServiceRunsTasks(t *testing.T) {
	e := newTaskEnv(t)
	created := e.createService(t, 2, true)
	if created.PendingCount != 2 || created.RunningCount != 0 {
		t.Errorf("CreateService: pending %d running %d, want 2 0", created.PendingCount, created.RunningCount)
	}
	svc := e.service(t)
	d := svc.Deployments[0]
	if svc.RunningCount != 2 || svc.PendingCount != 0 || len(svc.Deployments) != 1 || d.RolloutState != types.DeploymentRolloutStateCompleted || d.RunningCount != 2 || d.DesiredCount != 2 {
		t.Errorf("service after the create delay: running %d pending %d deployments %+v", svc.RunningCount, svc.PendingCount, svc.Deployments)
	}
	if msg := aws.ToString(svc.Events[0].Message); msg != "(service kc) has reached a steady state." {
		t.Errorf("latest event %q, want the steady state", msg)
	}
	tasks := e.tasks(t, types.DesiredStatusRunning)
	if len(tasks) != 2 {
		t.Fatalf("running tasks: %d, want 2", len(tasks))
	}
	zones := map[string]bool{}
	for _, task := range tasks {
		checkRunningTask(t, e, task, aws.ToString(d.Id))
		zones[aws.ToString(task.AvailabilityZone)] = true
	}
	if len(zones) != 2 {
		t.Errorf("tasks in zones %v, want one in each of the two", zones)
	}
	if diff := cmp.Diff(ipTargets(tasks, "healthy"), e.targets(t)); diff != "" {
		t.Errorf("targets (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(addresses(tasks), e.instances(t)); diff != "" {
		t.Errorf("Cloud Map instances (-want +got):\n%s", diff)
	}
	checkInterfaces(t, e, tasks)
	checkDiscover(t, e, addresses(tasks))
}

// checkRunningTask checks what DescribeTasks says of a running task.
func checkRunningTask(t *testing.T, e *taskEnv, task types.Task, deployment string) {
	t.Helper()
	ip := addressOf(task)
	inSubnet := false
	for _, cidr := range e.subnets {
		inSubnet = inSubnet || netip.MustParsePrefix(cidr).Contains(netip.MustParseAddr(ip))
	}
	got := []string{aws.ToString(task.LastStatus), aws.ToString(task.DesiredStatus), aws.ToString(task.Group), aws.ToString(task.StartedBy), string(task.LaunchType), aws.ToString(task.Cpu)}
	if diff := cmp.Diff([]string{"RUNNING", "RUNNING", "service:kc", deployment, "FARGATE", "1024"}, got); diff != "" {
		t.Errorf("task %s (-want +got):\n%s", aws.ToString(task.TaskArn), diff)
	}
	if !inSubnet || task.StartedAt == nil || len(task.Containers) != 1 || aws.ToString(task.Containers[0].LastStatus) != "RUNNING" ||
		aws.ToString(task.Containers[0].NetworkInterfaces[0].PrivateIpv4Address) != ip || len(task.Tags) != 1 {
		t.Errorf("task %s: address %s in a service subnet %v, started %v, containers %+v, tags %+v", aws.ToString(task.TaskArn), ip, inSubnet, task.StartedAt, task.Containers, task.Tags)
	}
	if !strings.HasPrefix(aws.ToString(task.TaskArn), "arn:aws:ecs:eu-west-1:") || !strings.Contains(aws.ToString(task.TaskArn), ":task/kc/") {
		t.Errorf("task ARN %s, want arn:aws:ecs:eu-west-1:<account>:task/kc/<id>", aws.ToString(task.TaskArn))
	}
}

// checkInterfaces checks that EC2 lists each task's interface with the
// task's address and id.
func checkInterfaces(t *testing.T, e *taskEnv, tasks []types.Task) {
	t.Helper()
	out, err := e.ec2.DescribeNetworkInterfaces(e.ctx, &awsec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{{Name: aws.String("requester-id"), Values: []string{"amazon-ecs"}}}})
	if err != nil {
		t.Fatalf("DescribeNetworkInterfaces: %v", err)
	}
	var got, want []string
	for _, ni := range out.NetworkInterfaces {
		got = append(got, aws.ToString(ni.NetworkInterfaceId)+" "+aws.ToString(ni.PrivateIpAddress))
	}
	for _, task := range tasks {
		for _, dt := range task.Attachments[0].Details {
			if aws.ToString(dt.Name) == "networkInterfaceId" {
				want = append(want, aws.ToString(dt.Value)+" "+addressOf(task))
			}
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("task interfaces in EC2 (-want +got):\n%s", diff)
	}
}

// checkDiscover calls DiscoverInstances (whose data- host prefix a
// loopback endpoint cannot take) and checks the healthy addresses.
func checkDiscover(t *testing.T, e *taskEnv, want []string) {
	t.Helper()
	noPrefix := func(o *sd.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("noHostPrefix", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.After)
		})
	}
	out, err := e.sd.DiscoverInstances(e.ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("kc.internal"), ServiceName: aws.String("jgroups")}, noPrefix)
	if err != nil {
		t.Fatalf("DiscoverInstances: %v", err)
	}
	var got []string
	for _, i := range out.Instances {
		if i.HealthStatus == sdtypes.HealthStatusHealthy {
			got = append(got, i.Attributes["AWS_INSTANCE_IPV4"])
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DiscoverInstances healthy (-want +got):\n%s", diff)
	}
}

func TestScalingStoppingAndDeregistering(t *testing.T) {
	e := newTaskEnv(t)
	e.createService(t, 2, true)
	deployment := aws.ToString(e.service(t).Deployments[0].Id)
	if _, err := e.ecs.UpdateService(e.ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("kc"), Service: aws.String("kc"), DesiredCount: aws.Int32(1)}); err != nil {
		t.Fatalf("UpdateService: %v", err)
	}
	stopped := e.tasks(t, types.DesiredStatusStopped)
	if len(stopped) != 1 || aws.ToString(stopped[0].StoppedReason) != "Scaling activity initiated by (deployment "+deployment+")" ||
		stopped[0].StopCode != types.TaskStopCodeServiceSchedulerInitiated || aws.ToString(stopped[0].LastStatus) != "STOPPED" || stopped[0].StoppedAt == nil {
		t.Fatalf("after scaling to 1, stopped tasks: %+v", stopped)
	}
	running := e.tasks(t, types.DesiredStatusRunning)
	if diff := cmp.Diff(ipTargets(running, "healthy"), e.targets(t)); diff != "" || len(running) != 1 {
		t.Errorf("targets after scaling to 1 (-want +got):\n%s", diff)
	}
	if svc := e.service(t); len(svc.Deployments) != 1 || aws.ToString(svc.Deployments[0].Id) != deployment || svc.RunningCount != 1 {
		t.Errorf("scaling made a new deployment or kept the count: %+v", svc.Deployments)
	}

	// A task stopped by hand: ECS starts another in its place.
	stop, err := e.ecs.StopTask(e.ctx, &awsecs.StopTaskInput{Cluster: aws.String("kc"), Task: running[0].TaskArn})
	if err != nil || aws.ToString(stop.Task.DesiredStatus) != "STOPPED" {
		t.Fatalf("StopTask: %+v, %v", stop, err)
	}
	again := e.tasks(t, types.DesiredStatusRunning)
	if len(again) != 1 || aws.ToString(again[0].TaskArn) == aws.ToString(running[0].TaskArn) {
		t.Fatalf("after StopTask, running tasks %+v, want one other than %s", again, aws.ToString(running[0].TaskArn))
	}
	desc, err := e.ecs.DescribeTasks(e.ctx, &awsecs.DescribeTasksInput{Cluster: aws.String("kc"), Tasks: []string{aws.ToString(running[0].TaskArn), "0123456789abcdef0123456789abcdef"}})
	if err != nil || len(desc.Tasks) != 1 || aws.ToString(desc.Tasks[0].StoppedReason) != "Task stopped by user" || desc.Tasks[0].StopCode != types.TaskStopCodeUserInitiated ||
		len(desc.Failures) != 1 || aws.ToString(desc.Failures[0].Reason) != "MISSING" {
		t.Errorf("DescribeTasks of the stopped task and a missing one: %+v, %v", desc, err)
	}

	// A Cloud Map instance deregistered by hand stays away; the task runs on.
	id := aws.ToString(again[0].TaskArn)[strings.LastIndex(aws.ToString(again[0].TaskArn), "/")+1:]
	if _, err := e.sd.DeregisterInstance(e.ctx, &sd.DeregisterInstanceInput{ServiceId: aws.String(e.sdID), InstanceId: aws.String(id)}); err != nil {
		t.Fatalf("DeregisterInstance: %v", err)
	}
	if got := e.instances(t); len(got) != 0 || len(e.tasks(t, types.DesiredStatusRunning)) != 1 {
		t.Errorf("after DeregisterInstance: instances %v, want none while the task runs", got)
	}
	if _, err := e.sd.DeregisterInstance(e.ctx, &sd.DeregisterInstanceInput{ServiceId: aws.String(e.sdID), InstanceId: aws.String(id)}); sandboxtest.Code(err) != "InstanceNotFound" {
		t.Errorf("second DeregisterInstance: want InstanceNotFound, got %v", err)
	}

	if _, err := e.ecs.DeleteService(e.ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("kc"), Service: aws.String("kc"), Force: aws.Bool(true)}); err != nil {
		t.Fatalf("DeleteService: %v", err)
	}
	if got := e.targets(t); len(got) != 0 || len(e.tasks(t, types.DesiredStatusRunning)) != 0 || aws.ToString(e.service(t).Status) != "INACTIVE" {
		t.Errorf("after DeleteService: targets %v, want none and the service inactive", got)
	}
}

func TestTaskFailureRateOneNeverSettles(t *testing.T) {
	e := newTaskEnv(t, sandbox.WithFaults(sandbox.Faults{TaskFailureRate: 1, Seed: 7}))
	e.createService(t, 1, true)
	running := e.tasks(t, types.DesiredStatusRunning)
	if diff := cmp.Diff(ipTargets(running, "unhealthy Target.FailedHealthChecks"), e.targets(t)); diff != "" {
		t.Errorf("targets of a failing task (-want +got):\n%s", diff)
	}
	for range 6 {
		if svc := e.service(t); svc.Deployments[0].RolloutState == types.DeploymentRolloutStateCompleted {
			t.Fatalf("a service whose every task fails completed its deployment: %+v", svc.Deployments[0])
		}
	}
	stopped := e.tasks(t, types.DesiredStatusStopped)
	if len(stopped) < 3 {
		t.Fatalf("stopped tasks after 6 calls: %d, want at least 3", len(stopped))
	}
	for _, task := range stopped {
		if want := "Task failed ELB health checks in (target-group " + e.tg + ")"; aws.ToString(task.StoppedReason) != want {
			t.Errorf("stopped reason %q, want %q", aws.ToString(task.StoppedReason), want)
		}
	}
	if running := e.tasks(t, types.DesiredStatusRunning); len(running) != 1 {
		t.Errorf("running tasks: %d, want the one replacement", len(running))
	}
	svc := e.service(t)
	if d := svc.Deployments[0]; d.RolloutState != types.DeploymentRolloutStateFailed || d.FailedTasks < 3 || aws.ToString(d.RolloutStateReason) != "ECS deployment circuit breaker: tasks failed to start." {
		t.Errorf("deployment after 3 failed tasks with the circuit breaker on: %+v", d)
	}
}

// TestTaskFailuresFollowTheSeed runs the same service on two sandboxes
// with one seed and on a third with another: which tasks fail depends on
// the seed alone.
func TestTaskFailuresFollowTheSeed(t *testing.T) {
	healthy := func(seed uint64) []string {
		e := newTaskEnv(t, sandbox.WithFaults(sandbox.Faults{TaskFailureRate: 0.5, Seed: seed}))
		e.createService(t, 8, false)
		return e.targets(t) // the first call after the create: every task just ran its health check
	}
	first, second := healthy(1), healthy(1)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("two runs with seed 1 differ (-first +second):\n%s", diff)
	}
	if n := strings.Count(strings.Join(first, " "), "unhealthy"); n == 0 || n == 8 {
		t.Errorf("seed 1 at rate 0.5 failed %d of 8 tasks: %v", n, first)
	}
	if other := healthy(2); cmp.Equal(first, other) {
		t.Errorf("seeds 1 and 2 fail the same tasks: %v", first)
	}
}

// TestTasksBeforeTheCreateDelay looks at a service whose create delay has
// not passed: its tasks are provisioning, nothing is registered yet.
func TestTasksBeforeTheCreateDelay(t *testing.T) {
	e := newTaskEnv(t, sandbox.WithDelays(time.Hour, time.Hour))
	e.createService(t, 2, true)
	svc := e.service(t)
	tasks := e.tasks(t, types.DesiredStatusRunning)
	if svc.RunningCount != 0 || svc.PendingCount != 2 || svc.Deployments[0].RolloutState != types.DeploymentRolloutStateInProgress || len(tasks) != 2 {
		t.Fatalf("service before the delay: running %d pending %d rollout %s tasks %d", svc.RunningCount, svc.PendingCount, svc.Deployments[0].RolloutState, len(tasks))
	}
	for _, task := range tasks {
		if aws.ToString(task.LastStatus) != "PROVISIONING" || task.StartedAt != nil || addressOf(task) == "" {
			t.Errorf("task before the delay: status %s started %v address %q", aws.ToString(task.LastStatus), task.StartedAt, addressOf(task))
		}
	}
	if got, inst := e.targets(t), e.instances(t); len(got) != 0 || len(inst) != 0 {
		t.Errorf("before the tasks run: targets %v instances %v, want none", got, inst)
	}
}

// TestTasksSurviveRestart restarts the sandbox on its state file: the
// tasks come back with their ids and addresses, still registered.
func TestTasksSurviveRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	services := sandbox.WithServices(ec2.Service(), ecs.Service(), elbv2.Service(), servicediscovery.Service())
	srv, err := sandbox.Start(sandbox.WithStateFile(file), sandbox.WithDelays(0, 0), services)
	if err != nil {
		t.Fatal(err)
	}
	e := buildTaskEnv(t, sandboxtest.AWSConfig(t, srv))
	e.createService(t, 2, true)
	before := e.tasks(t, types.DesiredStatusRunning)
	targets := e.targets(t)
	if err := srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	again := sandboxtest.New(t, sandbox.WithStateFile(file), sandbox.WithDelays(0, 0), services)
	cfg := sandboxtest.AWSConfig(t, again)
	e.ecs, e.elb, e.sd = awsecs.NewFromConfig(cfg), elb.NewFromConfig(cfg), sd.NewFromConfig(cfg)
	after := e.tasks(t, types.DesiredStatusRunning)
	arns := func(ts []types.Task) []string {
		var out []string
		for _, task := range ts {
			out = append(out, aws.ToString(task.TaskArn)+" "+addressOf(task))
		}
		slices.Sort(out)
		return out
	}
	if diff := cmp.Diff(arns(before), arns(after)); diff != "" {
		t.Errorf("tasks after the restart (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(targets, e.targets(t)); diff != "" {
		t.Errorf("targets after the restart (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(addresses(before), e.instances(t)); diff != "" {
		t.Errorf("instances after the restart (-want +got):\n%s", diff)
	}
}
