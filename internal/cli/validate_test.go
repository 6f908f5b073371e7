package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// run executes kcstack with args and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func glob(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("glob %s: %v (%d files)", pattern, err, len(files))
	}
	return files
}

// TestValidateExamples is the acceptance test: every example is valid.
func TestValidateExamples(t *testing.T) {
	for _, f := range glob(t, "../../examples/*.yaml") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, stdout, stderr := run(t, "validate", "-f", f)
			if code != 0 {
				t.Errorf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			if want := f + " is valid\n"; stdout != want {
				t.Errorf("stdout (-want +got):\n%s", cmp.Diff(want, stdout))
			}
		})
	}
}

// TestValidateInvalid checks the exit status of every invalid test stack
// of pkg/stack (whose table test checks the messages).
func TestValidateInvalid(t *testing.T) {
	for _, f := range glob(t, "../../pkg/stack/testdata/invalid/*.yaml") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			code, stdout, _ := run(t, "validate", "-f", f)
			if code != 1 {
				t.Errorf("exit %d, want 1\n%s", code, stdout)
			}
			if !strings.Contains(stdout, f+" is invalid: ") {
				t.Errorf("stdout lacks the summary:\n%s", stdout)
			}
		})
	}
}

func TestValidateWarningsExitZero(t *testing.T) {
	for _, f := range glob(t, "../../pkg/stack/testdata/warnings/*.yaml") {
		code, stdout, _ := run(t, "validate", "-f", f)
		if code != 0 || !strings.Contains(stdout, ": warning: ") {
			t.Errorf("%s: exit %d, want 0 with warnings\n%s", f, code, stdout)
		}
	}
}

func TestValidateJSON(t *testing.T) {
	f := "../../pkg/stack/testdata/invalid/overlap-rosa-aurora.yaml"
	code, stdout, _ := run(t, "validate", "-f", f, "--output", "json")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var got validateResult
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout)
	}
	want := validateResult{
		FormatVersion: 1, File: f, Valid: false, Errors: 1,
	}
	diags := got.Diagnostics
	got.Diagnostics = nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if len(diags) != 1 || diags[0].Line != 29 || diags[0].Column != 22 || diags[0].Path != "spec.targets[1].rosa.machineCidr" {
		t.Errorf("diagnostics = %+v", diags)
	}
}

func TestValidateJSONValidHasDigest(t *testing.T) {
	code, stdout, _ := run(t, "validate", "-o", "json", "-f", "../../examples/aurora-rosa.yaml")
	var got validateResult
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 {
		t.Fatalf("exit %d, err %v\n%s", code, err, stdout)
	}
	if !got.Valid || !strings.HasPrefix(got.Digest, "sha256:") || got.Diagnostics == nil {
		t.Errorf("result = %+v", got)
	}
}

func TestValidateErrors(t *testing.T) {
	cases := map[string]struct {
		reason string
		args   []string
		stderr string
	}{
		"missing file": {
			reason: "a missing stack file says how to get one",
			args:   []string{"validate", "-f", "does-not-exist.yaml"},
			stderr: "Error: no stack file does-not-exist.yaml: pass -f FILE, or start from one of the files in examples/\n",
		},
		"default file": {
			reason: "without -f, ./stack.yaml is read",
			args:   []string{"validate"},
			stderr: "Error: no stack file stack.yaml: pass -f FILE, or start from one of the files in examples/\n",
		},
		"bad output": {
			reason: "only text and json are formats",
			args:   []string{"validate", "-f", "../../examples/aurora-rosa.yaml", "-o", "yaml"},
			stderr: "Error: unknown --output \"yaml\": use text or json\n",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(t, tc.args...)
			if code != 1 {
				t.Errorf("%s: exit %d, want 1", tc.reason, code)
			}
			if diff := cmp.Diff(tc.stderr, stderr); diff != "" {
				t.Errorf("%s: stderr (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestCompletion checks cobra's completion scripts and that -f completes
// YAML files and --output its two values.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, stdout, stderr := run(t, "completion", shell)
		if code != 0 || !strings.Contains(stdout, "kcstack") {
			t.Errorf("completion %s: exit %d, %d bytes\n%s", shell, code, len(stdout), stderr)
		}
	}
	cases := map[string]struct {
		args []string
		want string
	}{
		"file":   {args: []string{"__complete", "validate", "-f", ""}, want: "yaml\nyml\n:8\n"},
		"output": {args: []string{"__complete", "validate", "--output", ""}, want: "text\njson\n:4\n"},
	}
	for name, tc := range cases {
		_, stdout, _ := run(t, tc.args...)
		if diff := cmp.Diff(tc.want, stdout); diff != "" {
			t.Errorf("%s completion (-want +got):\n%s", name, diff)
		}
	}
}

func TestValidateStdin(t *testing.T) {
	var stdout, stderr bytes.Buffer
	in := strings.NewReader("apiVersion: kcstack.io/v1alpha1\nkind: Stack\n")
	code := Run(context.Background(), []string{"validate", "-f", "-"}, in, &stdout, &stderr)
	want := `<stdin>:1:1: error: metadata: missing required key "metadata"; add metadata to the top level
<stdin>:1:1: error: spec: missing required key "spec"; add spec to the top level
<stdin> is invalid: 2 errors, 0 warnings
`
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
}
