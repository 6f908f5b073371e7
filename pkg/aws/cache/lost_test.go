package cache

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	rgttypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
)

// TestLostCreateAnswers: for each create operation of the Redis kinds
// and of their secrets, on a sandbox that loses the first answer of that
// operation (it runs, then answers 500), one apply succeeds, the tagging
// API lists exactly one resource per address, and nothing is left to
// plan: the retried create adopts what the lost one made.
func TestLostCreateAnswers(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"elasticache:CreateCacheSubnetGroup", "elasticache:CreateUser", "elasticache:CreateUserGroup",
		"elasticache:CreateReplicationGroup", "secretsmanager:CreateSecret"} {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sandbox.WithLostAnswers(map[string]int{op: 1}))
			ds := e.desired(shop)
			e.cycle.Apply(e.cycle.Plan(ds, false))
			if left := e.srv.AnswersToLose(); len(left) > 0 {
				t.Errorf("the apply left answers of %v to lose: the test lost nothing", left)
			}
			e.cycle.NoChanges(ds, "after the apply")
			want := map[string]int{}
			for _, d := range ds {
				want[d.Address] = 1
			}
			if diff := cmp.Diff(want, e.taggedCount(t)); diff != "" {
				t.Errorf("resources per address after a lost answer of %s: -want +got:\n%s", op, diff)
			}
		})
	}
}

// taggedCount counts the stack's Redis resources and secrets by address,
// as the tagging API lists them.
func (e *env) taggedCount(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	types := []string{"secretsmanager:secret"}
	for _, k := range kinds {
		types = append(types, string(k))
	}
	p := rgt.NewGetResourcesPaginator(e.c.Tagging, &rgt.GetResourcesInput{ResourceTypeFilters: types,
		TagFilters: []rgttypes.TagFilter{{Key: aws.String(resource.TagStack), Values: []string{e.stack}}}})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("get tagged resources: %v", err)
		}
		for _, r := range page.ResourceTagMappingList {
			for _, tag := range r.Tags {
				if aws.ToString(tag.Key) == resource.TagAddress {
					out[aws.ToString(tag.Value)]++
				}
			}
		}
	}
	return out
}
