// Package awserr tells AWS errors apart: their codes and messages, which
// of them say a resource does not exist, and which may go away on retry.
// It is the one place kcstack's AWS packages read errors.
package awserr

import (
	"errors"
	"io"
	"net"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Code returns the AWS error code of err, "" when it has none.
func Code(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// Is reports whether err is an AWS error with one of codes.
func Is(err error, codes ...string) bool {
	code := Code(err)
	for _, c := range codes {
		if code != "" && code == c {
			return true
		}
	}
	return false
}

// Message returns the AWS error message of err, or its text; "" for nil.
func Message(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorMessage()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// IsThrottle reports whether code is one of AWS's throttling codes: the
// call was refused and did nothing.
func IsThrottle(code string) bool {
	switch code {
	case "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled", "SlowDown":
		return true
	}
	return false
}

// Transient reports whether err may go away on retry: throttling, server
// errors, broken connections, and creates whose outcome is unknown
// (Ambiguous).
func Transient(err error) bool {
	var amb *Ambiguous
	if errors.As(err, &amb) {
		return true
	}
	code := Code(err)
	if IsThrottle(code) {
		return true
	}
	switch code {
	case "InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable", "InternalServerError":
		return true
	}
	var resp *smithyhttp.ResponseError
	if errors.As(err, &resp) && resp.HTTPStatusCode() >= 500 {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "connection reset")
}

// Ambiguous wraps the error of a create that may or may not have happened.
type Ambiguous struct {
	Operation string
	Err       error
}

func (e *Ambiguous) Error() string {
	return e.Operation + " may or may not have succeeded: " + e.Err.Error()
}

func (e *Ambiguous) Unwrap() error { return e.Err }

// RetryableError tells the SDK's retryer not to retry this error itself.
func (e *Ambiguous) RetryableError() bool { return false }
