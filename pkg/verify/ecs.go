package verify

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

// maxStoppedShown bounds the stopped tasks a failed check names.
const maxStoppedShown = 5

// service is one ECS service to check, with what it was read as.
type service struct {
	address, cluster, name string
	props                  resource.Props
	// registry is the desired registry_arn: a reference to the Cloud Map
	// service, nil without one.
	registry any
	live     *ecstypes.Service
	running  []ecstypes.Task
	stopped  []ecstypes.Task
}

// services checks each ECS service: steady state, target health, and for
// a service registered in Cloud Map, its instances against its tasks.
func (v *verifier) services(ctx context.Context) error {
	var svcs []*service
	byCluster := map[string][]string{}
	for _, d := range v.ofKind(resource.KindECSService) {
		p := v.props(d)
		s := &service{address: d.Address, cluster: str(p, "cluster"), name: str(p, "name"), props: p, registry: d.Props["registry_arn"]}
		if !v.observed(d.Address).Exists || s.cluster == "" {
			v.missing("service steady", d.Address)
			continue
		}
		svcs = append(svcs, s)
		byCluster[s.cluster] = append(byCluster[s.cluster], s.name)
	}
	live, err := v.describeServices(ctx, byCluster)
	if err != nil {
		return err
	}
	for _, s := range svcs {
		s.live = live[s.cluster+"/"+s.name]
		if err := v.readTasks(ctx, s); err != nil {
			return err
		}
		steady := v.steady(s)
		if err := v.targets(ctx, s, !steady); err != nil {
			return err
		}
		if err := v.registrations(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// describeServices reads the services, ten a call per cluster (the API's
// limit), keyed cluster/name.
func (v *verifier) describeServices(ctx context.Context, byCluster map[string][]string) (map[string]*ecstypes.Service, error) {
	out := map[string]*ecstypes.Service{}
	for _, cluster := range resource.SortedKeys(byCluster) {
		for chunk := range slices.Chunk(byCluster[cluster], 10) {
			res, err := v.c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: chunk})
			if err != nil {
				return nil, fmt.Errorf("describe services %s of %s: %w", strings.Join(chunk, ", "), cluster, err)
			}
			for i := range res.Services {
				out[cluster+"/"+aws.ToString(res.Services[i].ServiceName)] = &res.Services[i]
			}
		}
	}
	return out, nil
}

// readTasks reads the service's running tasks and its recently stopped
// ones (ListTasks, then DescribeTasks a hundred at a time).
func (v *verifier) readTasks(ctx context.Context, s *service) error {
	var err error
	if s.running, err = v.tasks(ctx, s, ecstypes.DesiredStatusRunning); err != nil {
		return err
	}
	if s.stopped, err = v.tasks(ctx, s, ecstypes.DesiredStatusStopped); err != nil {
		return err
	}
	sort.SliceStable(s.stopped, func(i, j int) bool {
		return aws.ToTime(s.stopped[i].StoppingAt).After(aws.ToTime(s.stopped[j].StoppingAt))
	})
	return nil
}

func (v *verifier) tasks(ctx context.Context, s *service, desired ecstypes.DesiredStatus) ([]ecstypes.Task, error) {
	pages := ecs.NewListTasksPaginator(v.c.ECS, &ecs.ListTasksInput{Cluster: aws.String(s.cluster), ServiceName: aws.String(s.name), DesiredStatus: desired})
	arns, err := all(ctx, pages.HasMorePages, func(ctx context.Context) (*ecs.ListTasksOutput, error) { return pages.NextPage(ctx) },
		func(o *ecs.ListTasksOutput) []string { return o.TaskArns })
	if err != nil {
		return nil, fmt.Errorf("list the %s tasks of service %s: %w", strings.ToLower(string(desired)), s.name, err)
	}
	var out []ecstypes.Task
	for chunk := range slices.Chunk(arns, 100) {
		res, err := v.c.ECS.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(s.cluster), Tasks: chunk})
		if err != nil {
			return nil, fmt.Errorf("describe the tasks of service %s: %w", s.name, err)
		}
		out = append(out, res.Tasks...)
	}
	return out, nil
}

// steady checks running = desired, the primary deployment completed and
// no deployment failed (a circuit breaker rollback); it reports whether
// the service is steady.
func (v *verifier) steady(s *service) bool {
	c := Check{Name: "service steady", Address: s.address, Status: Pass}
	if s.live == nil || aws.ToString(s.live.Status) != "ACTIVE" {
		c.Status, c.Message, c.Hint = Fail, fmt.Sprintf("service %s is not active in %s", s.name, s.cluster), "run kcstack apply"
		v.add(c)
		return false
	}
	c.Message = fmt.Sprintf("%d of %d tasks running", s.live.RunningCount, s.live.DesiredCount)
	if s.live.RunningCount != s.live.DesiredCount {
		c.Details = append(c.Details, c.Message)
	}
	for _, d := range s.live.Deployments {
		switch {
		case d.RolloutState == ecstypes.DeploymentRolloutStateFailed:
			c.Details = append(c.Details, fmt.Sprintf("deployment %s failed: %s", aws.ToString(d.Id), aws.ToString(d.RolloutStateReason)))
		case aws.ToString(d.Status) == "PRIMARY" && d.RolloutState != ecstypes.DeploymentRolloutStateCompleted:
			c.Details = append(c.Details, fmt.Sprintf("primary deployment %s is %s", aws.ToString(d.Id), strings.ToLower(string(d.RolloutState))))
		}
	}
	if len(c.Details) > 0 {
		c.Status = Fail
		c.Details = append(c.Details, stoppedReasons(s.stopped)...)
		c.Hint = fmt.Sprintf("the stopped tasks' reasons above; aws ecs describe-services --cluster %s --services %s (events); the log group of the task definition", s.cluster, s.name)
	}
	v.add(c)
	return c.Status == Pass
}

