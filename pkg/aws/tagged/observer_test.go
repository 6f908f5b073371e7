package tagged

import (
	"context"
	"testing"

	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// fakeTagging counts GetResources calls.
type fakeTagging struct{ calls int }

func (f *fakeTagging) GetResources(context.Context, *tagging.GetResourcesInput, ...func(*tagging.Options)) (*tagging.GetResourcesOutput, error) {
	f.calls++
	return &tagging.GetResourcesOutput{}, nil
}

// fakePart counts the reads it was asked for.
type fakePart struct{ calls int }

func (f *fakePart) ObserveTagged(context.Context, resource.Query, map[string]map[string]string) ([]resource.Observation, error) {
	f.calls++
	return nil, nil
}

func TestObserverCallsNothingWithoutECSTargets(t *testing.T) {
	cases := map[string]struct {
		reason    string
		q         resource.Query
		wantCalls int
	}{
		"no ecs": {"a stack with only ROSA targets pays no call for the ECS kinds",
			resource.Query{Stack: "s", Desired: []resource.Desired{{Address: "database.vpc", Kind: resource.KindVPC}}}, 0},
		"desired": {"a stack with an ECS target reads its kinds",
			resource.Query{Stack: "s", Desired: []resource.Desired{{Address: "targets.e.cluster", Kind: resource.KindECSCluster}}}, 1},
		"removed target": {"an ECS target dropped from the file still owns a task security group: its resources are read to be deleted",
			resource.Query{Stack: "s", Known: map[string]resource.Observation{
				"targets.e.task-security-group": {Kind: resource.KindSecurityGroup, Exists: true, Owned: true},
			}}, 1},
		"removed redis": {"Redis dropped from the file still owns its security group: its resources are read to be deleted",
			resource.Query{Stack: "s", Known: map[string]resource.Observation{
				RedisSecurityGroup: {Kind: resource.KindSecurityGroup, Exists: true, Owned: true},
			}}, 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tg, part := &fakeTagging{}, &fakePart{}
			s := &Observer{Tagging: tg, Kinds: []resource.Kind{resource.KindECSCluster}, Parts: []clients.TaggedObserver{part}}
			obs, err := s.Observe(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if tg.calls != tc.wantCalls || part.calls != tc.wantCalls {
				t.Errorf("%s: %d tagging calls and %d reads, want %d", tc.reason, tg.calls, part.calls, tc.wantCalls)
			}
			if tc.wantCalls == 0 && len(obs) != len(ownership.DesiredOfKind(tc.q, resource.KindECSCluster)) {
				t.Errorf("%s: observations %v, want one missing per desired", tc.reason, obs)
			}
		})
	}
}
