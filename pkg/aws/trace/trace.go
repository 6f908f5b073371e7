// Package trace prints every AWS API call an SDK configuration makes, with
// its duration and outcome, for --trace.
package trace

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// Enable makes cfg print one line per API call attempt sequence to w:
// "trace: ec2 DescribeVpcs 12ms ok". Safe for concurrent calls.
func Enable(cfg *aws.Config, w io.Writer) {
	var mu sync.Mutex
	cfg.APIOptions = append(cfg.APIOptions, func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("kcstackTrace", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			start := time.Now()
			out, md, err := next.HandleInitialize(ctx, in)
			outcome := "ok"
			if err != nil {
				outcome = "error: " + err.Error()
			}
			mu.Lock()
			fmt.Fprintf(w, "trace: %s %s %s %s\n", awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx), time.Since(start).Round(time.Millisecond), outcome)
			mu.Unlock()
			return out, md, err
		}), middleware.Before)
	})
}
