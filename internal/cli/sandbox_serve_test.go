package cli

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestServeLoseFirst(t *testing.T) {
	cases := map[string]struct {
		reason string
		args   []string
		want   map[string]int
	}{
		"none":     {reason: "without the flag no answer is lost", want: map[string]int{}},
		"list":     {reason: "a comma list names one lost answer each", args: []string{"--lose-first", "CreateNatGateway,ecs:CreateService"}, want: map[string]int{"CreateNatGateway": 1, "ecs:CreateService": 1}},
		"repeated": {reason: "a name given twice loses two answers", args: []string{"--lose-first", "CreateVpc", "--lose-first", "CreateVpc"}, want: map[string]int{"CreateVpc": 2}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var f serveFlags
			cmd := newSandboxServeCmd()
			if err := cmd.ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			got, err := cmd.Flags().GetStringSlice("lose-first")
			if err != nil {
				t.Fatal(err)
			}
			f.loseFirst = got
			if diff := cmp.Diff(tc.want, f.lostAnswers()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestServeRefuses(t *testing.T) {
	cases := map[string]struct {
		reason string
		args   []string
		want   string
	}{
		"remote listen": {reason: "an address every interface answers on needs --allow-remote",
			args: []string{"--listen", "0.0.0.0:0"}, want: "not a loopback address"},
		"credentials without secret": {reason: "--credentials needs both halves",
			args: []string{"--credentials", "AKIDONLY"}, want: "--credentials takes KEY:SECRET"},
		"task failure rate above 1": {reason: "--task-failure-rate is a share of tasks",
			args: []string{"--task-failure-rate", "1.5"}, want: "--task-failure-rate 1.5: a rate is a share"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cmd := newSandboxServeCmd()
			cmd.SetArgs(tc.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.ExecuteContext(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: got %v, want an error containing %q", tc.reason, err, tc.want)
			}
		})
	}
}
