package tagged

import (
	"context"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer is the round-2 observer of an ECS target's compute, load
// balancing and discovery kinds and of the Redis kinds: one GetResources
// call lists the stack's resources of all ResourceTypes for every part. A
// stack that desires none of Kinds and owns no ECS target network and no
// Redis security group (none in the first round) makes no call at all:
// stacks without ECS targets or Redis pay nothing for them.
type Observer struct {
	Tagging       TaggingAPI
	ResourceTypes []string
	Kinds         []resource.Kind
	Parts         []clients.TaggedObserver
}

var _ resource.Observer = (*Observer)(nil)

// New returns the observer of parts (what the service packages added to a
// clients.Set): its kinds are the parts', its resource types those the
// registry's descriptors declare for them.
func New(api TaggingAPI, r resource.Registry, parts []clients.Tagged) *Observer {
	o := &Observer{Tagging: api}
	for _, p := range parts {
		o.Kinds = append(o.Kinds, p.Kinds...)
		o.Parts = append(o.Parts, p.Observer)
	}
	o.ResourceTypes = r.TaggingTypes(o.Kinds...)
	return o
}

// Round is 2: it needs round 1's security groups to know whether an ECS
// target exists.
func (o *Observer) Round() int { return 2 }

// TaskSecurityGroupSuffix ends the address of an ECS target's tasks'
// security group (pkg/stack: targets.<name>.task-security-group).
const TaskSecurityGroupSuffix = ".task-security-group"

// RedisSecurityGroup is the address of the security group of the stack's
// Redis: while the stack owns it, the Redis kinds are read (to be deleted
// once the file no longer has Redis).
const RedisSecurityGroup = "redis.security-group"

// Observe reads every part, or only completes the desired resources when
// the stack has no ECS target.
func (o *Observer) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	if !o.needed(q) {
		return ownership.Complete(q, nil, o.Kinds...), nil
	}
	tagged, err := Tagged(ctx, o.Tagging, q.Stack, o.ResourceTypes...)
	if err != nil {
		return nil, err
	}
	all := &ownership.Collector{}
	g, ctx := errgroup.WithContext(ctx)
	for _, p := range o.Parts {
		g.Go(func() error {
			obs, err := p.ObserveTagged(ctx, q, tagged)
			all.Add(obs...)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	obs := all.Observations()
	for _, p := range o.Parts {
		if f, ok := p.(Finisher); ok {
			f.Finish(q, obs)
		}
	}
	return obs, nil
}

// Finisher is a part whose observations depend on what the other parts
// of the round read: Finish runs once every part has read, with all their
// observations, and may set attributes of its own (an ECS task
// definition matches what the stack generates only with the Redis
// endpoint and secrets, which other parts read).
type Finisher interface {
	Finish(q resource.Query, all []resource.Observation)
}

func (o *Observer) needed(q resource.Query) bool {
	for _, k := range o.Kinds {
		if len(ownership.DesiredOfKind(q, k)) > 0 {
			return true
		}
	}
	for addr, ob := range q.Known {
		if ob.Owned && ob.Kind == resource.KindSecurityGroup && (strings.HasSuffix(addr, TaskSecurityGroupSuffix) || addr == RedisSecurityGroup) {
			return true
		}
	}
	return false
}
