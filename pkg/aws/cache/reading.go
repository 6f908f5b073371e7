package cache

import (
	"context"
	"fmt"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// reading is how a handler reads the resources of its kind (of SDK type
// T) for its waits, adoptions and retried deletes.
type reading[T any] struct {
	// noun names the kind in messages: "ElastiCache user".
	noun string
	// describe returns the resource id, nil when it does not exist.
	describe func(ctx context.Context, id string) (*T, error)
	status   func(*T) string
	arn      func(*T) string
	// ready reports whether the resource is in the state waits wait for.
	ready func(*T) bool
	wait  poll.Options
	// observe builds the observation of an item with its tags at an
	// address.
	observe func(item T, tags map[string]string, address string) resource.Observation
}

// one returns the first of the items a describe by id answered, nil when
// the resource does not exist (the notFound code, or no item).
func one[T any](err error, notFound, noun, id string, items func() []T) (*T, error) {
	return awserr.First(err, []string{notFound}, noun+" "+id, items)
}

// check reads id for a wait, keeping it in last when last is set.
func (r reading[T]) check(id string, last **T) check {
	return func(ctx context.Context) (bool, string, bool, error) {
		item, err := r.describe(ctx, id)
		if err != nil || item == nil {
			return false, "deleted", false, err
		}
		if last != nil {
			*last = item
		}
		return true, r.status(item), r.ready(item), nil
	}
}

// waitReady waits until id is ready and returns it as last described.
func (r reading[T]) waitReady(ctx context.Context, id string) (*T, error) {
	var last *T
	if err := waitReady(ctx, r.wait, r.noun+" "+id, r.check(id, &last)); err != nil {
		return nil, err
	}
	return last, nil
}

// waitGone waits until id no longer exists.
func (r reading[T]) waitGone(ctx context.Context, id string) error {
	return waitGone(ctx, r.wait, r.noun+" "+id, r.check(id, nil))
}

// deleting reports whether id is gone or being deleted (a retried delete).
func (r reading[T]) deleting(ctx context.Context, id string) bool {
	item, err := r.describe(ctx, id)
	return err == nil && (item == nil || r.status(item) == "deleting")
}

// settle waits for a resource observed in a state other than ready (a
// change an interrupted run left going): ElastiCache changes only
// resources at rest. readyStatus is that state's name.
func (r reading[T]) settle(ctx context.Context, o resource.Observation, readyStatus string) error {
	if s := o.Attrs[attrStatus]; s == "" || s == readyStatus {
		return nil
	}
	_, err := r.waitReady(ctx, o.ID)
	return err
}

// adopt checks that id, which a create was refused for as a duplicate, is
// stack's resource at address and not being deleted, and returns its tags.
func (r reading[T]) adopt(ctx context.Context, api API, id, stack, address string) (map[string]string, error) {
	item, err := r.describe(ctx, id)
	if err != nil || item == nil {
		return nil, fmt.Errorf("it exists but cannot be read: %v", err)
	}
	tags, err := checkAdoptable(ctx, api, r.noun, id, r.arn(item), stack, address)
	if err != nil {
		return nil, err
	}
	if r.status(item) == "deleting" {
		return nil, fmt.Errorf("%s %s is being deleted: run kcstack apply again once it is gone", r.noun, id)
	}
	return tags, nil
}

// waitObserved waits until id is ready and returns its observation at
// address, with its tags.
func (r reading[T]) waitObserved(ctx context.Context, api API, id, address string) (resource.Observation, error) {
	item, err := r.waitReady(ctx, id)
	if err != nil {
		return resource.Observation{}, err
	}
	tags, err := listTags(ctx, api, r.arn(item))
	if err != nil {
		return resource.Observation{}, err
	}
	return r.observe(*item, tags, address), nil
}

// deleteWhenFree calls del until it succeeds (a refusal in ref.Busy is
// tried again, unless the resource is already being deleted) and waits
// until id is gone; until ends what the wait's timeout says it waited for.
func (r reading[T]) deleteWhenFree(ctx context.Context, b clients.Base[API], id, until string, ref clients.Refusals, del func(context.Context) error) error {
	err := b.DeleteWhenFree(ctx, r.noun, id, until, ref, func(ctx context.Context) error {
		err := del(ctx)
		if awserr.Is(err, ref.Busy...) && r.deleting(ctx, id) {
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return r.waitGone(ctx, id)
}

// created returns nil when the create of id succeeded (err nil) or was
// refused as a duplicate (the code exists) of a resource that is stack's
// at address, which is adopted; any other error is wrapped.
func (r reading[T]) created(ctx context.Context, api API, err error, exists, id, stack, address string) error {
	if awserr.Is(err, exists) {
		_, err = r.adopt(ctx, api, id, stack, address)
	}
	if err != nil {
		return fmt.Errorf("create %s %s: %w", r.noun, id, err)
	}
	return nil
}
