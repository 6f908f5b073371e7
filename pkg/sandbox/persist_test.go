package sandbox_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// savedState runs a sandbox on a new state file, makes a log group, and
// returns the file once the sandbox has stopped.
func savedState(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "state.json")
	srv, err := sandbox.Start(sandbox.WithStateFile(file))
	if err != nil {
		t.Fatal(err)
	}
	logs := cwl.NewFromConfig(sandboxtest.AWSConfig(t, srv))
	if _, err := logs.CreateLogGroup(context.Background(), &cwl.CreateLogGroupInput{LogGroupName: aws.String("/kcstack/g")}); err != nil {
		t.Fatalf("CreateLogGroup: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	return file
}

// TestStateFileUnknownKeysRefused is issue 12's "a state file it does not
// fully understand is refused, naming the key, and never rewritten".
func TestStateFileUnknownKeysRefused(t *testing.T) {
	cases := map[string]struct {
		reason string
		edit   func(string) string
		want   string
	}{
		"top-level key": {reason: "a key beside format_version and services",
			edit: func(s string) string { return strings.Replace(s, `"services"`, `"colour": "red", "services"`, 1) }, want: "unknown key colour"},
		"unknown service": {reason: "a service this sandbox does not emulate",
			edit: func(s string) string {
				return strings.Replace(s, `"services": {`, `"services": {"dynamodb": {"tables": {}},`, 1)
			}, want: "unknown key services.dynamodb"},
		"nested field": {reason: "a field a log group does not have",
			edit: func(s string) string {
				return strings.Replace(s, `"name": "/kcstack/g"`, `"name": "/kcstack/g", "archived": true`, 1)
			}, want: "unknown key services.logs.regions.eu-west-1./kcstack/g.archived"},
		"format version": {reason: "another format_version",
			edit: func(s string) string { return strings.Replace(s, `"format_version": 1`, `"format_version": 2`, 1) }, want: "format_version 2, want 1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			file := savedState(t)
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			edited := tc.edit(string(raw))
			if edited == string(raw) {
				t.Fatalf("the edit changed nothing in:\n%s", raw)
			}
			if err := os.WriteFile(file, []byte(edited), 0o600); err != nil {
				t.Fatal(err)
			}
			srv, err := sandbox.Start(sandbox.WithStateFile(file))
			if err == nil {
				_ = srv.Close()
				t.Fatalf("%s: the sandbox started", tc.reason)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), file) {
				t.Errorf("%s: error %q does not name %q and the file", tc.reason, err, tc.want)
			}
			after, _ := os.ReadFile(file)
			if !bytes.Equal(after, []byte(edited)) {
				t.Errorf("%s: the state file was rewritten", tc.reason)
			}
		})
	}
}

// TestStateFileRoundTrips: a file the sandbox wrote loads and is saved
// again byte for byte.
func TestStateFileRoundTrips(t *testing.T) {
	file := savedState(t)
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.Start(sandbox.WithStateFile(file))
	if err != nil {
		t.Fatalf("start on a valid state file: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(file)
	if !bytes.Equal(before, after) {
		t.Errorf("state changed across a restart:\nbefore %s\nafter  %s", before, after)
	}
}
