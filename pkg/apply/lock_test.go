package apply

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

func TestAcquire(t *testing.T) {
	cases := map[string]struct {
		reason  string
		holder  func(ours string) string // the id found in the parameter
		wantErr string
	}{
		"our lost put": {
			reason: "the put made the parameter, its answer was lost and the SDK's retry found it: it is ours",
			holder: func(ours string) string { return ours },
		},
		"someone else": {
			reason:  "another apply holds it: refuse and name it",
			holder:  func(string) string { return "0123456789abcdef" },
			wantErr: "lock id 0123456789abcdef",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var value string
			api := &fakeSSM{
				PutFn: func(in *ssm.PutParameterInput) (*ssm.PutParameterOutput, error) {
					value = aws.ToString(in.Value)
					return nil, &ssmtypes.ParameterAlreadyExists{}
				},
				GetFn: func(*ssm.GetParameterInput) (*ssm.GetParameterOutput, error) {
					var info LockInfo
					if err := json.Unmarshal([]byte(value), &info); err != nil {
						return nil, err
					}
					info.ID = tc.holder(info.ID)
					b, err := json.Marshal(info)
					return &ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{Value: aws.String(string(b))}}, err
				},
			}
			_, err := Acquire(context.Background(), api, "s", "kcstack apply", 0)
			var held *HeldError
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("%s: got %v", tc.reason, err)
			case tc.wantErr != "" && (!errors.As(err, &held) || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("%s: got %v, want a HeldError with %q", tc.reason, err, tc.wantErr)
			}
		})
	}
}
