// Package ambiguous stops the SDK from retrying, on its own, a create
// whose outcome is unknown. When CreateVpc answers 500 or the connection
// drops, the VPC may exist: a blind retry makes a second one. With this
// package the SDK still retries throttling (the call was refused, nothing
// happened), but returns ambiguous failures of creates to kcstack's apply
// engine, which looks the resource up by its address tag before retrying.
package ambiguous

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
)

// Error wraps the error of a create that may or may not have happened.
type Error struct {
	Operation string
	Err       error
}

func (e *Error) Error() string {
	return e.Operation + " may or may not have succeeded: " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// RetryableError tells the SDK's retryer not to retry this error itself.
func (e *Error) RetryableError() bool { return false }

// unsafe lists the operations that create something a retry could create
// again. Creates with a natural key (a name AWS keeps unique, a client
// token) are safe: their retry fails with a duplicate error the handlers
// adopt.
var unsafe = map[string]bool{
	"CreateVpc": true, "CreateSubnet": true, "CreateRouteTable": true, "CreateInternetGateway": true,
	"AllocateAddress": true, "CreateVpcPeeringConnection": true, "RegisterTaskDefinition": true,
}

// Guard adds the middleware to cfg.
func Guard(cfg *aws.Config) {
	cfg.APIOptions = append(cfg.APIOptions, func(s *middleware.Stack) error {
		return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("kcstackAmbiguousCreate", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleFinalize(ctx, in)
			op := awsmiddleware.GetOperationName(ctx)
			if err != nil && unsafe[op] && ambiguous(err) {
				err = &Error{Operation: op, Err: err}
			}
			return out, md, err
		}), "Retry", middleware.After)
	})
}

// ambiguous reports whether err leaves the outcome of the call unknown:
// a server error or a broken connection, not a refusal.
func ambiguous(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var code interface{ ErrorCode() string }
	if errors.As(err, &code) && isThrottle(code.ErrorCode()) {
		return false
	}
	return retry.IsErrorRetryables(retry.DefaultRetryables).IsErrorRetryable(err) == aws.TrueTernary ||
		strings.Contains(err.Error(), "connection reset")
}

func isThrottle(code string) bool {
	switch code {
	case "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled", "SlowDown":
		return true
	}
	return false
}
