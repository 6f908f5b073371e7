package ecs

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// The service scheduler. Every tick runs, for each service, schedule (on
// the tasks as the previous tick left them), then advances the tasks to
// now, then rollup. A task found unhealthy is therefore stopped one tick
// after the one that made it unhealthy, so DescribeTargetHealth can show
// it even with zero delays, and each tick starts at most one replacement
// per failed task: a failure rate of 1 loops one step per call, never
// within one.

// schedule stops the service's failed tasks, trips the circuit breaker,
// retires the older deployments once the primary one is healthy, and
// starts or stops tasks so every deployment has its desired count. used
// holds the addresses taken in the region; new tasks add theirs.
func (r *Region) schedule(sv *ServiceRecord, now time.Time, set api.Settings, used map[string]bool) {
	if aws.ToString(sv.S.Status) == statusInactive || len(sv.S.Deployments) == 0 {
		return
	}
	sv.stopFailed(now)
	sv.breaker(now)
	sv.retire()
	for i := range sv.S.Deployments {
		r.scale(sv, i, now, set, used)
	}
}

// stopFailed stops the live tasks that failed their health check, as ECS
// does, counting them against their deployment.
func (sv *ServiceRecord) stopFailed(now time.Time) {
	name := aws.ToString(sv.S.ServiceName)
	var ids []string
	for _, t := range sv.Tasks {
		if !t.live() || t.Health != targetUnhealthy {
			continue
		}
		if tg, port := sv.targetGroup(); tg != "" {
			sv.event(now, fmt.Sprintf("(service %s) (port %d) is unhealthy in (target-group %s) due to (reason Health checks failed).", name, port, tg))
			t.stop(now, types.TaskStopCodeServiceSchedulerInitiated, "Task failed ELB health checks in (target-group "+tg+")")
		} else {
			t.stop(now, types.TaskStopCodeEssentialContainerExited, "Essential container in task exited")
		}
		if d := sv.deployment(aws.ToString(t.T.StartedBy)); d != nil {
			d.FailedTasks++
		}
		ids = append(ids, t.id())
	}
	sv.taskEvent(now, "has stopped %d running tasks", ids)
}

// targetGroup returns the service's first target group and container
// port, "" without a load balancer.
func (sv *ServiceRecord) targetGroup() (string, int32) {
	for _, lb := range sv.S.LoadBalancers {
		if lb.TargetGroupArn != nil {
			return *lb.TargetGroupArn, aws.ToInt32(lb.ContainerPort)
		}
	}
	return "", 0
}

func (sv *ServiceRecord) deployment(id string) *types.Deployment {
	for i := range sv.S.Deployments {
		if aws.ToString(sv.S.Deployments[i].Id) == id {
			return &sv.S.Deployments[i]
		}
	}
	return nil
}

// breaker fails the primary deployment once as many of its tasks failed
// as the circuit breaker allows, and rolls back to the previous completed
// deployment when rollback is on.
func (sv *ServiceRecord) breaker(now time.Time) {
	dc := sv.S.DeploymentConfiguration
	p := &sv.S.Deployments[0]
	if dc == nil || dc.DeploymentCircuitBreaker == nil || !dc.DeploymentCircuitBreaker.Enable ||
		p.RolloutState != types.DeploymentRolloutStateInProgress || p.FailedTasks < failureThreshold(p.DesiredCount) {
		return
	}
	name, failed := aws.ToString(sv.S.ServiceName), aws.ToString(p.Id)
	p.RolloutState, p.RolloutStateReason, p.UpdatedAt = types.DeploymentRolloutStateFailed, aws.String("ECS deployment circuit breaker: tasks failed to start."), aws.Time(now)
	sv.event(now, fmt.Sprintf("(service %s) (deployment %s) deployment failed: tasks failed to start.", name, failed))
	if !dc.DeploymentCircuitBreaker.Rollback || len(sv.S.Deployments) < 2 || sv.S.Deployments[1].RolloutState != types.DeploymentRolloutStateCompleted {
		return
	}
	sv.deploy(now, sv.S.Deployments[1].TaskDefinition)
	back := &sv.S.Deployments[1]
	back.DesiredCount = 0
	back.RolloutStateReason = aws.String("ECS deployment circuit breaker: rolling back to deploymentId " + aws.ToString(sv.S.Deployments[0].Id) + ".")
	sv.event(now, fmt.Sprintf("(service %s) rolling back to deployment %s.", name, aws.ToString(sv.S.Deployments[0].Id)))
}

// failureThreshold is how many tasks of a deployment may fail before the
// circuit breaker trips: half the desired count, at least 3 and at most
// 200.
func failureThreshold(desired int32) int32 {
	return min(max((desired+1)/2, 3), 200)
}

