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

// readingPart returns one observation at its address.
type readingPart struct{ address string }

func (p readingPart) ObserveTagged(context.Context, resource.Query, map[string]map[string]string) ([]resource.Observation, error) {
	return []resource.Observation{{Address: p.address, Attrs: map[string]string{}}}, nil
}

// finishingPart records what Finish saw.
type finishingPart struct {
	readingPart
	saw []string
}

func (p *finishingPart) Finish(_ resource.Query, all []resource.Observation) {
	for _, ob := range all {
		p.saw = append(p.saw, ob.Address)
	}
}

// TestFinishSeesEveryPart: a part that completes its observations with
// other parts' (a task definition needing the Redis secrets) finishes
// after every part has read, with all of the round's observations.
func TestFinishSeesEveryPart(t *testing.T) {
	f := &finishingPart{readingPart: readingPart{"targets.e.task-definition"}}
	s := &Observer{Tagging: &fakeTagging{}, Kinds: []resource.Kind{resource.KindECSCluster},
		Parts: []clients.TaggedObserver{f, readingPart{"redis.secret[a-b]"}, readingPart{"redis.replication-group"}}}
	q := resource.Query{Stack: "s", Desired: []resource.Desired{{Address: "targets.e.cluster", Kind: resource.KindECSCluster}}}
	if _, err := s.Observe(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if len(f.saw) != 3 {
		t.Errorf("Finish saw %v, want the observations of all three parts", f.saw)
	}
}
