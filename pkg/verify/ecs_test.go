package verify

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

func task(id, ip, last string, stopped time.Time, reason string) ecstypes.Task {
	return ecstypes.Task{TaskArn: aws.String("arn:aws:ecs:eu-west-1:1:task/c/" + id), LastStatus: aws.String(last), StoppedReason: aws.String(reason),
		StoppingAt: aws.Time(stopped), Attachments: []ecstypes.Attachment{{Details: []ecstypes.KeyValuePair{{Name: aws.String("privateIPv4Address"), Value: aws.String(ip)}}}}}
}

// TestService is a service with one task replaced after a failed health
// check: not steady, its new task's target unhealthy, and Cloud Map
// holding the stopped task's address instead of the new one's.
func TestService(t *testing.T) {
	ref := func(a, attr string) resource.Ref { return resource.Ref{Address: a, Attr: attr} }
	desired := []resource.Desired{{Address: "t.service", Kind: resource.KindECSService, Props: resource.Props{"name": "svc", "cluster": ref("t.cluster", "arn"),
		"target_group_arn": ref("t.tg", "arn"), "registry_arn": ref("t.discovery", "arn")}}}
	tg := "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/svc/abc"
	snap := snapshot(resource.Observation{Address: "t.service", Exists: true, ID: "svc"},
		resource.Observation{Address: "t.cluster", Exists: true, ID: "c", Attrs: map[string]string{"arn": "arn-c"}},
		resource.Observation{Address: "t.tg", Exists: true, ID: tg, Attrs: map[string]string{"arn": tg}},
		resource.Observation{Address: "t.discovery", Exists: true, ID: "srv-1", Attrs: map[string]string{"arn": "arn-srv"}})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fakeTasks := fakeECS{
		ServicesFn: func(in *ecs.DescribeServicesInput) *ecs.DescribeServicesOutput {
			return &ecs.DescribeServicesOutput{Services: []ecstypes.Service{{ServiceName: aws.String("svc"), Status: aws.String("ACTIVE"), DesiredCount: 2, RunningCount: 1,
				Deployments: []ecstypes.Deployment{{Id: aws.String("d-1"), Status: aws.String("PRIMARY"), RolloutState: ecstypes.DeploymentRolloutStateInProgress}}}}}
		},
		ListFn: func(in *ecs.ListTasksInput) *ecs.ListTasksOutput {
			if in.DesiredStatus == ecstypes.DesiredStatusStopped {
				return &ecs.ListTasksOutput{TaskArns: []string{"old", "older"}}
			}
			return &ecs.ListTasksOutput{TaskArns: []string{"new", "ok"}}
		},
		TasksFn: func(in *ecs.DescribeTasksInput) *ecs.DescribeTasksOutput {
			all := map[string]ecstypes.Task{
				"new": task("new", "10.0.0.2", "RUNNING", time.Time{}, ""), "ok": task("ok", "10.0.0.3", "RUNNING", time.Time{}, ""),
				"older": task("older", "10.0.0.9", "STOPPED", now, "Task failed ELB health checks"),
				"old":   task("old", "10.0.0.1", "STOPPED", now.Add(time.Minute), "Essential container in task exited"),
			}
			out := &ecs.DescribeTasksOutput{}
			for _, a := range in.Tasks {
				out.Tasks = append(out.Tasks, all[a])
			}
			return out
		},
	}
	health := fakeELB{HealthFn: func(*elb.DescribeTargetHealthInput) *elb.DescribeTargetHealthOutput {
		return &elb.DescribeTargetHealthOutput{TargetHealthDescriptions: []elbtypes.TargetHealthDescription{
			{Target: &elbtypes.TargetDescription{Id: aws.String("10.0.0.2")}, TargetHealth: &elbtypes.TargetHealth{State: "unhealthy", Reason: "Target.FailedHealthChecks", Description: aws.String("Health checks failed")}},
			{Target: &elbtypes.TargetDescription{Id: aws.String("10.0.0.3")}, TargetHealth: &elbtypes.TargetHealth{State: "healthy"}},
		}}
	}}
	cloudMap := fakeCloudMap{InstancesFn: func(in *servicediscovery.ListInstancesInput) *servicediscovery.ListInstancesOutput {
		return &servicediscovery.ListInstancesOutput{Instances: []sdtypes.InstanceSummary{
			{Id: aws.String("i-old"), Attributes: map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1"}},
			{Id: aws.String("i-ok"), Attributes: map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.3"}},
		}}
	}}
	rep, err := Run(context.Background(), Clients{ECS: fakeTasks, ELB: health, CloudMap: cloudMap}, Input{Desired: desired, Snapshot: snap})
	if err != nil {
		t.Fatal(err)
	}
	want := []summary{
		{Name: "service steady", Status: "fail", Message: "1 of 2 tasks running",
			Details: []string{"1 of 2 tasks running", "primary deployment d-1 is in_progress",
				"task old stopped: Essential container in task exited", "task older stopped: Task failed ELB health checks"},
			Hint: "the stopped tasks' reasons above; aws ecs describe-services --cluster arn-c --services svc (events); the log group of the task definition"},
		{Name: "targets healthy", Status: "fail", Message: "1 healthy targets in svc",
			Details: []string{"target 10.0.0.2 (task new) is unhealthy: Target.FailedHealthChecks (Health checks failed)"},
			Hint:    "the health check (path and port of target group svc) and the tasks' logs; aws elbv2 describe-target-health --target-group-arn " + tg},
		{Name: "cloud map instances", Status: "fail", Message: "2 instances in srv-1 for 2 running tasks",
			Details: []string{"missing: task new (10.0.0.2) is running but not registered", "extra: instance i-old (10.0.0.1) is no running task"},
			Hint:    "aws servicediscovery list-instances --service-id srv-1; a task missing from Cloud Map is not found by DNS_PING: stop it (aws ecs stop-task) and ECS starts one that registers"},
	}
	if diff := cmp.Diff(want, summaries(rep)); diff != "" {
		t.Errorf("each problem named, stopped tasks newest first and once (-want +got):\n%s", diff)
	}
}
