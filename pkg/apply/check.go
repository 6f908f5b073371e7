package apply

import (
	"context"
	"errors"
	"fmt"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Check reports, before anything changes, every delete or replacement of
// p that would fail halfway through an apply: a resource whose deletion
// protection is on (kcstack never turns it off by itself; the kind's
// descriptor says how to), or one whose handler knows its delete would
// fail (resource.DeleteChecker: a final snapshot name already taken).
func Check(ctx context.Context, p *plan.Plan, r resource.Registry) error {
	var errs []error
	for _, c := range p.Destructive() {
		if c.Observed == nil {
			continue
		}
		d, _ := r.Descriptor(c.Kind)
		if d.Protection.Protected(*c.Observed) {
			errs = append(errs, fmt.Errorf("%s (%s) has deletion protection on, and this plan would %s it; nothing was changed. To allow it, %s", c.Address, c.Observed.ID, c.Action, d.Protection.Hint))
			continue
		}
		checker, ok := r[c.Kind].(resource.DeleteChecker)
		if !ok {
			continue
		}
		var opts map[string]string
		if c.Desired != nil {
			opts = c.Desired.Options
		}
		if err := checker.CheckDelete(ctx, *c.Observed, opts); err != nil {
			errs = append(errs, fmt.Errorf("%s (%s): this plan would %s it, but %w; nothing was changed", c.Address, c.Observed.ID, c.Action, err))
		}
	}
	return errors.Join(errs...)
}
