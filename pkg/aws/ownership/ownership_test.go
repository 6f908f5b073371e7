package ownership

import (
	"context"
	"testing"

	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

func TestAddress(t *testing.T) {
	q := resource.Query{Stack: "s", Desired: []resource.Desired{
		{Address: "targets.a.cluster", Kind: resource.KindECSCluster, Props: resource.Props{"name": "s-a"}},
	}}
	type result struct {
		Address string
		OK      bool
	}
	cases := map[string]struct {
		reason string
		name   string
		tags   map[string]string
		want   result
	}{
		"owned": {"the address tag places an owned resource, desired or not", "s-old",
			map[string]string{resource.TagStack: "s", resource.TagAddress: "targets.old.cluster"}, result{"targets.old.cluster", true}},
		"look-alike": {"an untagged resource at a desired name is reported there (the plan refuses to take it over)", "s-a",
			nil, result{"targets.a.cluster", true}},
		"other stack": {"another stack's resource at a desired name is a look-alike too, never placed by its own address tag", "s-a",
			map[string]string{resource.TagStack: "t", resource.TagAddress: "targets.a.cluster"}, result{"targets.a.cluster", true}},
		"unrelated": {"anything else is not the stack's business", "x",
			map[string]string{resource.TagStack: "t", resource.TagAddress: "targets.x.cluster"}, result{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			addr, ok := Address(q, resource.KindECSCluster, "name", tc.name, tc.tags)
			if diff := cmp.Diff(tc.want, result{addr, ok}); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

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

func TestSharedCallsNothingWithoutECSTargets(t *testing.T) {
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
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tg, part := &fakeTagging{}, &fakePart{}
			s := &Shared{Tagging: tg, Kinds: []resource.Kind{resource.KindECSCluster}, Parts: []TaggedObserver{part}}
			obs, err := s.Observe(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if tg.calls != tc.wantCalls || part.calls != tc.wantCalls {
				t.Errorf("%s: %d tagging calls and %d reads, want %d", tc.reason, tg.calls, part.calls, tc.wantCalls)
			}
			if tc.wantCalls == 0 && len(obs) != len(DesiredOfKind(tc.q, resource.KindECSCluster)) {
				t.Errorf("%s: observations %v, want one missing per desired", tc.reason, obs)
			}
		})
	}
}
