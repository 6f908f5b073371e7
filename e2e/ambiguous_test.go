package e2e

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	rgttypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/stack"
)

// lostCreateBound is how long an apply whose one create lost its answer
// may take.
const lostCreateBound = 90 * time.Second

// lostCreateExample is an example that holds kinds; rosa says it needs
// the ROSA networks first.
type lostCreateExample struct {
	file string
	rosa bool
}

// lostCreateExamples are the examples that hold the kinds, tried in order
// for each kind.
var lostCreateExamples = []lostCreateExample{
	{file: "ecs-dns-ping.yaml"},
	{file: "ecs-s3-ping.yaml"},
	{file: "ecs-redis.yaml"},
	{file: "aurora-rosa.yaml", rosa: true},
}

// TestLostCreateAnswers is the acceptance item "a test walks the registry
// and, for every kind with a create, loses the first answer and checks
// exactly one resource exists afterwards". For every kind of the registry
// and every operation its descriptor's Create names, on a fresh sandbox
// that loses the answer of that operation's first call (it runs, then
// answers 500), one apply of an example holding the kind succeeds within
// lostCreateBound, the tagging API lists exactly one resource of the kind
// per address (every resource tagged with the stack is counted, so a
// duplicate shows), and the next plan is empty. Kinds the tagging API
// does not list (their descriptor's Untagged: routes, route table
// associations) are checked by the plan alone: EC2 holds at most one
// route per destination and one association per subnet. A kind no example holds
// fails the test: the kinds come from the registry, not from a list here.
func TestLostCreateAnswers(t *testing.T) {
	t.Parallel()
	probe, _ := newSandbox(t)
	prov, err := provider.New(probe.cfg, "probe")
	if err != nil {
		t.Fatal(err)
	}
	stacks := map[string]*stack.Stack{}
	for _, ex := range lostCreateExamples {
		stacks[ex.file] = exampleStack(t, probe, ex.file)
	}
	for _, kind := range prov.Registry.Kinds() {
		d, _ := prov.Registry.Descriptor(kind)
		ex, ok := exampleWith(t, stacks, kind)
		if !ok {
			t.Errorf("%s: no example holds the kind, so no test loses the answer of its create %v: add one to lostCreateExamples", kind, d.Create.Operations)
			continue
		}
		for _, op := range d.Create.Operations {
			t.Run(string(kind)+"/"+op, func(t *testing.T) {
				t.Parallel() // at most -parallel (GOMAXPROCS) at once
				loseFirstCreate(t, d, op, ex)
			})
		}
	}
}

// exampleStack loads an example as the tests apply it (the database
// unprotected, where it has one).
func exampleStack(t *testing.T, e *env, file string) *stack.Stack {
	t.Helper()
	var edit []string
	if file == "aurora-rosa.yaml" {
		edit = unprotected
	}
	st, ds, err := stack.LoadFile(e.stackFile(t, file, edit...))
	if err != nil || ds.HasErrors() {
		t.Fatalf("load %s: %v\n%s", file, err, ds)
	}
	return st
}

// exampleWith returns the first example whose desired resources hold kind.
func exampleWith(t *testing.T, stacks map[string]*stack.Stack, kind resource.Kind) (lostCreateExample, bool) {
	t.Helper()
	for _, ex := range lostCreateExamples {
		if len(addressesOf(t, stacks[ex.file], kind)) > 0 {
			return ex, true
		}
	}
	return lostCreateExample{}, false
}

// addressesOf returns the addresses of the desired resources of kind.
func addressesOf(t *testing.T, st *stack.Stack, kind resource.Kind) []string {
	t.Helper()
	ds, err := desired.Resources(st)
	if err != nil {
		t.Fatalf("desired resources of %s: %v", st.Metadata.Name, err)
	}
	var out []string
	for _, d := range ds {
		if d.Kind == kind {
			out = append(out, d.Address)
		}
	}
	sort.Strings(out)
	return out
}

