package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kcstack/kcstack/internal/testutil/kube"
)

// envRunMain makes the test binary run localkube's main instead of the
// tests, so that a test can start it as a process and interrupt it.
const envRunMain = "LOCALKUBE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// readyLine is the line localkube prints with the server's directory.
var readyLine = regexp.MustCompile(`^Kubernetes API server https://127\.0\.0\.1:\d+ ready \(data and logs in (.+)\)\.$`)

// TestLocalkube: localkube starts a server whose kubeconfig reaches it
// through every context asked for, with the Keycloak CRD served; an
// interrupt stops it, exit 0, and leaves neither its directory, nor the
// kubeconfig, nor any process running from that directory.
func TestLocalkube(t *testing.T) {
	kube.RequireBinaries(t)
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	cmd := exec.Command(os.Args[0], "--kubeconfig", kubeconfig, "--context", "gh-keycloak-a", "--context", "gh-keycloak-b")
	cmd.Env = append(os.Environ(), envRunMain+"=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := bufio.NewScanner(stdout)
	var dir string
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "Press Ctrl-C") {
		if m := readyLine.FindStringSubmatch(lines.Text()); m != nil {
			dir = m[1]
		}
	}
	if dir == "" {
		t.Fatalf("localkube printed no ready line with its directory before it stopped; stderr:\n%s", stderr.String())
	}
	for _, name := range []string{"gh-keycloak-a", "gh-keycloak-b"} {
		listKeycloaks(t, kubeconfig, name)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	stopping := false
	for lines.Scan() {
		stopping = stopping || strings.HasPrefix(lines.Text(), "Stopping the Kubernetes API server")
	}
	if !stopping {
		t.Errorf("localkube did not say it stops the server after an interrupt")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("localkube after an interrupt: %v, want exit 0; stderr:\n%s", err, stderr.String())
	}
	for _, path := range []string{dir, kubeconfig} {
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s after localkube stopped: %v, want it removed", path, err)
		}
	}
	if left := processesUsing(t, dir); len(left) > 0 {
		for _, pid := range left {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		t.Errorf("processes %v still run from %s after localkube stopped", left, dir)
	}
}

// listKeycloaks lists the Keycloak custom resources of every namespace
// through context name of the kubeconfig, failing t if that fails.
func listKeycloaks(t *testing.T, kubeconfig, name string) {
	t.Helper()
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}, &clientcmd.ConfigOverrides{CurrentContext: name}).ClientConfig()
	if err != nil {
		t.Fatalf("context %s of the kubeconfig: %v", name, err)
	}
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Resource(kube.KeycloakGVR).List(context.Background(), metav1.ListOptions{}); err != nil {
		t.Errorf("list Keycloak resources through context %s: %v", name, err)
	}
}

// processesUsing returns the ids of the processes whose command line
// names dir (etcd's data and kube-apiserver's certificates are there).
// Only Linux has /proc; elsewhere the test cannot look and says so.
func processesUsing(t *testing.T, dir string) []int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Logf("cannot look for leftover processes on %s", runtime.GOOS)
		return nil
	}
	cmdlines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, path := range cmdlines {
		b, err := os.ReadFile(path)
		if err != nil || !strings.Contains(string(b), dir) {
			continue
		}
		var pid int
		if _, err := fmt.Sscanf(path, "/proc/%d/cmdline", &pid); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

func TestLocalkubeRefusesAnExistingKubeconfig(t *testing.T) {
	kubeconfig := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(kubeconfig, []byte("someone's kubeconfig\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := run(context.Background(), []string{"--kubeconfig", kubeconfig}, &out)
	if err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("run with an existing --kubeconfig: %v, want a refusal saying it exists", err)
	}
	if b, _ := os.ReadFile(kubeconfig); string(b) != "someone's kubeconfig\n" {
		t.Errorf("the existing kubeconfig was changed to %q", b)
	}
}
