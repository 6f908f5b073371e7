package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/kcstack/kcstack/internal/testutil/examples"
	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/internal/testutil/moto"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/fixture"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// kcstackBin is the kcstack binary built for this test run.
var kcstackBin string

func TestMain(m *testing.M) {
	defaultParallel()
	dir, err := os.MkdirTemp("", "kcstack-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	kcstackBin = filepath.Join(dir, "kcstack")
	_, file, _, _ := runtime.Caller(0)
	build := exec.Command("go", "build", "-race", "-o", kcstackBin, "./cmd/kcstack")
	build.Dir = filepath.Join(filepath.Dir(file), "..")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build kcstack: %v\n%s", err, out)
		os.Exit(1)
	}
	code := kubetest.Run(m) // stops the API server tests shared (kubetest.Shared)
	if err := moto.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is an AWS endpoint the kcstack binary and the aws CLI talk to.
type env struct {
	URL string
	// Dir is the working directory of commands (stack files go here).
	Dir string
	cfg aws.Config
}

// newSandbox starts a sandbox with opts and returns its environment. Its
// ACM holds the two certificates the tests name, issued (the examples'
// and the one of the listener edit).
func newSandbox(t testing.TB, opts ...sandbox.Option) (*env, *sandbox.Server) {
	t.Helper()
	certs := []sandbox.Option{sandbox.WithCertificate(exampleCertificate, "auth.example.com"), sandbox.WithCertificate(otherCertificate, "auth.example.com")}
	srv := sandboxtest.New(t, append(certs, opts...)...)
	return &env{URL: srv.URL(), Dir: t.TempDir(), cfg: sandboxtest.AWSConfig(t, srv)}, srv
}

// environ is the environment of a command: only the sandbox, never a real
// account or the user's AWS configuration. AWS_PROFILE is left unset, not
// empty: the aws CLI looks for a profile named "" when it is empty.
func (e *env) environ() []string {
	return append(withoutAWS(os.Environ()),
		"AWS_ENDPOINT_URL="+e.URL, "AWS_ACCESS_KEY_ID=AKIDE2ETEST", "AWS_SECRET_ACCESS_KEY=e2e-secret",
		"AWS_REGION="+sandboxtest.Region, "AWS_DEFAULT_REGION="+sandboxtest.Region,
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=", "NO_COLOR=1",
	)
}

// withoutAWS returns environ without its AWS_ variables.
func withoutAWS(environ []string) []string {
	var out []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "AWS_") {
			out = append(out, kv)
		}
	}
	return out
}

// result is a finished command.
type result struct {
	Code           int
	Stdout, Stderr string
}

// kcstack runs the kcstack binary with args in e.Dir.
func (e *env) kcstack(t *testing.T, args ...string) result {
	t.Helper()
	return e.run(t, kcstackBin, args...)
}

// aws runs the aws CLI against the endpoint; the test is skipped when the
// aws CLI is not installed (CI installs it).
func (e *env) aws(t *testing.T, args ...string) result {
	t.Helper()
	path, err := awsCLI()
	if err != nil {
		t.Skip("aws CLI not installed (apt-get install awscli)")
	}
	return e.run(t, path, append([]string{"--endpoint-url", e.URL, "--output", "json"}, args...)...)
}

// run runs bin with args in e.Dir with the sandbox's environment.
func (e *env) run(t *testing.T, bin string, args ...string) result {
	t.Helper()
	return execute(t, invocation{bin: bin, args: args, dir: e.Dir, environ: e.environ(), timeout: 3 * time.Minute})
}

// invocation is one run of a program: what runs, where, with which
// environment and standard input (nil for none), and for how long at most.
type invocation struct {
	bin     string
	args    []string
	dir     string
	environ []string
	stdin   io.Reader
	timeout time.Duration
}

// execute runs inv and returns its output and exit code (a run killed at
// the timeout exits -1); it fails t when the program cannot be run.
func execute(t *testing.T, inv invocation) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), inv.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, inv.bin, inv.args...)
	cmd.Dir, cmd.Env, cmd.Stdin = inv.dir, inv.environ, inv.stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.Code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run %s %s: %v", filepath.Base(inv.bin), strings.Join(inv.args, " "), err)
	}
	return res
}

// ec2 returns an SDK EC2 client for the endpoint.
func (e *env) ec2() *ec2.Client { return ec2.NewFromConfig(e.cfg) }

// rosaNetworks creates the networks of the two ROSA clusters of
// examples/aurora-rosa.yaml, as their installer would have.
func (e *env) rosaNetworks(t *testing.T) {
	t.Helper()
	for cluster, cidr := range map[string]string{"gh-keycloak-a": "10.0.0.0/16", "gh-keycloak-b": "10.1.0.0/16"} {
		if _, err := fixture.EnsureROSANetwork(context.Background(), e.ec2(), cluster, cidr); err != nil {
			t.Fatalf("create the network of %s: %v", cluster, err)
		}
	}
}

// rosaStack returns a sandbox made with opts that holds the ROSA networks,
// its server, and the aurora-rosa example, unprotected, written for it.
func rosaStack(t *testing.T, opts ...sandbox.Option) (*env, *sandbox.Server, string) {
	t.Helper()
	e, srv := newSandbox(t, opts...)
	e.rosaNetworks(t)
	return e, srv, e.stackFile(t, "aurora-rosa.yaml", unprotected...)
}

// rosaStackBehindProxy is rosaStack with long RDS waits, whose commands
// reach the sandbox through a proxy that can hold a call in flight.
func rosaStackBehindProxy(t *testing.T) (*env, *holdingProxy, string) {
	t.Helper()
	e, srv, file := rosaStack(t, sandbox.WithDelays(longWait, 50*time.Millisecond))
	proxy := newHoldingProxy(t, srv)
	e.URL = proxy.URL
	return e, proxy, file
}

// stackFile writes an example, edited by the replacements old → new, to
// e.Dir and returns its path.
func (e *env) stackFile(t *testing.T, example string, replace ...string) string {
	t.Helper()
	s := examples.Text(t, example, replace...)
	path := filepath.Join(e.Dir, fmt.Sprintf("stack-%d.yaml", time.Now().UnixNano()))
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// unprotected is the edit that lets tests destroy the example's database
// without a final snapshot.
var unprotected = []string{"      vpc: {cidr: 192.168.0.0/24}\n", "      vpc: {cidr: 192.168.0.0/24}\n      deletionProtection: false\n      skipFinalSnapshot: true\n"}