// stoppedReasons names the most recently stopped tasks with their reasons.
func stoppedReasons(stopped []ecstypes.Task) []string {
	var out []string
	for _, t := range stopped[:min(len(stopped), maxStoppedShown)] {
		out = append(out, fmt.Sprintf("task %s stopped: %s", taskID(t), aws.ToString(t.StoppedReason)))
	}
	return out
}

// taskID is the last part of a task's ARN.
func taskID(t ecstypes.Task) string {
	arn := aws.ToString(t.TaskArn)
	return arn[strings.LastIndex(arn, "/")+1:]
}

// taskIP is the private address of a task's network interface.
func taskIP(t ecstypes.Task) string {
	isIP := func(d ecstypes.KeyValuePair) bool { return aws.ToString(d.Name) == "privateIPv4Address" }
	for _, a := range t.Attachments {
		if i := slices.IndexFunc(a.Details, isIP); i >= 0 {
			return aws.ToString(a.Details[i].Value)
		}
	}
	return ""
}

// targets checks that every target registered in the service's target
// group is healthy, naming the others with their reason and task, and the
// stopped tasks' reasons unless the steady check named them (named).
func (v *verifier) targets(ctx context.Context, s *service, named bool) error {
	tg := str(s.props, "target_group_arn")
	if tg == "" {
		return nil
	}
	res, err := v.c.ELB.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
	if err != nil {
		return fmt.Errorf("describe the target health of %s: %w", tg, err)
	}
	tasks := map[string]string{}
	for _, t := range append(slices.Clone(s.running), s.stopped...) {
		tasks[taskIP(t)] = taskID(t)
	}
	c := Check{Name: "targets healthy", Address: s.address, Status: Pass}
	healthy := 0
	for _, t := range res.TargetHealthDescriptions {
		h := t.TargetHealth
		ip := aws.ToString(t.Target.Id)
		switch h.State {
		case "healthy":
			healthy++
		case "draining":
			// A target on its way out (a task replaced) is not served.
		default:
			c.Details = append(c.Details, fmt.Sprintf("target %s (task %s) is %s: %s (%s)", ip, orUnknown(tasks[ip]), h.State, h.Reason, aws.ToString(h.Description)))
		}
	}
	c.Message = fmt.Sprintf("%d healthy targets in %s", healthy, targetGroupName(tg))
	if healthy == 0 && len(c.Details) == 0 {
		c.Details = append(c.Details, "no target is registered")
	}
	if len(c.Details) > 0 {
		c.Status = Fail
		if !named {
			c.Details = append(c.Details, stoppedReasons(s.stopped)...)
		}
		c.Hint = fmt.Sprintf("the health check (path and port of target group %s) and the tasks' logs; aws elbv2 describe-target-health --target-group-arn %s", targetGroupName(tg), tg)
	}
	v.add(c)
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// targetGroupName is the name part of a target group ARN.
func targetGroupName(arn string) string {
	_, rest, ok := strings.Cut(arn, ":targetgroup/")
	if !ok {
		return arn
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// registrations checks, for a service registered in Cloud Map (DNS_PING
// discovery), that its instances are exactly the running tasks.
func (v *verifier) registrations(ctx context.Context, s *service) error {
	r, ok := s.registry.(resource.Ref)
	if !ok {
		return nil
	}
	ob := v.observed(r.Address)
	if !ob.Exists {
		v.missing("cloud map instances", r.Address)
		return nil
	}
	pages := servicediscovery.NewListInstancesPaginator(v.c.CloudMap, &servicediscovery.ListInstancesInput{ServiceId: aws.String(ob.ID)})
	instances, err := all(ctx, pages.HasMorePages, func(ctx context.Context) (*servicediscovery.ListInstancesOutput, error) { return pages.NextPage(ctx) },
		func(o *servicediscovery.ListInstancesOutput) []sdtypes.InstanceSummary { return o.Instances })
	if err != nil {
		return fmt.Errorf("list the instances of Cloud Map service %s: %w", ob.ID, err)
	}
	registered := map[string]string{}
	for _, i := range instances {
		registered[i.Attributes["AWS_INSTANCE_IPV4"]] = aws.ToString(i.Id)
	}
	v.add(compareInstances(s, ob.ID, registered))
	return nil
}

// compareInstances names the running tasks missing from Cloud Map and the
// instances that are no running task.
func compareInstances(s *service, serviceID string, registered map[string]string) Check {
	c := Check{Name: "cloud map instances", Address: s.address, Status: Pass}
	running := map[string]bool{}
	for _, t := range s.running {
		if aws.ToString(t.LastStatus) != "RUNNING" {
			continue
		}
		ip := taskIP(t)
		running[ip] = true
		if _, ok := registered[ip]; !ok {
			c.Details = append(c.Details, fmt.Sprintf("missing: task %s (%s) is running but not registered", taskID(t), ip))
		}
	}
	for _, ip := range resource.SortedKeys(registered) {
		if !running[ip] {
			c.Details = append(c.Details, fmt.Sprintf("extra: instance %s (%s) is no running task", registered[ip], ip))
		}
	}
	c.Message = fmt.Sprintf("%d instances in %s for %d running tasks", len(registered), serviceID, len(running))
	if len(c.Details) > 0 {
		c.Status = Fail
		c.Hint = fmt.Sprintf("aws servicediscovery list-instances --service-id %s; a task missing from Cloud Map is not found by DNS_PING: stop it (aws ecs stop-task) and ECS starts one that registers", serviceID)
	}
	return c
}
