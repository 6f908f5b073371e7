package verify

import (
	"context"
	"fmt"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// Check is one verified property of the stack.
type Check struct {
	// Name says what was checked: "aurora members available".
	Name string `json:"name"`
	// Address is the resource the check is about.
	Address string `json:"address"`
	Status  Status `json:"status"`
	// Message says what was found.
	Message string `json:"message"`
	// Details name each problem: the unhealthy target and its task, the
	// missing route, a stopped task's reason.
	Details []string `json:"details"`
	// Hint says what to look at or do when the check fails.
	Hint string `json:"hint"`
}

// Status is the outcome of one check.
type Status string

// The outcomes of a check.
const (
	// Pass is a check that found what the file asks.
	Pass Status = "pass"
	// Fail is a check that found a problem; verify exits 1.
	Fail Status = "fail"
	// Skip is a check that could not be made (a ROSA cluster this run
	// does not reach, and why): no failure.
	Skip Status = "skip"
)

// Report is the outcome of verifying a stack.
type Report struct {
	Stack  string  `json:"stack"`
	Region string  `json:"region"`
	Checks []Check `json:"checks"`
}

// Passed reports whether no check failed (skipped checks do not fail).
func (r *Report) Passed() bool { return len(r.Failed()) == 0 }

// Failed returns the failed checks, in order.
func (r *Report) Failed() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status == Fail {
			out = append(out, c)
		}
	}
	return out
}

// Unread is a ROSA target whose cluster this run does not reach, and why.
type Unread struct {
	Target, Reason string
}

// Input is what a stack is verified against.
type Input struct {
	Stack, Region string
	// Desired are the stack's desired resources, in order.
	Desired []resource.Desired
	// Snapshot is live AWS read once for Desired: it gives the ids the
	// checks read further, and the state of what a plan reads already
	// (the peerings' status, the Keycloak custom resources).
	Snapshot *state.Snapshot
	// WriterZone is database.aurora.writerZone, empty when the file sets
	// none.
	WriterZone string
	// Unread are the ROSA targets whose in-cluster part was not read.
	Unread []Unread
}

// Run makes every check of in and returns the report; an error is AWS that
// cannot be read, never a failed check.
func Run(ctx context.Context, c Clients, in Input) (*Report, error) {
	v := &verifier{c: c, in: in}
	steps := []struct {
		what string
		fn   func(context.Context) error
	}{
		{"the database", v.database},
		{"the peerings", v.peerings},
		{"the routes", v.routes},
		{"the database rules", v.rules},
		{"the ECS services", v.services},
	}
	for _, s := range steps {
		if err := s.fn(ctx); err != nil {
			return nil, fmt.Errorf("verify %s: %w", s.what, err)
		}
	}
	v.clusters()
	return &Report{Stack: in.Stack, Region: in.Region, Checks: v.checks}, nil
}

// verifier accumulates the checks of one run.
type verifier struct {
	c      Clients
	in     Input
	checks []Check
}

func (v *verifier) add(c Check) { v.checks = append(v.checks, c) }

// ofKind returns the desired resources of kind, in order.
func (v *verifier) ofKind(kind resource.Kind) []resource.Desired {
	var out []resource.Desired
	for _, d := range v.in.Desired {
		if d.Kind == kind && d.Lookup == nil {
			out = append(out, d)
		}
	}
	return out
}

// observed returns the observation of address.
func (v *verifier) observed(address string) resource.Observation {
	return v.in.Snapshot.Observations[address]
}

// props are d's props with every reference to an observed resource
// resolved.
func (v *verifier) props(d resource.Desired) resource.Props {
	return resource.Resolve(d.Props, func(r resource.Ref) (string, bool) {
		s := v.observed(r.Address).Attrs[r.Attr]
		return s, s != ""
	})
}

// str is the string prop k of p ("" when absent or unresolved).
func str(p resource.Props, k string) string {
	s, _ := p[k].(string)
	return s
}

// strs is the list prop k of p, its unresolved entries left out.
func strs(p resource.Props, k string) []string {
	var out []string
	switch xs := p[k].(type) {
	case []string:
		out = append(out, xs...)
	case []any:
		for _, x := range xs {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// missing adds a failed check for a resource that does not exist yet.
func (v *verifier) missing(name, address string) {
	v.add(Check{Name: name, Address: address, Status: Fail, Message: "not created", Hint: "run kcstack apply"})
}

// all reads every page: next returns the following page while more says
// there is one; items picks a page's items.
func all[O, T any](ctx context.Context, more func() bool, next func(context.Context) (O, error), items func(O) []T) ([]T, error) {
	var out []T
	for more() {
		page, err := next(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, items(page)...)
	}
	return out, nil
}
