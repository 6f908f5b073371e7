package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/acm"

	"github.com/kcstack/kcstack/pkg/aws/certificate"
)

// checkCertificates asks ACM, before a plan creates anything, about the
// certificate of each ECS target's HTTPS listener (it exists, is issued,
// is in the stack's region), naming the field of each one that cannot
// serve.
func (r *runContext) checkCertificates(ctx context.Context) error {
	client := acm.NewFromConfig(r.sess.cfg)
	var errs []error
	for i, t := range r.st.Spec.Targets {
		if t.ECS == nil || t.ECS.LoadBalancer.CertificateARN == "" {
			continue
		}
		arn := t.ECS.LoadBalancer.CertificateARN
		if err := certificate.Check(ctx, client, arn, r.sess.cfg.Region); err != nil {
			errs = append(errs, fmt.Errorf("spec.targets[%d].ecs.loadBalancer.certificateArn (target %s): certificate %s cannot serve HTTPS: %w", i, t.Name, arn, err))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return explainAWS(fmt.Errorf("cannot plan:\n%w", errors.Join(errs...)), r.sess)
}
