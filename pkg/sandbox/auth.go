package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/protocol"
	"github.com/kcstack/kcstack/pkg/sandbox/sigv4"
)

// authErrors are AWS's answers to a refused signature, by why it was
// refused, in each protocol: ec2, query, json and rest-xml, in that order,
// as "<code> <HTTP status>". The JSON services call a bad signature
// InvalidSignatureException; the others SignatureDoesNotMatch.
var authErrors = map[sigv4.Kind][4]string{
	sigv4.Missing:         {"MissingAuthenticationToken 401", "MissingAuthenticationToken 403", "MissingAuthenticationTokenException 403", "AccessDenied 403"},
	sigv4.Malformed:       {"IncompleteSignature 400", "IncompleteSignature 400", "IncompleteSignatureException 400", "AuthorizationHeaderMalformed 400"},
	sigv4.UnknownKey:      {"AuthFailure 401", "InvalidClientTokenId 403", "UnrecognizedClientException 400", "InvalidAccessKeyId 403"},
	sigv4.BadSignature:    {"SignatureDoesNotMatch 403", "SignatureDoesNotMatch 403", "InvalidSignatureException 400", "SignatureDoesNotMatch 403"},
	sigv4.Skewed:          {"RequestExpired 400", "SignatureDoesNotMatch 403", "InvalidSignatureException 400", "RequestTimeTooSkewed 403"},
	sigv4.PayloadMismatch: {"SignatureDoesNotMatch 403", "SignatureDoesNotMatch 403", "InvalidSignatureException 400", "XAmzContentSHA256Mismatch 400"},
}

// authProtocols are the protocols in the order of authErrors' columns.
var authProtocols = []string{"ec2", "query", "json", "rest-xml"}

// authError is AWS's answer, in protocol, to a refusal of kind.
func authError(protocol string, failed *sigv4.Error) *api.Error {
	column := max(slices.Index(authProtocols, protocol), 0)
	code, status, _ := strings.Cut(authErrors[failed.Kind][column], " ")
	n, _ := strconv.Atoi(status)
	return &api.Error{Code: code, Message: failed.Message, Status: n}
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
	e := authError(proto, failed)
	if proto == "rest-xml" {
		return protocol.RESTErrorResponse(e, requestID, nil, r.Method == http.MethodHead), false
	}
	return svc.errorResponse(e, requestID), false
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
