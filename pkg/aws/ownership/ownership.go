package ownership

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/resource"
)

// Observed builds the observation of an existing resource: Owned when its
// tags carry the stack; the address is the given one, or the address tag
// when address is empty. attrs["id"] is set to id.
func Observed(kind resource.Kind, address, id, stack string, tags map[string]string, props resource.Props, attrs map[string]string) resource.Observation {
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["id"] = id
	if address == "" {
		address = tags[resource.TagAddress]
	}
	return resource.Observation{
		Address: address, Kind: kind, Exists: true, ID: id, Props: props, Attrs: attrs, Tags: tags,
		Owned: stack != "" && tags[resource.TagStack] == stack,
	}
}

// Complete adds an Exists:false observation for every desired resource of
// kinds that obs lacks.
func Complete(q resource.Query, obs []resource.Observation, kinds ...resource.Kind) []resource.Observation {
	seen := map[string]bool{}
	for _, ob := range obs {
		seen[ob.Address] = true
	}
	want := map[resource.Kind]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	for _, d := range q.Desired {
		if !seen[d.Address] && want[d.Kind] {
			obs = append(obs, resource.Observation{Address: d.Address, Kind: d.Kind})
		}
	}
	return obs
}

// Relevant keeps the observations a plan needs: those owned by the stack
// and those at a desired address (an untagged look-alike there makes the
// plan refuse to take it over).
func Relevant(q resource.Query, obs []resource.Observation) []resource.Observation {
	desired := map[string]bool{}
	for _, d := range q.Desired {
		desired[d.Address] = true
	}
	var out []resource.Observation
	for _, ob := range obs {
		if ob.Owned && ob.Address != "" || desired[ob.Address] {
			out = append(out, ob)
		}
	}
	return out
}

// DesiredOfKind returns the desired resources of kind k.
func DesiredOfKind(q resource.Query, k resource.Kind) []resource.Desired {
	var out []resource.Desired
	for _, d := range q.Desired {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

// ErrorCode returns the AWS error code of err, or "".
func ErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// Str returns the string prop k, or "".
func Str(p resource.Props, k string) string {
	s, _ := p[k].(string)
	return s
}

// Int returns the integer prop k, or 0.
func Int(p resource.Props, k string) int64 {
	switch v := resource.Normalize(p[k]).(type) {
	case int64:
		return v
	case float64:
		return int64(v)
	}
	return 0
}

// Bool returns the boolean prop k, or false.
func Bool(p resource.Props, k string) bool {
	b, _ := p[k].(bool)
	return b
}

// Strings returns the list prop k as strings, in order.
func Strings(p resource.Props, k string) []string {
	var out []string
	switch v := p[k].(type) {
	case []string:
		out = append(out, v...)
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// List returns s as a sorted prop list.
func List(s []string) []any {
	c := append([]string(nil), s...)
	sort.Strings(c)
	out := make([]any, len(c))
	for i, v := range c {
		out[i] = v
	}
	return out
}

// TaggingAPI is the part of the resource groups tagging API Tagged calls.
type TaggingAPI interface {
	GetResources(context.Context, *tagging.GetResourcesInput, ...func(*tagging.Options)) (*tagging.GetResourcesOutput, error)
}

// Tagged returns the tags of every resource of the given resource type
// filters ("logs:log-group", "iam:role") that carries the stack's tag, by
// ARN, in one paginated call. It only says which resources claim to be the
// stack's: callers confirm each one with the service's own describe.
func Tagged(ctx context.Context, api TaggingAPI, stack string, types ...string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	p := tagging.NewGetResourcesPaginator(api, &tagging.GetResourcesInput{
		ResourceTypeFilters: types,
		TagFilters:          []taggingtypes.TagFilter{{Key: aws.String(resource.TagStack), Values: []string{stack}}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("get resources tagged %s=%s (%v): %w", resource.TagStack, stack, types, err)
		}
		for _, m := range page.ResourceTagMappingList {
			tags := map[string]string{}
			for _, t := range m.Tags {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
			out[aws.ToString(m.ResourceARN)] = tags
		}
	}
	return out, nil
}

// Address decides where an observed resource goes in a snapshot: at its
// address tag when it carries the stack's tag, at the address of the
// desired resource of kind k whose nameProp equals name when not (an
// untagged look-alike, which the plan refuses to take over), and nowhere
// (false) otherwise.
func Address(q resource.Query, k resource.Kind, nameProp, name string, tags map[string]string) (string, bool) {
	if tags[resource.TagStack] == q.Stack && tags[resource.TagAddress] != "" {
		return tags[resource.TagAddress], true
	}
	for _, d := range q.Desired {
		if d.Kind == k && Str(d.Props, nameProp) == name && name != "" {
			return d.Address, true
		}
	}
	return "", false
}

// Wanted reports whether a service needs reading at all: the stack desires
// one of kinds, or the tagging API listed one of its resources whose ARN
// contains arnPart (":ecs:", ":elasticloadbalancing:"). A stack without
// ECS targets then makes no ECS calls.
func Wanted(q resource.Query, tagged map[string]map[string]string, arnPart string, kinds ...resource.Kind) bool {
	for _, k := range kinds {
		if len(DesiredOfKind(q, k)) > 0 {
			return true
		}
	}
	for arn := range tagged {
		if strings.Contains(arn, arnPart) {
			return true
		}
	}
	return false
}

// TaggedObserver reads some kinds given what the tagging API listed for
// the stack in the region (by ARN).
type TaggedObserver interface {
	ObserveTagged(ctx context.Context, q resource.Query, tagged map[string]map[string]string) ([]resource.Observation, error)
}

// Shared is the round-2 observer of an ECS target's compute, load
// balancing and discovery kinds: one GetResources call lists the stack's
// resources of all ResourceTypes for every part. A stack that desires none
// of Kinds and owns no ECS target network (no task security group in the
// first round) makes no call at all: stacks without ECS targets pay
// nothing for them.
type Shared struct {
	Tagging       TaggingAPI
	ResourceTypes []string
	Kinds         []resource.Kind
	Parts         []TaggedObserver
}

var _ resource.Observer = (*Shared)(nil)

// Round is 2: it needs round 1's security groups to know whether an ECS
// target exists.
func (s *Shared) Round() int { return 2 }

// TaskSecurityGroupSuffix ends the address of an ECS target's tasks'
// security group (pkg/stack: targets.<name>.task-security-group).
const TaskSecurityGroupSuffix = ".task-security-group"

// Observe reads every part, or only completes the desired resources when
// the stack has no ECS target.
func (s *Shared) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	if !s.needed(q) {
		return Complete(q, nil, s.Kinds...), nil
	}
	tagged, err := Tagged(ctx, s.Tagging, q.Stack, s.ResourceTypes...)
	if err != nil {
		return nil, err
	}
	all := &Collector{}
	g, ctx := errgroup.WithContext(ctx)
	for _, p := range s.Parts {
		g.Go(func() error {
			obs, err := p.ObserveTagged(ctx, q, tagged)
			all.Add(obs...)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return all.Observations(), nil
}

func (s *Shared) needed(q resource.Query) bool {
	for _, k := range s.Kinds {
		if len(DesiredOfKind(q, k)) > 0 {
			return true
		}
	}
	for addr, ob := range q.Known {
		if ob.Owned && ob.Kind == resource.KindSecurityGroup && strings.HasSuffix(addr, TaskSecurityGroupSuffix) {
			return true
		}
	}
	return false
}
