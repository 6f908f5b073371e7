package kube

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// EnvAPIServer names the environment variable holding the path of the
// kube-apiserver binary (.ci/run sets it).
const EnvAPIServer = "KCSTACK_KUBE_APISERVER"

// buildHint tells a developer how to get the missing binaries.
const buildHint = "build kube-apiserver with internal/testutil/kubeapiserver/build.sh (about 10 minutes the first time) and install etcd (apt-get install etcd-server), or run .ci/run"

// DefaultAPIServerPath returns where build.sh and .ci/run put the
// kube-apiserver binary: kcstack/kube-apiserver/kube-apiserver under the
// user's cache directory.
func DefaultAPIServerPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory: %w", err)
	}
	return filepath.Join(dir, "kcstack", "kube-apiserver", "kube-apiserver"), nil
}

// APIServerPath returns the kube-apiserver binary to run: the one
// $KCSTACK_KUBE_APISERVER names, else DefaultAPIServerPath; an error says
// which was looked for when it is not there.
func APIServerPath() (string, error) {
	path := os.Getenv(EnvAPIServer)
	if path == "" {
		p, err := DefaultAPIServerPath()
		if err != nil {
			return "", err
		}
		path = p
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("no kube-apiserver at %s ($%s or the default cache path): %w", path, EnvAPIServer, err)
	}
	return path, nil
}

// binaries returns the kube-apiserver and etcd binaries, or skips the
// test when one is missing — fails it under CI, which must have both.
func binaries(t testing.TB) (apiserver, etcd string) {
	t.Helper()
	apiserver, aerr := APIServerPath()
	etcd, eerr := exec.LookPath("etcd")
	err := errors.Join(aerr, eerr)
	if err == nil {
		return apiserver, etcd
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("no Kubernetes API server for this test under CI: %v; %s", err, buildHint)
	}
	t.Skipf("no Kubernetes API server for this test: %v; %s", err, buildHint)
	return "", ""
}