// retire scales the older deployments to zero once the primary one has
// its desired count of healthy tasks.
func (sv *ServiceRecord) retire() {
	p := sv.S.Deployments[0]
	if sv.healthy(aws.ToString(p.Id)) < p.DesiredCount {
		return
	}
	for i := 1; i < len(sv.S.Deployments); i++ {
		sv.S.Deployments[i].DesiredCount = 0
	}
}

// healthy counts the live, running, healthy tasks of a deployment.
func (sv *ServiceRecord) healthy(deployment string) int32 {
	var n int32
	for _, t := range sv.Tasks {
		if t.live() && aws.ToString(t.T.StartedBy) == deployment && aws.ToString(t.T.LastStatus) == taskRunning && t.Health == targetHealthy {
			n++
		}
	}
	return n
}

// scale starts or stops tasks of deployment i so it has its desired count
// (the service's, for the primary deployment).
func (r *Region) scale(sv *ServiceRecord, i int, now time.Time, set api.Settings, used map[string]bool) {
	d := &sv.S.Deployments[i]
	if i == 0 {
		d.DesiredCount = sv.S.DesiredCount
	}
	var live []*TaskRecord
	for _, t := range sv.Tasks {
		if t.live() && aws.ToString(t.T.StartedBy) == aws.ToString(d.Id) {
			live = append(live, t)
		}
	}
	want := int(d.DesiredCount)
	switch {
	case len(live) > want:
		var ids []string
		for _, t := range live[want:] {
			t.stop(now, types.TaskStopCodeServiceSchedulerInitiated, "Scaling activity initiated by (deployment "+aws.ToString(d.Id)+")")
			ids = append(ids, t.id())
		}
		sv.taskEvent(now, "has stopped %d running tasks", ids)
	case len(live) < want:
		td := r.revision(aws.ToString(d.TaskDefinition))
		if td == nil {
			return
		}
		var ids []string
		for range want - len(live) {
			sv.TaskSeq++
			t := newTask(sv, d, td, sv.TaskSeq, sv.place(used), now, set)
			sv.Tasks = append(sv.Tasks, t)
			ids = append(ids, t.id())
		}
		sv.taskEvent(now, "has started %d tasks", ids)
	}
}

// taskEvent writes "(service s) <what>: (task a) (task b)." for ids.
func (sv *ServiceRecord) taskEvent(now time.Time, what string, ids []string) {
	if len(ids) == 0 {
		return
	}
	msg := fmt.Sprintf("(service %s) "+what+":", aws.ToString(sv.S.ServiceName), len(ids))
	for _, id := range ids {
		msg += " (task " + id + ")"
	}
	sv.event(now, msg+".")
}

// revision returns the task definition revision an ARN names, nil when
// there is none.
func (r *Region) revision(arn string) *TaskDef {
	for _, td := range r.Families[familyOfARN(arn)] {
		if aws.ToString(td.D.TaskDefinitionArn) == arn {
			return td
		}
	}
	return nil
}

// familyOfARN returns the family of a task definition ARN
// (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>).
func familyOfARN(arn string) string {
	_, ref, _ := strings.Cut(arn, ":task-definition/")
	family, _, _ := strings.Cut(ref, ":")
	return family
}

// place picks the subnet with the fewest live tasks of the service (the
// first such in the configuration) and a free address in it.
func (sv *ServiceRecord) place(used map[string]bool) taskSpot {
	spot := taskSpot{zone: regionOfARN(aws.ToString(sv.S.ServiceArn)) + "a"}
	nc := sv.S.NetworkConfiguration
	if nc == nil || nc.AwsvpcConfiguration == nil || len(nc.AwsvpcConfiguration.Subnets) == 0 {
		return spot
	}
	count := map[string]int{}
	for _, t := range sv.Tasks {
		if t.live() {
			count[t.Subnet]++
		}
	}
	subnets := nc.AwsvpcConfiguration.Subnets
	spot.subnet = subnets[0]
	for _, s := range subnets {
		if count[s] < count[spot.subnet] {
			spot.subnet = s
		}
	}
	info := sv.Subnets[spot.subnet]
	if info.Zone != "" {
		spot.zone = info.Zone
	}
	cidr := info.CIDR
	if cidr == "" {
		cidr = "10.0.0.0/16"
	}
	spot.ip = freeAddress(cidr, used)
	used[spot.ip] = true
	return spot
}

// freeAddress returns the highest address of the IPv4 cidr that is not
// used, below the last one (which AWS reserves) and above the first four:
// tasks take addresses from the top of a subnet while EC2 hands the other
// interfaces theirs from the bottom, so the two never meet in practice.
func freeAddress(cidr string, used map[string]bool) string {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return ""
	}
	base := p.Masked().Addr().As4()
	first := binary.BigEndian.Uint32(base[:])
	size := uint32(1) << (32 - p.Bits())
	for off := size - 2; off >= 4 && off < size; off-- {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], first+off)
		ip := netip.AddrFrom4(b).String()
		if !used[ip] {
			return ip
		}
	}
	return ""
}

