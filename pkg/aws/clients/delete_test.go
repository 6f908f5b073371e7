package clients

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/kcstack/kcstack/pkg/aws/poll"
)

func TestDeleteWhenFree(t *testing.T) {
	r := Refusals{Gone: []string{"NotFound"}, Busy: []string{"InUse"}}
	apiErr := func(code string) error { return &smithy.GenericAPIError{Code: code, Message: code} }
	cases := map[string]struct {
		reason  string
		answers []error
		calls   int
		wantErr bool
	}{
		"Deleted": {reason: "a delete that succeeds is done", answers: []error{nil}, calls: 1},
		"Gone":    {reason: "a Gone code is success", answers: []error{apiErr("NotFound")}, calls: 1},
		"Busy":    {reason: "a Busy code is tried again", answers: []error{apiErr("InUse"), apiErr("InUse"), nil}, calls: 3},
		"Refused": {reason: "any other error ends the wait", answers: []error{apiErr("AccessDenied")}, calls: 1, wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := Base[any]{Wait: &poll.Options{First: time.Millisecond, Max: time.Millisecond, Timeout: time.Second}}
			calls := 0
			err := b.DeleteWhenFree(context.Background(), "thing", "t-1", "to be free", r, func(context.Context) error {
				calls++
				return tc.answers[calls-1]
			})
			if (err != nil) != tc.wantErr || calls != tc.calls {
				t.Errorf("%s\nDeleteWhenFree: err %v after %d calls, want error %v after %d", tc.reason, err, calls, tc.wantErr, tc.calls)
			}
			if tc.wantErr && !errors.As(err, new(*smithy.GenericAPIError)) {
				t.Errorf("%s\nDeleteWhenFree: err %v does not wrap the API error", tc.reason, err)
			}
		})
	}
}
