package aurora

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// first returns the first item a describe by id answered, nil when the
// resource does not exist (a not-found error or no item); items is only
// called when err is nil. noun names the kind in the error: "DB cluster".
func first[T any](err error, noun, id string, items func() []T) (*T, error) {
	return awserr.First(err, []string{codeClusterNotFound, codeInstanceNotFound, codeSubnetGroupNotFound}, noun+" "+id, items)
}

// statusKind is how the waits and finds of a kind with a status (a DB
// cluster or instance) read its described items.
type statusKind[T any] struct {
	noun    string // as messages name it: "DB cluster"
	kind    resource.Kind
	status  func(*T) string
	tags    func(*T) []types.Tag
	observe func(item T, stack, address string) resource.Observation
}

// describeFunc describes one item by id, nil when it does not exist.
type describeFunc[T any] func(ctx context.Context, id string) (*T, error)

// waitAvailable waits until ready holds for item id and returns it as last
// described.
func (k statusKind[T]) waitAvailable(ctx context.Context, wait poll.Options, describe describeFunc[T], id string, ready func(*T) bool) (*T, error) {
	var last *T
	err := poll.Until(ctx, k.noun+" "+id+" to become available", wait, func(ctx context.Context) (bool, string, error) {
		item, err := describe(ctx, id)
		if err != nil || item == nil {
			return false, "not found yet", err
		}
		last = item
		return ready(item), k.status(item), nil
	})
	return last, err
}

// waitGone waits until item id no longer exists.
func (k statusKind[T]) waitGone(ctx context.Context, wait poll.Options, describe describeFunc[T], id string) error {
	return poll.Until(ctx, k.noun+" "+id+" to be deleted", wait, func(ctx context.Context) (bool, string, error) {
		item, err := describe(ctx, id)
		if err != nil || item == nil {
			return item == nil && err == nil, "deleted", err
		}
		return false, k.status(item), nil
	})
}

// created wraps the error of a create of item id: a create that failed
// as a duplicate (code: a retry of an ambiguous create) adopts the
// existing item when it is d's own, as adopt decides.
func (k statusKind[T]) created(ctx context.Context, describe describeFunc[T], id string, d resource.Desired, err error, code string) error {
	if awserr.Is(err, code) {
		err = k.adopt(ctx, describe, id, d)
	}
	if err != nil {
		return fmt.Errorf("create %s %s: %w", k.noun, id, err)
	}
	return nil
}

// checkDeleting turns a delete's "invalid state" err into success when
// the item id is gone or already being deleted (a retried delete);
// otherwise it returns err.
func (k statusKind[T]) checkDeleting(ctx context.Context, describe describeFunc[T], id string, err error) error {
	item, derr := describe(ctx, id)
	if derr == nil && (item == nil || k.status(item) == "deleting") {
		return nil
	}
	return err
}

// adopt checks that the existing item id, which a create found, is d's
// own and not being deleted.
func (k statusKind[T]) adopt(ctx context.Context, describe describeFunc[T], id string, d resource.Desired) error {
	item, err := describe(ctx, id)
	if err != nil {
		return err
	}
	if item == nil {
		return fmt.Errorf("%s %s exists but cannot be read", k.noun, id)
	}
	if err := checkAdoptable(k.noun, id, tagMap(k.tags(item)), d); err != nil {
		return err
	}
	if k.status(item) == "deleting" {
		return fmt.Errorf("%s %s is being deleted: run again once it is gone", k.noun, id)
	}
	return nil
}

// find returns the observation of the first of items that is stack's
// and tagged with address; Exists is false when there is none.
func (k statusKind[T]) find(items []T, stack, address string) resource.Observation {
	for _, item := range items {
		tags := tagMap(k.tags(&item))
		if tags[resource.TagStack] == stack && tags[resource.TagAddress] == address {
			return k.observe(item, stack, address)
		}
	}
	return resource.Observation{Address: address, Kind: k.kind}
}
