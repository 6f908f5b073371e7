package poll

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kcstack/kcstack/pkg/resource"
)

func TestUntil(t *testing.T) {
	cases := map[string]struct {
		reason  string
		doneAt  int
		timeout time.Duration
		wantErr error
	}{
		"ready at once": {reason: "a resource already in state needs one check", doneAt: 1},
		"ready later":   {reason: "polling continues until the check reports done", doneAt: 4, timeout: time.Minute},
		"never ready":   {reason: "the timeout ends the wait with ErrTimeout", doneAt: 1 << 30, timeout: 50 * time.Millisecond, wantErr: ErrTimeout},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			calls := 0
			err := Until(context.Background(), "thing", Options{First: time.Millisecond, Timeout: tc.timeout}, func(context.Context) (bool, string, error) {
				calls++
				return calls >= tc.doneAt, "creating", nil
			})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("%s: err %v, want %v", tc.reason, err, tc.wantErr)
			}
			if tc.wantErr == nil && calls != tc.doneAt {
				t.Errorf("%s: %d checks, want %d", tc.reason, calls, tc.doneAt)
			}
		})
	}
}

func TestUntilStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Until(ctx, "thing", Options{First: time.Hour}, func(context.Context) (bool, string, error) { return false, "", nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

func TestUntilStopsOnStop(t *testing.T) {
	stop := make(chan struct{})
	ctx := resource.WithStop(context.Background(), stop)
	calls := 0
	done := make(chan error)
	go func() {
		done <- Until(ctx, "thing", Options{First: time.Hour}, func(context.Context) (bool, string, error) {
			calls++
			return false, "creating", nil
		})
	}()
	close(stop)
	select {
	case err := <-done:
		if !errors.Is(err, resource.ErrStopped) || calls != 1 {
			t.Errorf("err %v after %d checks, want resource.ErrStopped after 1", err, calls)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a stopped wait went on")
	}
}
