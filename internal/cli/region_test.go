package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRegionOtherThanTheFile runs commands whose --region, AWS_REGION or
// AWS_DEFAULT_REGION names another region than the stack file's
// (eu-west-1): each is refused before anything connects, with and without
// --sandbox.
func TestRegionOtherThanTheFile(t *testing.T) {
	const file = "../../examples/aurora-rosa.yaml"
	cases := map[string]struct {
		reason string
		env    map[string]string
		args   []string
		want   string
	}{
		"--region": {
			reason: "the flag names another region than spec.region",
			args:   []string{"plan", "-f", file, "--region", "us-east-1"},
			want:   "the stack file says spec.region eu-west-1, but --region is us-east-1; kcstack plans and applies in the file's region: drop --region or change spec.region",
		},
		"--region with --sandbox": {
			reason: "the sandbox follows the file too",
			args:   []string{"--sandbox", "apply", "-f", file, "--auto-approve", "--region", "us-east-1"},
			want:   "but --region is us-east-1",
		},
		"AWS_REGION": {
			reason: "the environment names another region",
			env:    map[string]string{"AWS_REGION": "us-east-1"},
			args:   []string{"plan", "-f", file},
			want:   "the stack file says spec.region eu-west-1, but AWS_REGION is us-east-1; kcstack plans and applies in the file's region: unset AWS_REGION or change spec.region",
		},
		"AWS_REGION with --sandbox": {
			reason: "the environment names another region, on the sandbox",
			env:    map[string]string{"AWS_REGION": "us-east-1"},
			args:   []string{"--sandbox", "plan", "-f", file},
			want:   "but AWS_REGION is us-east-1",
		},
		"AWS_DEFAULT_REGION": {
			reason: "the SDK reads AWS_DEFAULT_REGION when AWS_REGION is unset",
			env:    map[string]string{"AWS_DEFAULT_REGION": "us-east-1"},
			args:   []string{"destroy", "-f", file, "--auto-approve"},
			want:   "but AWS_DEFAULT_REGION is us-east-1; kcstack plans and applies in the file's region: unset AWS_DEFAULT_REGION",
		},
		"unlock": {
			reason: "unlock reads the lock in the file's region",
			args:   []string{"unlock", "-f", file, "--region", "us-east-1", "0123456789abcdef"},
			want:   "but --region is us-east-1",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			setRegionEnv(t, tc.env)
			code, stdout, stderr := run(t, tc.args...)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("%s: exit %d, stderr %q; want exit 1 and %q\nstdout:\n%s", tc.reason, code, stderr, tc.want, stdout)
			}
		})
	}
}

func TestRegionFor(t *testing.T) {
	cases := map[string]struct {
		reason     string
		flag       string
		env        map[string]string
		fileRegion string
		want       string
		wantErr    string
	}{
		"file only": {
			reason:     "nothing else names a region: the file's",
			fileRegion: "eu-west-1", want: "eu-west-1",
		},
		"all agree": {
			reason: "the same region everywhere", flag: "eu-west-1",
			env:        map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1"},
			fileRegion: "eu-west-1", want: "eu-west-1",
		},
		"flag wins over the environment": {
			reason: "--region matches the file and overrides AWS_REGION, as in the SDK", flag: "eu-west-1",
			env:        map[string]string{"AWS_REGION": "us-east-1"},
			fileRegion: "eu-west-1", want: "eu-west-1",
		},
		"AWS_REGION wins over AWS_DEFAULT_REGION": {
			reason:     "AWS_REGION matches and the SDK never reads AWS_DEFAULT_REGION then",
			env:        map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-east-1"},
			fileRegion: "eu-west-1", want: "eu-west-1",
		},
		"flag differs": {
			reason: "refused", flag: "us-east-1", fileRegion: "eu-west-1",
			wantErr: "but --region is us-east-1",
		},
		"no stack file": {
			reason: "a command without a stack file takes --region as it is", flag: "us-east-1",
			want: "us-east-1",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			setRegionEnv(t, tc.env)
			got, err := regionFor(tc.flag, tc.fileRegion)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("%s: got %v, want an error with %q", tc.reason, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: region (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestDestroyHelp: destroy shows only the flags it has; --allow-delete is
// apply's.
func TestDestroyHelp(t *testing.T) {
	code, stdout, stderr := run(t, "destroy", "--help")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if strings.Contains(stdout, "allow-delete") {
		t.Errorf("destroy --help mentions --allow-delete, which destroy does not have:\n%s", stdout)
	}
	for _, want := range []string{"--auto-approve", "destroy without asking for the stack's name", "--lock-timeout"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("destroy --help lacks %q:\n%s", want, stdout)
		}
	}
	if code, _, stderr := run(t, "destroy", "--allow-delete"); code != 1 || !strings.Contains(stderr, "unknown flag: --allow-delete") {
		t.Errorf("destroy --allow-delete: exit %d, stderr %q; want the unknown flag refused", code, stderr)
	}
	if _, stdout, _ := run(t, "apply", "--help"); !strings.Contains(stdout, "--allow-delete") {
		t.Errorf("apply --help lacks --allow-delete:\n%s", stdout)
	}
}

// setRegionEnv clears AWS_REGION and AWS_DEFAULT_REGION for the test,
// then sets env.
func setRegionEnv(t *testing.T, env map[string]string) {
	t.Helper()
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	for k, v := range env {
		t.Setenv(k, v)
	}
}
