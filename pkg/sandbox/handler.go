package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/protocol"
)

const maxBody = 16 << 20

// credentialScope matches the SigV4 scope: <key>/<date>/<region>/<service>/aws4_request.
var credentialScope = regexp.MustCompile(`Credential=[^/,]+/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request`)

// ServeHTTP answers one AWS API request, or an admin request under /_sandbox/.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
		s.admin(w, r)
		return
	}
	requestID := newRequestID()
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	region, svc := s.route(r)
	if svc == nil {
		http.Error(w, "kcstack sandbox: cannot tell which AWS service this request is for (no SigV4 credential scope or X-Amz-Target it knows)", http.StatusBadRequest)
		return
	}
	resp, ok := s.authenticate(r, svc, body, requestID)
	if ok {
		resp = s.call(r, svc, region, body, requestID)
	}
	h := w.Header()
	h.Set("Content-Type", resp.ContentType)
	h.Set("X-Amzn-RequestId", requestID)
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

// route finds the service and region of a request.
func (s *Server) route(r *http.Request) (string, *service) {
	region := "us-east-1"
	auth := r.Header.Get("Authorization")
	if auth == "" {
		auth = "Credential=" + r.URL.Query().Get("X-Amz-Credential")
	}
	if m := credentialScope.FindStringSubmatch(auth); m != nil {
		region = m[1]
		if svc, ok := s.bySigningName[m[2]]; ok {
			return region, svc
		}
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		prefix, _, _ := strings.Cut(target, ".")
		return region, s.byTarget[prefix]
	}
	return region, nil
}

// call runs one request through faults, decoding, the operation and encoding.
func (s *Server) call(r *http.Request, svc *service, region string, body []byte, requestID string) protocol.Response {
	proto := svc.model.Metadata.Protocol
	if proto == "rest-xml" {
		return s.callREST(r, svc, region, body, requestID)
	}
	fail := func(e *api.Error) protocol.Response { return svc.errorResponse(e, requestID) }
	opName, values, opErr := operationName(r, proto, body)
	if opErr != nil {
		return fail(opErr)
	}
	s.calls.add(svc.Name, opName)
	if d := s.cfg.faults.Latency; d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return fail(protocol.ServerError(proto, true))
		}
	}
	mutating := isMutating(opName)
	f := s.faults.draw(mutating)
	switch f {
	case faultThrottle:
		return fail(protocol.Throttled(proto))
	case faultInternal, faultUnavailable:
		return fail(protocol.ServerError(proto, f == faultUnavailable))
	}
	op, ok := svc.model.Operations[opName]
	fn, implemented := svc.ops[opName]
	if !ok || !implemented {
		return fail(protocol.UnknownOperation(proto, opName))
	}
	var in protocol.Tree
	var err error
	if proto == "json" {
		in, err = protocol.DecodeJSON(svc.model, op, body)
	} else {
		in, err = protocol.DecodeQuery(svc.model, op, values)
	}
	if err != nil {
		return fail(asAPIError(err))
	}
	if verr := protocol.Validate(svc.model, op, in); verr != nil {
		return fail(verr)
	}
	out, apiErr := s.invoke(svc, fn, opName, region, requestID, in, mutating)
	if apiErr != nil {
		return fail(apiErr)
	}
	if f == faultAmbiguous || s.faults.loses(svc.Name, svc.signing, opName) {
		return fail(protocol.ServerError(proto, false))
	}
	if proto == "json" {
		return protocol.Response{Status: 200, ContentType: "application/x-amz-json-" + svc.model.Metadata.JSONVersion, Body: protocol.EncodeJSON(svc.model, op, out)}
	}
	return protocol.Response{Status: 200, ContentType: "text/xml;charset=UTF-8", Body: protocol.EncodeXML(svc.model, op, out, requestID)}
}

