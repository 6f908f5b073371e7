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

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
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

// readyLine is the line localkube prints for each context's server, with
// the server's directory.
var readyLine = regexp.MustCompile(`^Context (\S+): Kubernetes API server https://127\.0\.0\.1:\d+ ready \(data and logs in (.+)\)\.$`)

// TestLocalkube: localkube starts a server per context asked for, each
// with the Keycloak CRD served, and a kubeconfig reaching each through its
// context (a namespace made through one is not in the other); an interrupt
// stops them, exit 0, and leaves neither their directories, nor the
// kubeconfig, nor any process running from those directories.
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
	dirs := map[string]string{}
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "Press Ctrl-C") {
		if m := readyLine.FindStringSubmatch(lines.Text()); m != nil {
			dirs[m[1]] = m[2]
		}
	}
	if len(dirs) != 2 || dirs["gh-keycloak-a"] == dirs["gh-keycloak-b"] {
		t.Fatalf("localkube's servers by context: %v, want one for each of gh-keycloak-a and gh-keycloak-b; stderr:\n%s", dirs, stderr.String())
	}
	a, b := client(t, kubeconfig, "gh-keycloak-a"), client(t, kubeconfig, "gh-keycloak-b")
	for name, c := range map[string]dynamic.Interface{"gh-keycloak-a": a, "gh-keycloak-b": b} {
		if _, err := c.Resource(kube.KeycloakGVR).List(context.Background(), metav1.ListOptions{}); err != nil {
			t.Errorf("list Keycloak resources through context %s: %v", name, err)
		}
	}
	ns := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "only-on-a"}}}
	if _, err := a.Resource(namespaces).Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Resource(namespaces).Get(context.Background(), "only-on-a", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("namespace made through gh-keycloak-a, read through gh-keycloak-b: %v, want not found", err)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	stopping := false
	for lines.Scan() {
		stopping = stopping || strings.HasPrefix(lines.Text(), "Stopping the Kubernetes API servers")
	}
	if !stopping {
		t.Errorf("localkube did not say it stops the server after an interrupt")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("localkube after an interrupt: %v, want exit 0; stderr:\n%s", err, stderr.String())
	}
	for _, path := range []string{dirs["gh-keycloak-a"], dirs["gh-keycloak-b"], kubeconfig} {
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s after localkube stopped: %v, want it removed", path, err)
		}
	}
	for _, dir := range dirs {
		if left := processesUsing(t, dir); len(left) > 0 {
			for _, pid := range left {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			t.Errorf("processes %v still run from %s after localkube stopped", left, dir)
		}
	}
}

// namespaces is the resource of Namespaces.
var namespaces = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}

// client returns a client for context name of the kubeconfig.
func client(t *testing.T, kubeconfig, name string) dynamic.Interface {
	t.Helper()
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: kubeconfig}, &clientcmd.ConfigOverrides{CurrentContext: name}).ClientConfig()
	if err != nil {
		t.Fatalf("context %s of the kubeconfig: %v", name, err)
	}
	c, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
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
