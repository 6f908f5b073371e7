package sandbox

import (
	"net/http"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/protocol"
	"github.com/kcstack/kcstack/pkg/sandbox/sigv4"
)

// authErrors are AWS's answers to a refused signature in each protocol
// (ec2, query, json, rest-xml), by why it was refused. The JSON services
// call a bad signature InvalidSignatureException; the others
// SignatureDoesNotMatch.
var authErrors = map[string]map[sigv4.Kind]api.Error{
	"ec2": {
		sigv4.Missing: {Code: "MissingAuthenticationToken", Status: 401}, sigv4.Malformed: {Code: "IncompleteSignature", Status: 400},
		sigv4.UnknownKey: {Code: "AuthFailure", Status: 401}, sigv4.BadSignature: {Code: "SignatureDoesNotMatch", Status: 403},
		sigv4.Skewed: {Code: "RequestExpired", Status: 400}, sigv4.PayloadMismatch: {Code: "SignatureDoesNotMatch", Status: 403},
	},
	"query": {
		sigv4.Missing: {Code: "MissingAuthenticationToken", Status: 403}, sigv4.Malformed: {Code: "IncompleteSignature", Status: 400},
		sigv4.UnknownKey: {Code: "InvalidClientTokenId", Status: 403}, sigv4.BadSignature: {Code: "SignatureDoesNotMatch", Status: 403},
		sigv4.Skewed: {Code: "SignatureDoesNotMatch", Status: 403}, sigv4.PayloadMismatch: {Code: "SignatureDoesNotMatch", Status: 403},
	},
	"json": {
		sigv4.Missing: {Code: "MissingAuthenticationTokenException", Status: 403}, sigv4.Malformed: {Code: "IncompleteSignatureException", Status: 400},
		sigv4.UnknownKey: {Code: "UnrecognizedClientException", Status: 400}, sigv4.BadSignature: {Code: "InvalidSignatureException", Status: 400},
		sigv4.Skewed: {Code: "InvalidSignatureException", Status: 400}, sigv4.PayloadMismatch: {Code: "InvalidSignatureException", Status: 400},
	},
	"rest-xml": {
		sigv4.Missing: {Code: "AccessDenied", Status: 403}, sigv4.Malformed: {Code: "AuthorizationHeaderMalformed", Status: 400},
		sigv4.UnknownKey: {Code: "InvalidAccessKeyId", Status: 403}, sigv4.BadSignature: {Code: "SignatureDoesNotMatch", Status: 403},
		sigv4.Skewed: {Code: "RequestTimeTooSkewed", Status: 403}, sigv4.PayloadMismatch: {Code: "XAmzContentSHA256Mismatch", Status: 400},
	},
}

// authenticate checks the request's signature when the sandbox was given
// credentials, answering false with the refusal in the service's protocol.
func (s *Server) authenticate(r *http.Request, svc *service, body []byte, requestID string) (protocol.Response, bool) {
	if s.cfg.credentials == nil {
		return protocol.Response{}, true
	}
	failed := sigv4.Verify(r, body, *s.cfg.credentials, time.Now())
	if failed == nil {
		return protocol.Response{}, true
	}
	proto := svc.model.Metadata.Protocol
	e := authErrors[proto][failed.Kind]
	e.Message = failed.Message
	if proto == "rest-xml" {
		return protocol.RESTErrorResponse(&e, requestID, nil, r.Method == http.MethodHead), false
	}
	return svc.errorResponse(&e, requestID), false
}

// errorResponse encodes e in the service's protocol (ec2, query, json).
func (svc *service) errorResponse(e *api.Error, requestID string) protocol.Response {
	meta := svc.model.Metadata
	resp := protocol.ErrorResponse(meta.Protocol, meta.XMLNamespace, e, requestID)
	if meta.Protocol == "json" {
		resp.ContentType = "application/x-amz-json-" + meta.JSONVersion
	}
	return resp
}
