package clients

import (
	"context"
	"fmt"
	"time"

	"github.com/kcstack/kcstack/pkg/aws/awserr"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Base is embedded in a handler of a service package: its kind's
// descriptor (which gives it Describe and the default Diff), the client A
// it calls, the stack it works for and the bound of its waits.
type Base[A any] struct {
	resource.Described
	// API is the SDK client, or a fake in tests.
	API A
	// Stack is the stack's name, the value of the kcstack:stack tag.
	Stack string
	// Wait, when set, bounds the handler's waits; nil is the package's
	// defaults.
	Wait *poll.Options
}

// NewBase returns the base of a handler of the kind d over api, for o's
// stack and with o's waits.
func NewBase[A any](d resource.Descriptor, api A, o Options) Base[A] {
	return Base[A]{Described: resource.Described{Descriptor: d}, API: api, Stack: o.Stack, Wait: o.Wait}
}

// Over returns NewBase over api for o, for a package whose handlers share
// one client: base(d) is the base of the handler of the kind d.
func Over[A any](api A, o Options) func(d resource.Descriptor) Base[A] {
	return func(d resource.Descriptor) Base[A] { return NewBase(d, api, o) }
}

// DeleteWait bounds a handler's wait for a delete to take effect (a
// service draining, a cluster losing its services) when its Wait is nil.
var DeleteWait = poll.Options{First: 200 * time.Millisecond, Max: 5 * time.Second, Timeout: 10 * time.Minute}

// WaitOr returns the bound of the handler's waits: Wait, or def when Wait
// is nil.
func (b Base[A]) WaitOr(def poll.Options) poll.Options {
	if b.Wait == nil {
		return def
	}
	return *b.Wait
}

// UntilDeleted is poll.Until within WaitOr(DeleteWait): it calls check
// until it reports done, returns an error or the wait ends. what
// describes the wait ("ECS service x to stop").
func (b Base[A]) UntilDeleted(ctx context.Context, what string, check func(context.Context) (done bool, status string, err error)) error {
	return poll.Until(ctx, what, b.WaitOr(DeleteWait), check)
}

// Refusals are the error codes of a delete that DeleteWhenFree reads:
// Gone says the resource is already gone (success), Busy that something
// still uses it (the delete is tried again).
type Refusals struct{ Gone, Busy []string }

// DeleteWhenFree calls del until it succeeds or answers one of r.Gone,
// trying again while it answers one of r.Busy, within UntilDeleted's
// bound. noun and id name the resource in errors ("delete ECS cluster
// x: ..."); until ends what the timeout message says it waited for
// ("to lose its services").
func (b Base[A]) DeleteWhenFree(ctx context.Context, noun, id, until string, r Refusals, del func(context.Context) error) error {
	return b.UntilDeleted(ctx, noun+" "+id+" "+until, func(ctx context.Context) (bool, string, error) {
		err := del(ctx)
		switch {
		case err == nil, awserr.Is(err, r.Gone...):
			return true, "", nil
		case awserr.Is(err, r.Busy...):
			return false, err.Error(), nil
		}
		return false, "", fmt.Errorf("delete %s %s: %w", noun, id, err)
	})
}
