package moto

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kcstack/kcstack/internal/testutil/proc"
)

// EnvURL names the environment variable that points tests at a running
// moto server (CI's .ci/run sets it).
const EnvURL = "KCSTACK_MOTO_URL"

// serverEnv is what a moto server needs in its environment for kcstack's
// tests: AWS managed policies (arn:aws:iam::aws:policy/...) exist only when
// moto loads them, and an ECS target attaches
// service-role/AmazonECSTaskExecutionRolePolicy to its execution role; a
// requested ACM certificate is issued at once rather than a minute later,
// and plan checks that an ECS target's certificate is issued.
// .ci/run sets the same for the server it starts.
var serverEnv = []string{"MOTO_IAM_LOAD_MANAGED_POLICIES=true", "MOTO_ACM_VALIDATION_WAIT=0"}

// startTimeout bounds how long a moto server started here may take to answer.
const startTimeout = 60 * time.Second

var (
	once     sync.Once
	mu       sync.Mutex
	started  *proc.Process // the moto server this process started, nil if none
	url      string
	startErr error
)

// URL returns the base URL of a moto server: $KCSTACK_MOTO_URL when set;
// otherwise one started on a free 127.0.0.1 port the first time a test of
// this process asks (stop it with Stop, for example through Run in
// TestMain); otherwise, when moto_server is not on PATH, it skips the test.
// A moto server may be shared by every test package running at the same
// time: scope what a test reads to the resources it created.
func URL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv(EnvURL); u != "" {
		return strings.TrimRight(u, "/")
	}
	path, err := exec.LookPath("moto_server")
	if err != nil {
		t.Skipf("no moto server: %s is not set and moto_server is not on PATH (pip install 'moto[server]' or run .ci/run)", EnvURL)
	}
	once.Do(func() { url, startErr = start(path) })
	if startErr != nil {
		t.Fatalf("start moto server: %v", startErr)
	}
	return url
}

// Private returns a moto server of this test process's own — started on
// first use, as URL does without KCSTACK_MOTO_URL — for tests that Reset
// it: emptying a server that other test packages share would pull their
// resources from under them. Without moto_server on PATH it falls back to
// URL.
func Private(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("moto_server")
	if err != nil {
		return URL(t)
	}
	once.Do(func() { url, startErr = start(path) })
	if startErr != nil {
		t.Fatalf("start moto server: %v", startErr)
	}
	return url
}

// Own returns a moto server for the test alone, started on a free
// 127.0.0.1 port and stopped when the test ends, so that tests which would
// Reset a shared one run in parallel, each on an empty server. Without
// moto_server on PATH it falls back to URL's server (skipping the test when
// there is none) and holds a lock of this process until the test ends:
// those tests then run one at a time, and each Resets the server first.
func Own(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("moto_server")
	if err != nil {
		u := URL(t)
		ownMu.Lock()
		t.Cleanup(ownMu.Unlock)
		Reset(t, u)
		return u
	}
	p, base, err := launch(path)
	if err != nil {
		t.Fatalf("start moto server: %v", err)
	}
	t.Cleanup(func() { stopOwn(t, p) })
	return base
}

// stopOwn stops the server Own started for t; a failure fails t.
func stopOwn(t testing.TB, p *proc.Process) {
	if err := p.Stop(); err != nil {
		t.Errorf("stop moto server: %v", err)
	}
}

// ownMu serializes the tests that Own falls back to URL's server for.
var ownMu sync.Mutex

// Reset empties the moto server at baseURL (POST /moto-api/reset), so a
// test starts from nothing. It empties it for every client: use it only
// when no other test package shares the server at the same time.
func Reset(t testing.TB, baseURL string) {
	t.Helper()
	resp, err := http.Post(baseURL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("reset moto at %s: %v", baseURL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset moto at %s: HTTP %s", baseURL, resp.Status)
	}
}

// Run runs the tests and then stops the moto server they started, if any;
// use it as `func TestMain(m *testing.M) { os.Exit(moto.Run(m)) }`.
func Run(m interface{ Run() int }) int {
	code := m.Run()
	if err := Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "stop moto server: %v\n", err)
	}
	return code
}

// Stop kills the moto server this process started (by its process id and
// process group), and does nothing when none was started. A server named
// by KCSTACK_MOTO_URL is never touched.
func Stop() error {
	mu.Lock()
	defer mu.Unlock()
	if started == nil {
		return nil
	}
	p := started
	started = nil
	return p.Stop()
}

// start runs the server of this process (launch) and keeps it for Stop.
func start(path string) (string, error) {
	p, base, err := launch(path)
	if err != nil {
		return "", err
	}
	mu.Lock()
	started = p
	mu.Unlock()
	return base, nil
}

// launch runs moto_server on a free port and waits until it answers; it
// returns the process and the server's base URL.
func launch(path string) (*proc.Process, string, error) {
	port, err := proc.FreePort()
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(path, "-H", "127.0.0.1", "-p", port)
	cmd.Env = append(os.Environ(), serverEnv...)
	p, err := proc.Start(cmd, "", "kcstack-moto-*.log")
	if err != nil {
		return nil, "", err
	}
	base := "http://127.0.0.1:" + port
	if err := p.WaitReady(startTimeout, dashboardAnswers(base)); err != nil {
		_ = p.Stop()
		return nil, "", fmt.Errorf("%w (log: %s)", err, p.Log)
	}
	return p, base, nil
}

// dashboardAnswers checks that moto's dashboard API answers at all.
func dashboardAnswers(base string) func(context.Context) error {
	client := &http.Client{Timeout: 2 * time.Second}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/moto-api/", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		return nil
	}
}

// Stack returns a stack name of its own for a test on a moto server that
// other tests and packages share: "kcm-" and eight random hex digits.
func Stack() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "kcm-" + hex.EncodeToString(b)
}
