// Package apitest helps unit-test service emulations by calling their
// operations directly, without the HTTP front end: a fixed api.World, calls
// at a fixed time, and comparison options for SDK types.
package apitest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/smithy-go/document"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Now is the time of every Call.
var Now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// World is an api.World holding one service's state.
type World struct {
	Service   string
	States    map[string]any
	Behaviour api.Settings
}

// NewWorld returns a World for service with its given state.
func NewWorld(service string, state any) *World {
	return &World{Service: service, States: map[string]any{service: state}}
}

// State returns a service's state.
func (w *World) State(name string) any { return w.States[name] }

// Services lists the world's service.
func (w *World) Services() []string { return []string{w.Service} }

// Settings returns the behaviour settings.
func (w *World) Settings() api.Settings { return w.Behaviour }

// Call returns a call of operation op in eu-west-1 at Now.
func (w *World) Call(op string) *api.Call {
	return &api.Call{
		Service: w.Service, Operation: op, Region: "eu-west-1", AccountID: "123456789012",
		RequestID: "req", Now: Now, World: w,
	}
}

// SDKOpts ignores the SDK types' unexported fields and result metadata.
var SDKOpts = cmp.Options{cmpopts.IgnoreTypes(middleware.Metadata{}, document.NoSerde{})}

// ErrCode returns the AWS error code of err, "" for nil; it fails the test
// when err is not an *api.Error.
func ErrCode(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var apiErr *api.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v is not an *api.Error", err)
	}
	return apiErr.Code
}

// CheckOps fails t for every op of svc whose function does not have the
// shape api.ValidateFn requires.
func CheckOps(t *testing.T, svc api.Service) {
	t.Helper()
	for name, op := range svc.Ops {
		if err := api.ValidateFn(op.Fn); err != nil {
			t.Errorf("op %s: %v", name, err)
		}
	}
}

// CheckRoundTrip fails t unless the state st, written as JSON and read
// into back (an empty state), comes back equal under SDKOpts.
func CheckRoundTrip(t *testing.T, st, back any) {
	t.Helper()
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(st, back, SDKOpts); diff != "" {
		t.Errorf("JSON round trip: -want +got:\n%s", diff)
	}
}
