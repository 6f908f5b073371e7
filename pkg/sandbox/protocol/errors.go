package protocol

import (
	"bytes"
	"encoding/json"
	"encoding/xml"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Response is an encoded wire response.
type Response struct {
	Status      int
	ContentType string
	Headers     map[string]string
	Body        []byte
}

// ErrorResponse encodes err in the given protocol (ec2, query, json).
// xmlns is the service's XML namespace (query protocol only).
func ErrorResponse(protocol, xmlns string, err *api.Error, requestID string) Response {
	switch protocol {
	case "ec2":
		var b bytes.Buffer
		b.WriteString(xmlHeader + "<Response><Errors><Error><Code>")
		_ = xml.EscapeText(&b, []byte(err.Code))
		b.WriteString("</Code><Message>")
		_ = xml.EscapeText(&b, []byte(err.Message))
		b.WriteString("</Message></Error></Errors><RequestID>" + requestID + "</RequestID></Response>")
		return Response{Status: err.HTTPStatus(), ContentType: "text/xml;charset=UTF-8", Body: b.Bytes()}
	case "query":
		kind := "Sender"
		if err.HTTPStatus() >= 500 {
			kind = "Receiver"
		}
		var b bytes.Buffer
		b.WriteString(xmlHeader + `<ErrorResponse xmlns="` + xmlns + `"><Error><Type>` + kind + "</Type><Code>")
		_ = xml.EscapeText(&b, []byte(err.Code))
		b.WriteString("</Code><Message>")
		_ = xml.EscapeText(&b, []byte(err.Message))
		b.WriteString("</Message></Error><RequestId>" + requestID + "</RequestId></ErrorResponse>")
		return Response{Status: err.HTTPStatus(), ContentType: "text/xml", Body: b.Bytes()}
	}
	body, _ := json.Marshal(map[string]string{"__type": err.Code, "message": err.Message})
	return Response{
		Status:      err.HTTPStatus(),
		ContentType: "application/x-amz-json-1.1",
		Headers:     map[string]string{"X-Amzn-ErrorType": err.Code},
		Body:        body,
	}
}

// UnknownOperation is AWS's answer to an action the service does not have
// (or the sandbox does not implement).
func UnknownOperation(protocol, op string) *api.Error {
	if protocol == "json" {
		return &api.Error{Code: "UnknownOperationException", Message: "Operation " + op + " is not supported."}
	}
	return &api.Error{Code: "InvalidAction", Message: "The action " + op + " is not valid for this web service."}
}

// Throttled is the throttling error each protocol's services send.
func Throttled(protocol string) *api.Error {
	switch protocol {
	case "ec2":
		return &api.Error{Code: "RequestLimitExceeded", Message: "Request limit exceeded.", Status: 503}
	case "query":
		return &api.Error{Code: "Throttling", Message: "Rate exceeded"}
	}
	return &api.Error{Code: "ThrottlingException", Message: "Rate exceeded"}
}

// ServerError is an internal (500) or unavailable (503) error in the
// protocol's vocabulary.
func ServerError(protocol string, unavailable bool) *api.Error {
	if unavailable {
		return &api.Error{Code: "ServiceUnavailable", Message: "Service is unavailable. Please try again shortly.", Status: 503}
	}
	switch protocol {
	case "ec2":
		return &api.Error{Code: "InternalError", Message: "An internal error has occurred", Status: 500}
	case "query":
		return &api.Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: 500}
	}
	return &api.Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: 500}
}
