// Package ambiguous stops the SDK from retrying, on its own, a create
// whose outcome is unknown. When CreateVpc answers 500 or the connection
// drops, the VPC may exist: a blind retry makes a second one. With this
// package the SDK still retries throttling (the call was refused, nothing
// happened), but returns ambiguous failures of the guarded operations as
// awserr.Ambiguous to kcstack's apply engine, which looks the resource up
// by its address tag before retrying. The guarded operations are those
// the kind descriptors declare not idempotent (resource.Creation).
package ambiguous

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
)

// Guard is the set of operations whose ambiguous failures are returned
// instead of retried. Its zero value guards nothing; it is safe for
// concurrent use.
type Guard struct {
	mu  sync.RWMutex
	ops map[string]bool
}

// Protect adds operations to the guarded set.
func (g *Guard) Protect(ops ...string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ops == nil {
		g.ops = map[string]bool{}
	}
	for _, op := range ops {
		g.ops[op] = true
	}
}

func (g *Guard) guards(op string) bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.ops[op]
}

// Install adds the guard's middleware to cfg; clients built from cfg
// afterwards are guarded, for the operations protected at call time.
func (g *Guard) Install(cfg *aws.Config) {
	cfg.APIOptions = append(cfg.APIOptions, func(s *middleware.Stack) error {
		return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("kcstackAmbiguousCreate", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleFinalize(ctx, in)
			op := awsmiddleware.GetOperationName(ctx)
			if err != nil && g.guards(op) && ambiguous(err) {
				err = &awserr.Ambiguous{Operation: op, Err: err}
			}
			return out, md, err
		}), "Retry", middleware.After)
	})
}

// ambiguous reports whether err leaves the outcome of the call unknown:
// a server error or a broken connection, not a refusal.
func ambiguous(err error) bool {
	if errors.Is(err, context.Canceled) || awserr.IsThrottle(awserr.Code(err)) {
		return false
	}
	return retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary ||
		strings.Contains(err.Error(), "connection reset")
}
