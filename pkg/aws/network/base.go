package network

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// base is what every handler shares: its kind's descriptor, which gives
// it Describe and the default Diff, and the EC2 client and waits.
type base struct {
	resource.Described
	api   API
	stack string
	// available bounds the waits for a resource to become available (or,
	// for NAT gateways, deleted); dependency those for dependents to go.
	available, dependency poll.Options
}

// Default waits of the handlers; clients.Options.Wait replaces them.
var (
	availableWait  = poll.Options{Timeout: 10 * time.Minute}
	dependencyWait = poll.Options{First: 500 * time.Millisecond, Max: 10 * time.Second, Timeout: 90 * time.Second}
)

// of returns b describing the kind d.
func (b base) of(d resource.Descriptor) base {
	b.Descriptor = d
	return b
}

// tagged is the base of the kinds that carry EC2 tags.
type tagged struct{ base }

// tagged returns b describing the tagged kind d.
func (b base) tagged(d resource.Descriptor) tagged { return tagged{b.of(d)} }

// fixed returns b describing the tagged kind d that nothing changes in
// place.
func (b base) fixed(d resource.Descriptor) fixed { return fixed{b.tagged(d)} }

// SetTags changes the resource's tags with CreateTags and DeleteTags.
func (t tagged) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return t.setTags(ctx, o.ID, set, remove)
}

// fixed is the base of the tagged kinds nothing of which, tags aside,
// changes in place: every field forces a replacement.
type fixed struct{ tagged }

// Update fails: nothing of the resource changes in place.
func (f fixed) Update(_ context.Context, _ resource.Desired, _ resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, noUpdate(f.Descriptor.Kind, diffs)
}

// retryDependency runs del until it stops failing with DependencyViolation
// (dependents such as ENIs of a deleted database disappear in the
// background) or the wait times out, then names what still depends on it
// (explainDependents). what ends with the resource's id. Not-found is
// success.
func (b base) retryDependency(ctx context.Context, what string, del func(context.Context) error) error {
	err := poll.Until(ctx, what+" to lose its dependents", b.dependency, func(ctx context.Context) (bool, string, error) {
		err := del(ctx)
		switch {
		case err == nil || isNotFound(err):
			return true, "", nil
		case awserr.Is(err, "DependencyViolation") || errors.As(err, new(*dependencyError)):
			return false, err.Error(), nil
		}
		return false, "", err
	})
	return b.explainDependents(ctx, what[strings.LastIndex(what, " ")+1:], err)
}

// dependencyError marks an error that goes away when dependents are gone,
// for retryDependency.
type dependencyError struct{ err error }

func (e *dependencyError) Error() string { return e.err.Error() }
func (e *dependencyError) Unwrap() error { return e.err }

// noUpdate is the Update of kinds whose every field forces replacement.
func noUpdate(k resource.Kind, diffs []resource.FieldDiff) error {
	return fmt.Errorf("%s cannot be updated in place (%d fields differ); plan a replacement", k, len(diffs))
}

// addressFilters select the resources tagged with the stack and address.
func addressFilters(stack, address string) []types.Filter {
	return []types.Filter{ownedBy(stack), filter("tag:"+resource.TagAddress, address)}
}

// foundByAddress is the answer of a FindByAddress whose describe, filtered
// by addressFilters, returned err and items: the observation of the first
// item, or one of kind k at address that does not exist. items is called
// only when err is nil.
func foundByAddress[T any](k resource.Kind, address string, err error, items func() []T, observe func(T) resource.Observation) (resource.Observation, error) {
	if err != nil {
		return resource.Observation{Address: address, Kind: k}, err
	}
	if all := items(); len(all) > 0 {
		return observe(all[0]), nil
	}
	return resource.Observation{Address: address, Kind: k}, nil
}

// propErr wraps a missing or mistyped property of the resource at address.
func propErr(address string, err error) error {
	return fmt.Errorf("%s: %w", address, err)
}
