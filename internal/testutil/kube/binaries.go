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

// EnvKubectl names the environment variable holding the path of a
// kubectl binary, to use instead of the one build.sh builds.
const EnvKubectl = "KCSTACK_KUBECTL"

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

// KubectlPath returns the kubectl binary to run: the one $KCSTACK_KUBECTL
// names, else the kubectl build.sh builds beside the kube-apiserver
// binary, else kubectl on PATH; an error says which were looked for.
func KubectlPath() (string, error) {
	if path := os.Getenv(EnvKubectl); path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("no kubectl at %s ($%s): %w", path, EnvKubectl, err)
		}
		return path, nil
	}
	var beside string
	if apiserver, err := APIServerPath(); err == nil {
		beside = filepath.Join(filepath.Dir(apiserver), "kubectl")
		if _, err := os.Stat(beside); err == nil {
			return beside, nil
		}
	}
	path, err := exec.LookPath("kubectl")
	if err != nil {
		return "", fmt.Errorf("no kubectl beside the kube-apiserver binary (%s) nor on PATH: %w", beside, err)
	}
	return path, nil
}

// Kubectl returns the kubectl binary for a test, or skips the test when
// there is none — fails it under CI, where build.sh builds one.
func Kubectl(t testing.TB) string {
	t.Helper()
	path, err := KubectlPath()
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("no kubectl for this test under CI: %v; build it with internal/testutil/kubeapiserver/build.sh", err)
	}
	t.Skipf("no kubectl for this test: %v; build it with internal/testutil/kubeapiserver/build.sh", err)
	return ""
}

// RequireBinaries skips the test (fails it under CI) unless kube-apiserver
// and etcd are there: for tests that start a server through a command of
// their own, as localkube's do.
func RequireBinaries(t testing.TB) {
	t.Helper()
	binaries(t)
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
