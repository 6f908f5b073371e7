package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/acm"

	"github.com/kcstack/kcstack/pkg/aws/certificate"
	"github.com/kcstack/kcstack/pkg/aws/loadbalancer"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// observe reads what AWS holds for ds. Unless refusal is "" (a destroy) it
// first asks ACM about the certificate of each desired HTTPS listener (it
// exists, is issued, is in the stack's region), so that a plan and a
// saved plan alike stop before anything is created; refusal heads the
// error that names each listener that cannot serve.
func (r *runContext) observe(ctx context.Context, stackName string, ds []resource.Desired, refusal string) (*state.Snapshot, error) {
	if refusal != "" {
		if err := r.checkCertificates(ctx, ds); err != nil {
			return nil, explainAWS(fmt.Errorf("%s:\n%w", refusal, err), r.sess)
		}
	}
	snap, err := state.Observe(ctx, stackName, ds, r.prov.Observers)
	if err != nil {
		return nil, explainAWS(err, r.sess)
	}
	return snap, nil
}

// checkCertificates asks ACM about the certificate of each HTTPS listener
// of ds, naming the field of each one that cannot serve.
func (r *runContext) checkCertificates(ctx context.Context, ds []resource.Desired) error {
	client := acm.NewFromConfig(r.sess.cfg)
	var errs []error
	for _, d := range ds {
		arn := loadbalancer.ListenerCertificate(d)
		if arn == "" {
			continue
		}
		if err := certificate.Check(ctx, client, arn, r.sess.cfg.Region); err != nil {
			errs = append(errs, fmt.Errorf("%s: certificate %s cannot serve HTTPS: %w", r.certificateField(d), arn, err))
		}
	}
	return errors.Join(errs...)
}

// certificateField names where the certificate of listener d comes from:
// file:line:column and field path of its target's certificateArn in the
// stack file, or, for a saved plan (no stack file), the listener's address
// and prop.
func (r *runContext) certificateField(d resource.Desired) string {
	for i, t := range r.st.Spec.Targets {
		if t.ECS == nil || d.Component != desired.TargetComponent(t.Name) {
			continue
		}
		path := fmt.Sprintf("spec.targets[%d].ecs.loadBalancer.certificateArn", i)
		field := fmt.Sprintf("%s (target %s)", path, t.Name)
		if where := r.st.Where(path); where != "" {
			return where + ": " + field
		}
		return field
	}
	return d.Address + " certificate_arn"
}
