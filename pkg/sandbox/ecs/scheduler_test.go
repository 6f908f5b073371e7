package ecs

import (
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"
)

func TestBreaker(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	service := func(rollback bool, failed int32, previous types.DeploymentRolloutState) *ServiceRecord {
		return &ServiceRecord{S: types.Service{
			ServiceName: aws.String("kc"), DesiredCount: 2, TaskDefinition: aws.String("td:2"),
			DeploymentConfiguration: &types.DeploymentConfiguration{DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: rollback}},
			Deployments: []types.Deployment{
				{Id: aws.String("ecs-svc/2"), Status: aws.String(statusPrimary), TaskDefinition: aws.String("td:2"), DesiredCount: 2, FailedTasks: failed, RolloutState: types.DeploymentRolloutStateInProgress},
				{Id: aws.String("ecs-svc/1"), Status: aws.String(statusActive), TaskDefinition: aws.String("td:1"), DesiredCount: 2, RolloutState: previous},
			},
		}}
	}
	// got lists "task definition rollout state desired count" per deployment.
	got := func(sv *ServiceRecord) []string {
		var out []string
		for _, d := range sv.S.Deployments {
			out = append(out, aws.ToString(d.TaskDefinition)+" "+string(d.RolloutState)+" "+strconv.Itoa(int(d.DesiredCount)))
		}
		return out
	}
	cases := map[string]struct {
		reason string
		sv     *ServiceRecord
		want   []string
	}{
		"below the threshold": {reason: "two failures of two desired tasks are below the minimum of 3",
			sv: service(true, 2, types.DeploymentRolloutStateCompleted), want: []string{"td:2 IN_PROGRESS 2", "td:1 COMPLETED 2"}},
		"rollback": {reason: "3 failures trip the breaker, which rolls back to the completed deployment's task definition",
			sv: service(true, 3, types.DeploymentRolloutStateCompleted), want: []string{"td:1 IN_PROGRESS 2", "td:2 FAILED 0", "td:1 COMPLETED 2"}},
		"no rollback": {reason: "without rollback the deployment fails and stays primary",
			sv: service(false, 3, types.DeploymentRolloutStateCompleted), want: []string{"td:2 FAILED 2", "td:1 COMPLETED 2"}},
		"nothing to roll back to": {reason: "a previous deployment that never completed is no place to go back to",
			sv: service(true, 3, types.DeploymentRolloutStateFailed), want: []string{"td:2 FAILED 2", "td:1 FAILED 2"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tc.sv.breaker(now)
			if diff := cmp.Diff(tc.want, got(tc.sv)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestFreeAddress(t *testing.T) {
	cases := map[string]struct {
		reason string
		cidr   string
		used   map[string]bool
		want   string
	}{
		"top":    {reason: "the highest address but the last, which AWS reserves", cidr: "10.0.1.0/24", want: "10.0.1.254"},
		"next":   {reason: "a used address is skipped", cidr: "10.0.1.0/24", used: map[string]bool{"10.0.1.254": true}, want: "10.0.1.253"},
		"full":   {reason: "a /29 has addresses 4 to 6 only", cidr: "10.0.1.8/29", used: map[string]bool{"10.0.1.14": true, "10.0.1.13": true, "10.0.1.12": true}, want: ""},
		"masked": {reason: "a CIDR with host bits set is read as its network", cidr: "10.0.1.9/29", want: "10.0.1.14"},
		"ipv6":   {reason: "tasks take IPv4 addresses only", cidr: "2001:db8::/64", want: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := freeAddress(tc.cidr, tc.used); got != tc.want {
				t.Errorf("%s: got %q, want %q", tc.reason, got, tc.want)
			}
		})
	}
}
