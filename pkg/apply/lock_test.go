package apply

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/google/go-cmp/cmp"
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

// heldBy is an SSM whose lock parameter holds info: the first refusals
// puts are refused (the lock is held), later ones succeed.
func heldBy(t *testing.T, info LockInfo, refusals int) *fakeSSM {
	t.Helper()
	b, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	puts := 0
	return &fakeSSM{
		PutFn: func(*ssm.PutParameterInput) (*ssm.PutParameterOutput, error) {
			if puts++; puts > refusals {
				return &ssm.PutParameterOutput{}, nil
			}
			return nil, &ssmtypes.ParameterAlreadyExists{}
		},
		GetFn: func(*ssm.GetParameterInput) (*ssm.GetParameterOutput, error) {
			return &ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{Value: aws.String(string(b))}}, nil
		},
	}
}

// otherHolder is a live holder on another host.
var otherHolder = LockInfo{ID: "0123456789abcdef", Who: "ci@runner-7 (pid 4242)", Command: "kcstack apply", Created: time.Now().Add(-time.Minute),
	Host: "runner-7.example.com", PID: 4242}

func TestAcquireWaitNotice(t *testing.T) {
	var notices []string
	var waited []time.Duration
	onWait := func(h *HeldError) {
		notices = append(notices, h.Info.Who)
		waited = append(waited, h.Waited)
	}
	l, err := Acquire(context.Background(), heldBy(t, otherHolder, 2), "s", "kcstack apply", time.Minute, WithWaitNotice(time.Nanosecond, onWait))
	if err != nil {
		t.Fatalf("the holder released the lock after two tries: got %v", err)
	}
	if l == nil {
		t.Fatal("no lock")
	}
	want := []string{otherHolder.Who, otherHolder.Who}
	if diff := cmp.Diff(want, notices); diff != "" {
		t.Errorf("a notice per refused try, naming the holder (-want +got):\n%s", diff)
	}
	if len(waited) == 2 && waited[1] <= waited[0] {
		t.Errorf("waited %v, want growing", waited)
	}
}

func TestAcquireWaitNoticeEvery(t *testing.T) {
	var notices int
	_, err := Acquire(context.Background(), heldBy(t, otherHolder, 3), "s", "kcstack apply", time.Minute,
		WithWaitNotice(time.Hour, func(*HeldError) { notices++ }))
	if err != nil {
		t.Fatal(err)
	}
	if notices != 1 {
		t.Errorf("got %d notices within the hour between notices, want 1 (when the wait starts)", notices)
	}
}

// exitedPID starts a process, lets it exit, and returns its pid.
func exitedPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatalf("run a child process: %v", err)
	}
	return cmd.ProcessState.Pid()
}

func TestHeldErrorHolder(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Skip("no hostname:", err)
	}
	dead := exitedPID(t)
	cases := map[string]struct {
		reason   string
		info     LockInfo
		file     string
		wantDead bool
		want     string
	}{
		"dead on this host": {
			reason:   "the holder's process is gone: it will never release the lock",
			info:     LockInfo{ID: "00000000000000aa", Who: "me@here", Command: "kcstack apply", Host: host, PID: dead},
			file:     "prod.yaml",
			wantDead: true,
			want:     fmt.Sprintf("held by a process that no longer exists (pid %d on this host)", dead),
		},
		"alive on this host": {
			reason: "this process holds it: alive",
			info:   LockInfo{ID: "00000000000000bb", Who: "me@here", Command: "kcstack apply", Host: host, PID: os.Getpid()},
			file:   "prod.yaml",
			want:   "is locked by me@here",
		},
		"another host": {
			reason: "a pid of another host says nothing here",
			info:   LockInfo{ID: "00000000000000cc", Who: "ci@runner", Command: "kcstack apply", Host: host + ".elsewhere", PID: dead},
			file:   "prod.yaml",
			want:   "is locked by ci@runner",
		},
		"older lock without pid": {
			reason: "a lock written before host and pid were recorded",
			info:   LockInfo{ID: "00000000000000dd", Who: "me@here (pid 12)", Command: "kcstack apply"},
			want:   "is locked by me@here (pid 12)",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			opts := []LockOption{}
			if tc.file != "" {
				opts = append(opts, WithStackFile(tc.file))
			}
			start := time.Now()
			_, err := Acquire(context.Background(), heldBy(t, tc.info, 1000), "s", "kcstack apply", 0, opts...)
			var held *HeldError
			if !errors.As(err, &held) {
				t.Fatalf("%s: got %v, want a *HeldError", tc.reason, err)
			}
			if held.Dead != tc.wantDead {
				t.Errorf("%s: Dead %v, want %v", tc.reason, held.Dead, tc.wantDead)
			}
			hint := "kcstack unlock -f <stack file> " + tc.info.ID
			if tc.file != "" {
				hint = "kcstack unlock -f " + tc.file + " " + tc.info.ID
			}
			for _, want := range []string{tc.want, hint} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error %q does not contain %q", tc.reason, err, want)
				}
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestAcquireDoesNotWaitForTheDead(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Skip("no hostname:", err)
	}
	info := LockInfo{ID: "00000000000000aa", Who: "me@here", Command: "kcstack apply", Host: host, PID: exitedPID(t)}
	start := time.Now()
	_, err = Acquire(context.Background(), heldBy(t, info, 1000), "s", "kcstack apply", time.Hour)
	var held *HeldError
	if !errors.As(err, &held) || !held.Dead {
		t.Fatalf("got %v, want a *HeldError of a dead holder", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("waited %s for a dead holder, want a refusal at once", d)
	}
}

func TestAcquireRecordsHostAndPID(t *testing.T) {
	var info LockInfo
	api := &fakeSSM{PutFn: func(in *ssm.PutParameterInput) (*ssm.PutParameterOutput, error) {
		return &ssm.PutParameterOutput{}, json.Unmarshal([]byte(aws.ToString(in.Value)), &info)
	}}
	if _, err := Acquire(context.Background(), api, "s", "kcstack apply", 0); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if info.Host != host || info.PID != os.Getpid() {
		t.Errorf("lock value has host %q pid %d, want %q %d", info.Host, info.PID, host, os.Getpid())
	}
}