// callREST is call for the REST-XML protocol (S3): the operation comes
// from the method, path and query, the input from the URI, query, headers
// and body.
func (s *Server) callREST(r *http.Request, svc *service, region string, body []byte, requestID string) protocol.Response {
	req, found := protocol.MatchREST(svc.model, r.Method, protocol.RESTPath(r), r.URL.Query(), r.Header)
	fail := func(e *api.Error) protocol.Response {
		return protocol.RESTErrorResponse(e, requestID, req.Labels, r.Method == http.MethodHead)
	}
	if !found {
		return fail(&api.Error{Code: "MethodNotAllowed", Message: "The specified method is not allowed against this resource.", Status: http.StatusMethodNotAllowed})
	}
	s.calls.add(svc.Name, req.Op.Name)
	if d := s.cfg.faults.Latency; d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return fail(protocol.ServerError("rest-xml", true))
		}
	}
	mutating := isMutating(req.Op.Name)
	f := s.faults.draw(mutating)
	switch f {
	case faultThrottle:
		return fail(protocol.Throttled("rest-xml"))
	case faultInternal, faultUnavailable:
		return fail(protocol.ServerError("rest-xml", f == faultUnavailable))
	}
	fn, implemented := svc.ops[req.Op.Name]
	if !implemented {
		return fail(protocol.UnknownOperation("rest-xml", req.Op.Name))
	}
	if protocol.IsAWSChunked(r) {
		decoded, err := protocol.DecodeAWSChunked(body)
		if err != nil {
			return fail(asAPIError(err))
		}
		body = decoded
	}
	in, err := protocol.DecodeREST(svc.model, req, r, body)
	if err != nil {
		return fail(asAPIError(err))
	}
	out, apiErr := s.invoke(svc, fn, req.Op.Name, region, requestID, in, mutating)
	if apiErr != nil {
		return fail(apiErr)
	}
	if f == faultAmbiguous || s.faults.loses(svc.Name, svc.signing, req.Op.Name) {
		return fail(protocol.ServerError("rest-xml", false))
	}
	resp := protocol.EncodeREST(svc.model, req.Op, out)
	resp.Headers["x-amz-request-id"] = requestID
	return resp
}

// invoke runs the operation under the state lock and saves the state after
// a change.
func (s *Server) invoke(svc *service, fn reflect.Value, opName, region, requestID string, in protocol.Tree, mutating bool) (protocol.Tree, *api.Error) {
	input := reflect.New(fn.Type().In(1).Elem())
	if err := protocol.ToStruct(in, input.Interface()); err != nil {
		return nil, &api.Error{Code: "InvalidParameterValue", Message: err.Error()}
	}
	protocol.FillReaders(in, input.Interface())
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now().UTC()
	for _, name := range s.Services() {
		if t, ok := s.states[name].(api.Ticker); ok {
			t.Tick(now, s.cfg.settings)
		}
	}
	c := &api.Call{Service: svc.Name, Operation: opName, Region: region, AccountID: s.cfg.accountID, RequestID: requestID, Now: now, World: s}
	res, apiErr := safeCall(fn, c, input)
	if apiErr != nil {
		return nil, apiErr
	}
	if mutating && s.cfg.stateFile != "" {
		if err := s.save(); err != nil {
			return nil, &api.Error{Code: "InternalFailure", Message: err.Error(), Status: 500}
		}
	}
	return protocol.FromStruct(res), nil
}

// safeCall calls an operation, turning a panic into a 500 so one bug in an
// emulation never takes the sandbox down.
func safeCall(fn reflect.Value, c *api.Call, input reflect.Value) (res any, apiErr *api.Error) {
	defer func() {
		if p := recover(); p != nil {
			apiErr = &api.Error{Code: "InternalFailure", Message: fmt.Sprintf("sandbox bug in %s.%s: %v", c.Service, c.Operation, p), Status: 500}
		}
	}()
	outs := fn.Call([]reflect.Value{reflect.ValueOf(c), input})
	if err, _ := outs[1].Interface().(error); err != nil {
		return nil, asAPIError(err)
	}
	return outs[0].Interface(), nil
}

func asAPIError(err error) *api.Error {
	var e *api.Error
	if errors.As(err, &e) {
		return e
	}
	return &api.Error{Code: "InternalFailure", Message: err.Error(), Status: 500}
}

// operationName reads the operation from X-Amz-Target (JSON) or the Action
// form field (query protocols), returning the parsed form for the latter.
func operationName(r *http.Request, proto string, body []byte) (string, url.Values, *api.Error) {
	if proto == "json" {
		target := r.Header.Get("X-Amz-Target")
		_, op, ok := strings.Cut(target, ".")
		if !ok || op == "" {
			return "", nil, &api.Error{Code: "UnknownOperationException", Message: "Missing or malformed X-Amz-Target header."}
		}
		return op, nil, nil
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		return "", nil, &api.Error{Code: "MalformedQueryString", Message: err.Error()}
	}
	for k, v := range r.URL.Query() {
		if _, ok := values[k]; !ok {
			values[k] = v
		}
	}
	op := values.Get("Action")
	if op == "" {
		return "", nil, &api.Error{Code: "MissingAction", Message: "The request must contain the parameter Action"}
	}
	return op, values, nil
}

// isMutating reports whether an operation may change state: everything but
// the read-only verbs.
func isMutating(op string) bool {
	for _, p := range []string{"Describe", "List", "Get", "Head"} {
		if strings.HasPrefix(op, p) {
			return false
		}
	}
	return true
}

// admin serves the sandbox's own endpoints: call counts and health.
func (s *Server) admin(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/_sandbox/health":
		_, _ = io.WriteString(w, "ok\n")
	case r.URL.Path == "/_sandbox/calls" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.Calls())
	case r.URL.Path == "/_sandbox/calls" && r.Method == http.MethodDelete:
		s.ResetCalls()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func newRequestID() string {
	h := api.RandomHex(32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
