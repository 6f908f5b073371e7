package clients

import (
	"context"
	"time"

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
