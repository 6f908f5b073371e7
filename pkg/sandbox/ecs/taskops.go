package ecs

import (
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// clusterTasks returns every task of the services of the cluster, with
// its service.
func clusterTasks(c *api.Call, cl *Cluster) []*TaskRecord {
	var out []*TaskRecord
	for _, sv := range region(c).Services[aws.ToString(cl.C.ClusterName)] {
		out = append(out, sv.Tasks...)
	}
	return out
}

// findTask returns the task a reference (id or ARN) names in the cluster.
func findTask(c *api.Call, cl *Cluster, ref string) (*TaskRecord, *ServiceRecord) {
	id := ref[strings.LastIndex(ref, "/")+1:]
	for _, sv := range region(c).Services[aws.ToString(cl.C.ClusterName)] {
		for _, t := range sv.Tasks {
			if t.id() == id {
				return t, sv
			}
		}
	}
	return nil, nil
}

func listTasks(c *api.Call, in *ecs.ListTasksInput) (*ecs.ListTasksOutput, error) {
	cl, err := activeCluster(c, in.Cluster)
	if err != nil {
		return nil, err
	}
	desired := string(in.DesiredStatus)
	if desired == "" {
		desired = taskRunning
	}
	var arns []string
	for _, t := range clusterTasks(c, cl) {
		if aws.ToString(t.T.DesiredStatus) == desired && t.matches(in) {
			arns = append(arns, aws.ToString(t.T.TaskArn))
		}
	}
	sort.Strings(arns)
	list, next, err := window(arns, in.MaxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListTasksOutput{TaskArns: list, NextToken: next}, nil
}

// matches applies ListTasks' filters other than the desired status. Tasks
// run on Fargate: none is on a container instance.
func (t *TaskRecord) matches(in *ecs.ListTasksInput) bool {
	switch {
	case in.ServiceName != nil && aws.ToString(t.T.Group) != "service:"+serviceNameOf(*in.ServiceName):
		return false
	case in.Family != nil && familyOfARN(aws.ToString(t.T.TaskDefinitionArn)) != *in.Family:
		return false
	case in.StartedBy != nil && aws.ToString(t.T.StartedBy) != *in.StartedBy:
		return false
	case in.LaunchType != "" && in.LaunchType != t.T.LaunchType:
		return false
	}
	return in.ContainerInstance == nil
}

// serviceNameOf returns the name a service reference (name or ARN) names.
func serviceNameOf(ref string) string {
	if i := strings.LastIndex(ref, "/"); i >= 0 && strings.HasPrefix(ref, "arn:") {
		return ref[i+1:]
	}
	return ref
}

func describeTasks(c *api.Call, in *ecs.DescribeTasksInput) (*ecs.DescribeTasksOutput, error) {
	withTags := slices.Contains(in.Include, types.TaskFieldTags)
	found, failures, err := describeEach(c, in.Cluster, in.Tasks, "task", 100, func(cl *Cluster, ref string) (types.Task, bool) {
		if t, _ := findTask(c, cl, ref); t != nil {
			return t.view(withTags), true
		}
		return types.Task{}, false
	})
	if err != nil {
		return nil, err
	}
	return &ecs.DescribeTasksOutput{Tasks: found, Failures: failures}, nil
}

// stopTask stops a task as a user does; the service's scheduler starts
// another one in its place.
func stopTask(c *api.Call, in *ecs.StopTaskInput) (*ecs.StopTaskOutput, error) {
	cl, err := activeCluster(c, in.Cluster)
	if err != nil {
		return nil, err
	}
	t, sv := findTask(c, cl, aws.ToString(in.Task))
	if t == nil {
		return nil, api.Errorf(codeInvalidParam, "The referenced task was not found.")
	}
	reason := aws.ToString(in.Reason)
	if reason == "" {
		reason = "Task stopped by user"
	}
	if t.live() {
		t.stop(c.Now, types.TaskStopCodeUserInitiated, reason)
		reschedule(c, sv)
	}
	v := t.view(false)
	return &ecs.StopTaskOutput{Task: &v}, nil
}
