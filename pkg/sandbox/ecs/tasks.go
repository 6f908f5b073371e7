package ecs

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// A service's tasks. The scheduler (scheduler.go) starts and stops them;
// each one then moves through ECS's lifecycle on the sandbox clock, with
// the create delay D and the delete delay X:
//
//	PROVISIONING → PENDING (D/2) → RUNNING (D)
//	registered in its target groups when RUNNING: initial, then healthy
//	(or unhealthy, for a task that fails) D after it started
//	stopped: DEACTIVATING → STOPPING (X/2) → DEPROVISIONING (3X/4) → STOPPED (X)
//
// Tasks are part of the persisted state, so they survive a restart of the
// sandbox with their ids and addresses.

// TaskRecord is one task of a service: the task as DescribeTasks shows it
// (tags apart), and what the sandbox decided about it.
type TaskRecord struct {
	T    types.Task  `json:"t"`
	Tags []types.Tag `json:"tags,omitempty"`
	// Seq is the task's number in its service, from 1; with the seed it
	// decides whether the task fails.
	Seq int `json:"seq"`
	// Fails says the task fails its health check once running.
	Fails bool `json:"fails,omitempty"`
	// Subnet and IP are where the task's network interface is.
	Subnet string `json:"subnet,omitempty"`
	IP     string `json:"ip,omitempty"`
	// Health is the task's state as a load balancer target (initial,
	// healthy, unhealthy, draining; empty before it runs and once stopped)
	// and Reason ELB's reason code for it.
	Health string `json:"health,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Deregistered says DeregisterInstance removed the task from Cloud Map:
	// ECS never registers it again.
	Deregistered bool `json:"deregistered,omitempty"`
}

// Task statuses (lastStatus and desiredStatus).
const (
	taskProvisioning   = "PROVISIONING"
	taskPending        = "PENDING"
	taskRunning        = "RUNNING"
	taskDeactivating   = "DEACTIVATING"
	taskStopping       = "STOPPING"
	taskDeprovisioning = "DEPROVISIONING"
	taskStopped        = "STOPPED"
)

// Target states, as ELB names them.
const (
	targetInitial   = "initial"
	targetHealthy   = "healthy"
	targetUnhealthy = "unhealthy"
	targetDraining  = "draining"
)

// stoppedRetention is how long a stopped task stays visible, and
// maxStopped how many stopped tasks a service keeps at most.
const (
	stoppedRetention = time.Hour
	maxStopped       = 100
)

// taskSpot is where a new task goes: its subnet, zone and address.
type taskSpot struct {
	subnet, zone, ip string
}

// newTask builds task seq of the service for deployment d of td at now.
func newTask(sv *ServiceRecord, d *types.Deployment, td *TaskDef, seq int, at taskSpot, now time.Time, set api.Settings) *TaskRecord {
	svcARN := aws.ToString(sv.S.ServiceArn)
	prefix := svcARN[:strings.Index(svcARN, ":service/")+1]
	cluster := clusterOfARN(svcARN)
	id := taskID(svcARN, sv.S.CreatedAt, seq)
	arn := prefix + "task/" + cluster + "/" + id
	attachment := uuidOf(arn + "/eni")
	eni := api.InterfaceID(arn)
	t := types.Task{
		TaskArn: aws.String(arn), ClusterArn: sv.S.ClusterArn, TaskDefinitionArn: td.D.TaskDefinitionArn,
		Group: aws.String("service:" + aws.ToString(sv.S.ServiceName)), StartedBy: d.Id, LaunchType: sv.S.LaunchType,
		Cpu: td.D.Cpu, Memory: td.D.Memory, CreatedAt: aws.Time(now), DesiredStatus: aws.String(taskRunning),
		LastStatus: aws.String(taskProvisioning), Version: 1, AvailabilityZone: aws.String(at.zone),
		HealthStatus: types.HealthStatusUnknown, EnableExecuteCommand: sv.S.EnableExecuteCommand,
		Attributes:            []types.Attribute{{Name: aws.String("ecs.cpu-architecture"), Value: aws.String("x86_64")}},
		InferenceAccelerators: []types.InferenceAccelerator{},
		Overrides:             &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{}, InferenceAcceleratorOverrides: []types.InferenceAcceleratorOverride{}},
		Attachments: []types.Attachment{{Id: aws.String(attachment), Type: aws.String("ElasticNetworkInterface"), Status: aws.String("PRECREATED"), Details: []types.KeyValuePair{
			{Name: aws.String("subnetId"), Value: aws.String(at.subnet)},
			{Name: aws.String("networkInterfaceId"), Value: aws.String(eni)},
			{Name: aws.String("macAddress"), Value: aws.String(api.MACAddress(eni))},
			{Name: aws.String("privateDnsName"), Value: aws.String(api.PrivateDNSName(regionOfARN(svcARN), at.ip))},
			{Name: aws.String("privateIPv4Address"), Value: aws.String(at.ip)},
		}}},
	}
	if sv.S.LaunchType == types.LaunchTypeFargate {
		t.PlatformVersion, t.PlatformFamily = aws.String(fargatePlatform), aws.String("Linux")
		t.EphemeralStorage = &types.EphemeralStorage{SizeInGiB: 20}
	}
	for _, cd := range td.D.ContainerDefinitions {
		t.Overrides.ContainerOverrides = append(t.Overrides.ContainerOverrides, types.ContainerOverride{Name: cd.Name})
		t.Containers = append(t.Containers, newContainer(arn, prefix+"container/"+cluster+"/"+id+"/", cd, attachment, at.ip))
	}
	return &TaskRecord{T: t, Tags: taskTags(sv, td), Seq: seq, Fails: fails(set, svcARN, seq), Subnet: at.subnet, IP: at.ip}
}

func newContainer(taskARN, arnPrefix string, cd types.ContainerDefinition, attachment, ip string) types.Container {
	c := types.Container{
		ContainerArn: aws.String(arnPrefix + uuidOf(taskARN+"/"+aws.ToString(cd.Name))), TaskArn: aws.String(taskARN),
		Name: cd.Name, Image: cd.Image, LastStatus: aws.String(taskPending), HealthStatus: types.HealthStatusUnknown,
		Cpu: aws.String(strconv.Itoa(int(cd.Cpu))), NetworkBindings: []types.NetworkBinding{},
		NetworkInterfaces: []types.NetworkInterface{{AttachmentId: aws.String(attachment), PrivateIpv4Address: aws.String(ip)}},
	}
	if cd.Memory != nil {
		c.Memory = aws.String(strconv.Itoa(int(*cd.Memory)))
	}
	if cd.MemoryReservation != nil {
		c.MemoryReservation = aws.String(strconv.Itoa(int(*cd.MemoryReservation)))
	}
	return c
}

// taskTags are the tags a task gets: its service's or task definition's
// as propagateTags says, and ECS's managed tags when enabled.
func taskTags(sv *ServiceRecord, td *TaskDef) []types.Tag {
	var tags []types.Tag
	switch sv.S.PropagateTags {
	case types.PropagateTagsService:
		tags = slices.Clone(sv.S.Tags)
	case types.PropagateTagsTaskDefinition:
		tags = slices.Clone(td.Tags)
	}
	if sv.S.EnableECSManagedTags {
		tags = append(tags, types.Tag{Key: aws.String("aws:ecs:clusterName"), Value: aws.String(clusterOfARN(aws.ToString(sv.S.ServiceArn)))},
			types.Tag{Key: aws.String("aws:ecs:serviceName"), Value: sv.S.ServiceName})
	}
	return tags
}

// taskID is the 32-hex-digit id of task seq of the service created at
// created: the same after a restart, different for a service made again.
func taskID(serviceARN string, created *time.Time, seq int) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d/%d", serviceARN, aws.ToTime(created).UnixNano(), seq)))
	return hex.EncodeToString(h[:16])
}

// fails draws whether task seq of the service fails its health check:
// from the seed, the service and the number alone, so the same test run
// again fails the same tasks whatever the timing.
func fails(set api.Settings, serviceARN string, seq int) bool {
	if set.TaskFailureRate <= 0 {
		return false
	}
	h := sha256.Sum256([]byte(fmt.Sprintf("%d/%s/%d", set.Seed, serviceARN, seq)))
	return float64(binary.BigEndian.Uint64(h[:8])>>11)/(1<<53) < set.TaskFailureRate
}

// clusterOfARN and regionOfARN read a service ARN
// (arn:aws:ecs:<region>:<account>:service/<cluster>/<name>).
func clusterOfARN(serviceARN string) string {
	_, rest, _ := strings.Cut(serviceARN, ":service/")
	cluster, _, _ := strings.Cut(rest, "/")
	return cluster
}

func regionOfARN(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 {
		return ""
	}
	return parts[3]
}

// live reports whether the task is meant to run (its desired status is
// RUNNING).
func (t *TaskRecord) live() bool { return aws.ToString(t.T.DesiredStatus) == taskRunning }

// stopped reports whether the task reached STOPPED.
func (t *TaskRecord) stopped() bool { return aws.ToString(t.T.LastStatus) == taskStopped }

// id is the task's id, the last part of its ARN.
func (t *TaskRecord) id() string {
	arn := aws.ToString(t.T.TaskArn)
	return arn[strings.LastIndex(arn, "/")+1:]
}

// stop sets the task's desired status to STOPPED at now; advance takes it
// down from there.
func (t *TaskRecord) stop(now time.Time, code types.TaskStopCode, reason string) {
	if !t.live() {
		return
	}
	t.T.DesiredStatus, t.T.StopCode, t.T.StoppedReason = aws.String(taskStopped), code, aws.String(reason)
	t.T.StoppingAt = aws.Time(now)
	t.T.Version++
}

// advance moves the task along its lifecycle up to now and updates its
// health as a target.
func (t *TaskRecord) advance(now time.Time, set api.Settings) {
	for t.step(now, set) {
	}
	t.settle(now, set)
}

// step makes the task's next transition when it is due, reporting whether
// it made one.
func (t *TaskRecord) step(now time.Time, set api.Settings) bool {
	last := aws.ToString(t.T.LastStatus)
	if !t.live() {
		stopping := aws.ToTime(t.T.StoppingAt)
		switch last {
		case taskProvisioning, taskPending, taskRunning:
			t.to(taskDeactivating, aws.ToString(t.T.Attachments[0].Status))
			return true
		case taskDeactivating:
			return t.at(now, stopping.Add(set.DeleteDelay/2), taskStopping)
		case taskStopping:
			return t.at(now, stopping.Add(set.DeleteDelay*3/4), taskDeprovisioning)
		case taskDeprovisioning:
			return t.at(now, stopping.Add(set.DeleteDelay), taskStopped)
		}
		return false
	}
	created := aws.ToTime(t.T.CreatedAt)
	switch last {
	case taskProvisioning:
		return t.at(now, created.Add(set.CreateDelay/2), taskPending)
	case taskPending:
		return t.at(now, created.Add(set.CreateDelay), taskRunning)
	}
	return false
}

// at moves the task to status when its time when has come.
func (t *TaskRecord) at(now, when time.Time, status string) bool {
	if now.Before(when) {
		return false
	}
	switch status {
	case taskPending:
		t.T.PullStartedAt = aws.Time(when)
		t.to(status, "ATTACHED")
	case taskRunning:
		t.T.PullStoppedAt, t.T.StartedAt = aws.Time(when), aws.Time(when)
		t.T.Connectivity, t.T.ConnectivityAt = types.ConnectivityConnected, aws.Time(when)
		t.to(status, "ATTACHED")
	case taskStopping:
		t.T.ExecutionStoppedAt = aws.Time(when)
		t.exitContainers()
		t.to(status, aws.ToString(t.T.Attachments[0].Status))
	case taskStopped:
		t.T.StoppedAt = aws.Time(when)
		t.to(status, "DELETED")
	default: // DEPROVISIONING
		t.to(status, "DETACHING")
	}
	return true
}

// to sets the task's (and its containers') last status and its
// attachment's status.
func (t *TaskRecord) to(status, attachment string) {
	t.T.LastStatus = aws.String(status)
	t.T.Version++
	for i := range t.T.Attachments {
		t.T.Attachments[i].Status = aws.String(attachment)
	}
	for i := range t.T.Containers {
		c := &t.T.Containers[i]
		switch {
		case status == taskRunning:
			c.LastStatus, c.RuntimeId = aws.String(taskRunning), aws.String(t.id()+"-"+uuidOf(aws.ToString(c.ContainerArn))[:10])
		case status == taskPending || status == taskProvisioning:
			c.LastStatus = aws.String(taskPending)
		}
	}
}

// exitContainers stops the containers: exit code 1 for the essential
// container that exited, 143 (SIGTERM) for a task ECS stopped.
func (t *TaskRecord) exitContainers() {
	for i := range t.T.Containers {
		c := &t.T.Containers[i]
		c.LastStatus = aws.String(taskStopped)
		if t.T.StartedAt == nil {
			continue
		}
		code := int32(143)
		if t.T.StopCode == types.TaskStopCodeEssentialContainerExited {
			code = 1
		}
		c.ExitCode = aws.Int32(code)
	}
}

// settle sets the task's health as a target from how long it has run.
func (t *TaskRecord) settle(now time.Time, set api.Settings) {
	started := aws.ToTime(t.T.StartedAt)
	switch {
	case t.T.StartedAt == nil || t.stopped():
		t.Health, t.Reason = "", ""
	case !t.live():
		t.Health, t.Reason = targetDraining, "Target.DeregistrationInProgress"
	case now.Before(started.Add(set.CreateDelay / 2)):
		t.Health, t.Reason = targetInitial, "Elb.RegistrationInProgress"
	case now.Before(started.Add(set.CreateDelay)):
		t.Health, t.Reason = targetInitial, "Elb.InitialHealthChecking"
	case t.Fails:
		t.Health, t.Reason = targetUnhealthy, "Target.FailedHealthChecks"
	default:
		t.Health, t.Reason = targetHealthy, ""
	}
}

// view is the task as outputs show it; tags only when asked for.
func (t *TaskRecord) view(withTags bool) types.Task {
	v := t.T
	v.Attachments = slices.Clone(t.T.Attachments)
	v.Containers = slices.Clone(t.T.Containers)
	v.Tags = nil
	if withTags {
		v.Tags = nonNil(slices.Clone(t.Tags))
	}
	return v
}