// addresses returns the addresses of the region's tasks that hold a
// network interface.
func (r *Region) addresses() map[string]bool {
	used := map[string]bool{}
	for _, svcs := range r.Services {
		for _, sv := range svcs {
			for _, t := range sv.Tasks {
				if t.IP != "" && !t.stopped() {
					used[t.IP] = true
				}
			}
		}
	}
	return used
}

// count sets the running and pending counts of the deployments and the
// service from the live tasks, and drops the older deployments that have
// no task left.
func (sv *ServiceRecord) count(now time.Time) {
	if len(sv.S.Deployments) == 0 {
		return
	}
	kept := sv.S.Deployments[:1]
	for _, d := range sv.S.Deployments[1:] {
		if d.DesiredCount > 0 || sv.holds(aws.ToString(d.Id)) {
			kept = append(kept, d)
		}
	}
	sv.S.Deployments = kept
	sv.S.RunningCount, sv.S.PendingCount = 0, 0
	for i := range sv.S.Deployments {
		d := &sv.S.Deployments[i]
		running, pending := sv.counts(aws.ToString(d.Id))
		if running != d.RunningCount || pending != d.PendingCount {
			d.RunningCount, d.PendingCount, d.UpdatedAt = running, pending, aws.Time(now)
		}
		sv.S.RunningCount += running
		sv.S.PendingCount += pending
	}
}

// holds reports whether a deployment has a task that is not stopped yet.
func (sv *ServiceRecord) holds(deployment string) bool {
	return slices.ContainsFunc(sv.Tasks, func(t *TaskRecord) bool {
		return aws.ToString(t.T.StartedBy) == deployment && !t.stopped()
	})
}

// counts counts the live tasks of a deployment that run and that are
// still starting.
func (sv *ServiceRecord) counts(deployment string) (running, pending int32) {
	for _, t := range sv.Tasks {
		if !t.live() || aws.ToString(t.T.StartedBy) != deployment {
			continue
		}
		switch aws.ToString(t.T.LastStatus) {
		case taskRunning:
			running++
		case taskProvisioning, taskPending:
			pending++
		}
	}
	return running, pending
}

// rollup follows the tasks after they advanced: counts, the primary
// deployment completing, the steady-state event, a draining service
// becoming inactive, and old stopped tasks going.
func (sv *ServiceRecord) rollup(now time.Time, set api.Settings) {
	switch aws.ToString(sv.S.Status) {
	case statusInactive:
		return
	case statusDraining:
		sv.count(now)
		if now.Sub(sv.Since) >= set.DeleteDelay && !slices.ContainsFunc(sv.Tasks, func(t *TaskRecord) bool { return !t.stopped() }) {
			sv.S.Status = aws.String(statusInactive)
			sv.S.RunningCount, sv.S.PendingCount = 0, 0
			sv.S.Deployments = []types.Deployment{}
		}
	default:
		sv.count(now)
		sv.settle(now)
	}
	sv.prune(now)
}

// settle completes the primary deployment when it runs its desired count
// of healthy tasks and nothing else, and writes the steady-state event
// when the service gets there.
func (sv *ServiceRecord) settle(now time.Time) {
	p := &sv.S.Deployments[0]
	live := 0
	for _, t := range sv.Tasks {
		if t.live() {
			live++
		}
	}
	steady := len(sv.S.Deployments) == 1 && live == int(p.DesiredCount) && sv.healthy(aws.ToString(p.Id)) == p.DesiredCount
	name := aws.ToString(sv.S.ServiceName)
	if steady && p.RolloutState == types.DeploymentRolloutStateInProgress {
		p.RolloutState, p.RolloutStateReason = types.DeploymentRolloutStateCompleted, aws.String("ECS deployment "+aws.ToString(p.Id)+" completed.")
		p.UpdatedAt = aws.Time(now)
		sv.event(now, fmt.Sprintf("(service %s) (deployment %s) deployment completed.", name, aws.ToString(p.Id)))
	}
	if steady && !sv.Steady {
		sv.event(now, fmt.Sprintf("(service %s) has reached a steady state.", name))
	}
	sv.Steady = steady
}

// prune drops the tasks stopped more than stoppedRetention ago, and the
// oldest stopped ones beyond maxStopped.
func (sv *ServiceRecord) prune(now time.Time) {
	sv.Tasks = slices.DeleteFunc(sv.Tasks, func(t *TaskRecord) bool {
		return t.stopped() && now.Sub(aws.ToTime(t.T.StoppedAt)) > stoppedRetention
	})
	n := 0
	for i := len(sv.Tasks) - 1; i >= 0; i-- {
		if sv.Tasks[i].stopped() {
			n++
			if n > maxStopped {
				sv.Tasks = slices.Delete(sv.Tasks, i, i+1)
			}
		}
	}
}
