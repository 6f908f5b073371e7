// Package awserr tells AWS errors apart: their codes and messages,
// throttling, and creates whose answer was lost.
// It is the one place kcstack's AWS packages read errors.
package awserr

import (
	"errors"

	"github.com/aws/smithy-go"
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

// IsAmbiguous reports whether err is a create whose answer was lost
// (Ambiguous): the SDK does not retry it, kcstack's apply engine looks the
// resource up by its address tag first. Throttling and server errors are
// the SDK retryer's alone.
func IsAmbiguous(err error) bool {
	var amb *Ambiguous
	return errors.As(err, &amb)
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