// loseFirstCreate applies example on a sandbox that loses the first answer
// of op in the service of kind d.Kind, then checks what the apply left.
func loseFirstCreate(t *testing.T, d resource.Descriptor, op string, ex lostCreateExample) {
	example := ex.file
	service, _, _ := strings.Cut(string(d.Kind), ":")
	e, srv := newSandbox(t, sandbox.WithDelays(50*time.Millisecond, 10*time.Millisecond),
		sandbox.WithLostAnswers(map[string]int{service + ":" + op: 1}))
	if ex.rosa {
		e.rosaNetworks(t)
	}
	st := exampleStack(t, e, example)
	ctx, cancel := context.WithTimeout(context.Background(), lostCreateBound)
	defer cancel()
	start := time.Now()
	res, err := applyUnlocked(ctx, clientConfig(e), st)
	if err != nil || !res.OK() {
		t.Fatalf("apply of %s after a lost answer of %s: %v %s", example, op, err, describeResult(res))
	}
	if took := time.Since(start); took > lostCreateBound {
		t.Errorf("apply took %s, more than %s", took, lostCreateBound)
	}
	if left := srv.AnswersToLose(); len(left) > 0 {
		t.Errorf("apply of %s left answers of %v to lose: the test lost nothing", example, left)
	}
	if len(d.TaggingTypes) > 0 {
		want := map[string]int{}
		for _, a := range addressesOf(t, st, d.Kind) {
			want[a] = 1
		}
		if diff := cmp.Diff(want, e.taggedCount(t, st.Metadata.Name, d.TaggingTypes)); diff != "" {
			t.Errorf("resources of %s per address after a lost answer of %s (-want +got):\n%s", d.Kind, op, diff)
		}
	}
	p, err := planInProcess(e.robust(), st, false)
	if err != nil {
		t.Fatalf("plan after the apply: %v", err)
	}
	if p.HasChanges() {
		t.Errorf("the plan after the apply is not empty: %+v\n%s", p.Summary, describePlan(p))
	}
}

// applyUnlocked is planAndApply under ctx, with the lock left out: each
// case has a sandbox of its own.
func applyUnlocked(ctx context.Context, cfg aws.Config, st *stack.Stack) (*apply.Result, error) {
	p, err := planInProcess(cfg, st, false)
	if err != nil {
		return nil, err
	}
	prov, err := provider.New(cfg, st.Metadata.Name)
	if err != nil {
		return nil, err
	}
	return apply.Apply(ctx, p, apply.Options{
		Stack: st.Metadata.Name, Handlers: prov.Registry, Retryable: awserr.IsAmbiguous,
		Retry: apply.Backoff{First: 5 * time.Millisecond, Max: 50 * time.Millisecond},
	}), nil
}

// taggedCount counts, by address tag, every live resource of types the
// tagging API lists with the stack's tag: not those AWS keeps listing
// for a while after they ended (deleted or failed NAT gateways, deleted
// peerings, inactive task definition revisions).
func (e *env) taggedCount(t *testing.T, stackName string, types []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	cfg := e.robust()
	if strings.HasPrefix(types[0], "iam:") {
		cfg.Region = "us-east-1" // where the tagging API lists IAM's global resources
	}
	pages := rgt.NewGetResourcesPaginator(rgt.NewFromConfig(cfg), &rgt.GetResourcesInput{
		ResourceTypeFilters: types,
		TagFilters:          []rgttypes.TagFilter{{Key: aws.String(resource.TagStack), Values: []string{stackName}}},
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		check(t, "list tagged resources", err)
		for _, r := range page.ResourceTagMappingList {
			if ended(stateAfterDelete(t, e, aws.ToString(r.ResourceARN))) {
				continue
			}
			address := "(no address tag) " + aws.ToString(r.ResourceARN)
			for _, tag := range r.Tags {
				if aws.ToString(tag.Key) == resource.TagAddress {
					address = aws.ToString(tag.Value)
				}
			}
			out[address]++
		}
	}
	return out
}

// ended reports whether a state stateAfterDelete returned is that of a
// resource that no longer exists but for its listing.
func ended(state string) bool {
	return state == "deleted" || state == "failed" || state == "INACTIVE"
}
