package ec2

import (
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

const testAccount = "123456789012"

// fakeWorld is a sandbox world holding the EC2 state and any fake other
// services.
type fakeWorld struct {
	states   map[string]any
	settings api.Settings
}

func (w *fakeWorld) State(s string) any     { return w.states[s] }
func (w *fakeWorld) Settings() api.Settings { return w.settings }
func (w *fakeWorld) Services() []string {
	var out []string
	for k := range w.states {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fakeDependents is another service's state that reports users of EC2 ids.
type fakeDependents struct {
	DependentsOfFn func(id string) []string
}

func (f *fakeDependents) DependentsOf(id string) []string { return f.DependentsOfFn(id) }

// harness runs EC2 operations the way the front end does: by name from the
// op table, after a Tick, in one region, at a controllable time.
type harness struct {
	t      *testing.T
	world  *fakeWorld
	ops    map[string]api.Op
	now    time.Time
	region string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	svc := Service()
	return &harness{
		t:      t,
		world:  &fakeWorld{states: map[string]any{Name: svc.NewState()}},
		ops:    svc.Ops,
		now:    time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
		region: "eu-west-1",
	}
}

func (h *harness) state() *State { return h.world.states[Name].(*State) }

// call invokes the named operation and returns its output and error.
func (h *harness) call(name string, in any) (any, error) {
	h.t.Helper()
	o, ok := h.ops[name]
	if !ok {
		h.t.Fatalf("operation %s is not implemented", name)
	}
	h.state().Tick(h.now, h.world.settings)
	c := &api.Call{Service: Name, Operation: name, Region: h.region, AccountID: testAccount, RequestID: "req", Now: h.now, World: h.world}
	res := reflect.ValueOf(o.Fn).Call([]reflect.Value{reflect.ValueOf(c), reflect.ValueOf(in)})
	if err, _ := res[1].Interface().(error); err != nil {
		return nil, err
	}
	return res[0].Interface(), nil
}

// do runs an operation that must succeed and returns its typed output.
func do[O any](h *harness, name string, in any) *O {
	h.t.Helper()
	out, err := h.call(name, in)
	if err != nil {
		h.t.Fatalf("%s: %v", name, err)
	}
	return out.(*O)
}
