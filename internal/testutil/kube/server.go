package kube

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/kcstack/kcstack/internal/testutil/proc"
)

// startTimeout bounds how long etcd and then kube-apiserver may take to be
// ready; kube-apiserver answers /readyz in about 20 seconds on idle cores.
const startTimeout = 3 * time.Minute

// ServiceClusterIPRange is the Service IP range the server allocates from;
// no traffic goes there.
const ServiceClusterIPRange = "10.96.0.0/16"

// Server is a running kube-apiserver over its own etcd, both on 127.0.0.1.
type Server struct {
	// Host is the server's URL, https://127.0.0.1:<port>.
	Host string
	// CAData is the PEM certificate that verifies the server.
	CAData []byte
	// Kubeconfig is the path of a kubeconfig file whose current context,
	// Context, reaches the server as an admin (group system:masters).
	Kubeconfig string
	// Context is the name of Kubeconfig's context.
	Context string
	// Ready is how long the server took from start to a ready /readyz.
	Ready time.Duration

	token     string
	dir       string
	etcd      *proc.Process
	apiserver *proc.Process
	stopOnce  sync.Once
	stopErr   error
}

// Context is the context name of the kubeconfig a Server writes.
const Context = "kcstack-test"

// Config returns a new client configuration for the server as an admin.
func (s *Server) Config() *rest.Config {
	return &rest.Config{
		Host:            s.Host,
		BearerToken:     s.token,
		TLSClientConfig: rest.TLSClientConfig{CAData: s.CAData},
		QPS:             100,
		Burst:           200,
	}
}

// Start starts a server for this test alone and stops it when the test
// ends. A server takes about 20 seconds to start: tests of one package
// should rather share one through Shared.
func Start(t testing.TB) *Server {
	t.Helper()
	apiserver, etcd := binaries(t)
	s, err := start("", apiserver, etcd)
	if err != nil {
		t.Fatalf("start a Kubernetes API server: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop the Kubernetes API server: %v", err)
		}
	})
	t.Logf("kube-apiserver %s ready in %s", s.Host, s.Ready.Round(time.Millisecond))
	return s
}

var (
	sharedOnce sync.Once
	sharedMu   sync.Mutex
	shared     *Server
	sharedErr  error
)

// Shared returns the server of this test process, started the first time
// a test asks; stop it with Run in TestMain:
// `func TestMain(m *testing.M) { os.Exit(kube.Run(m)) }`. Tests sharing it
// scope what they create, for example to a namespace of their own.
func Shared(t testing.TB) *Server {
	t.Helper()
	apiserver, etcd := binaries(t)
	sharedOnce.Do(func() {
		s, err := start("", apiserver, etcd)
		sharedMu.Lock()
		shared, sharedErr = s, err
		sharedMu.Unlock()
		if err == nil {
			t.Logf("kube-apiserver %s ready in %s", s.Host, s.Ready.Round(time.Millisecond))
		}
	})
	if sharedErr != nil {
		t.Fatalf("start a Kubernetes API server: %v", sharedErr)
	}
	return shared
}

// Run runs the tests and then stops the server Shared started, if any.
func Run(m interface{ Run() int }) int {
	code := m.Run()
	sharedMu.Lock()
	s := shared
	shared = nil
	sharedMu.Unlock()
	if s == nil {
		return code
	}
	if err := s.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "stop the Kubernetes API server: %v\n", err)
	}
	return code
}

// StartServer starts a server outside a test, for a command such as
// localkube: the binaries are those tests use, an error says how to get
// them when they are missing. The caller stops it with Stop.
func StartServer() (*Server, error) {
	apiserver, aerr := APIServerPath()
	etcd, eerr := exec.LookPath("etcd")
	if err := errors.Join(aerr, eerr); err != nil {
		return nil, fmt.Errorf("%w; %s", err, buildHint)
	}
	return start("", apiserver, etcd)
}

// Dir is the directory holding the server's data, credentials and logs;
// Stop removes it.
func (s *Server) Dir() string { return s.dir }

// Done is closed when etcd or kube-apiserver has exited, after Stop or
// on its own.
func (s *Server) Done() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-s.etcd.Exited():
		case <-s.apiserver.Exited():
		}
	}()
	return done
}

// Stop kills kube-apiserver and then etcd, by their process ids, and
// removes their data, credentials and logs. Calls after the first return
// the first one's result.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	var errs []error
	for _, p := range []*proc.Process{s.apiserver, s.etcd} {
		if p != nil {
			errs = append(errs, p.Stop())
		}
	}
	errs = append(errs, os.RemoveAll(s.dir))
	return errors.Join(errs...)
}

// start starts etcd and kube-apiserver with credentials in a new
// directory under parent (the default temporary directory when empty),
// and waits until the API server is ready.
func start(parent, apiserverPath, etcdPath string) (*Server, error) {
	dir, err := os.MkdirTemp(parent, "kcstack-kube-*")
	if err != nil {
		return nil, fmt.Errorf("create a directory for the server: %w", err)
	}
	s := &Server{dir: dir, Context: Context, Kubeconfig: filepath.Join(dir, "kubeconfig")}
	if err := s.run(apiserverPath, etcdPath); err != nil {
		return nil, errors.Join(err, s.Stop())
	}
	return s, nil
}

// run is start's work once the directory exists; start cleans up after it.
func (s *Server) run(apiserverPath, etcdPath string) error {
	began := time.Now()
	f, err := writeFiles(s.dir)
	if err != nil {
		return err
	}
	s.token, s.CAData = f.token, f.caPEM
	etcdURL, err := s.startEtcd(etcdPath)
	if err != nil {
		return err
	}
	if err := s.startAPIServer(apiserverPath, etcdURL, f); err != nil {
		return err
	}
	s.Ready = time.Since(began)
	return s.WriteKubeconfig(s.Kubeconfig, s.Context)
}

// startEtcd starts etcd on free 127.0.0.1 ports with its data in the
// server's directory, waits for /health, and returns its client URL.
func (s *Server) startEtcd(path string) (string, error) {
	client, err := proc.FreePort()
	if err != nil {
		return "", err
	}
	peer, err := proc.FreePort()
	if err != nil {
		return "", err
	}
	clientURL, peerURL := "http://127.0.0.1:"+client, "http://127.0.0.1:"+peer
	cmd := exec.Command(path,
		"--name=kcstack-test",
		"--data-dir="+filepath.Join(s.dir, "etcd"),
		"--listen-client-urls="+clientURL,
		"--advertise-client-urls="+clientURL,
		"--listen-peer-urls="+peerURL,
		"--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=kcstack-test="+peerURL,
	)
	if s.etcd, err = proc.Start(cmd, s.dir, "etcd-*.log"); err != nil {
		return "", err
	}
	if err := s.etcd.WaitReady(startTimeout, answers200(plainClient, clientURL+"/health", "")); err != nil {
		return "", fmt.Errorf("etcd: %w\netcd log (last lines):\n%s", err, s.etcd.Tail(30))
	}
	return clientURL, nil
}

// startAPIServer starts kube-apiserver on a free 127.0.0.1 port over the
// etcd at etcdURL and waits for /readyz.
func (s *Server) startAPIServer(path, etcdURL string, f files) error {
	port, err := proc.FreePort()
	if err != nil {
		return err
	}
	s.Host = "https://127.0.0.1:" + port
	cmd := exec.Command(path, apiServerArgs(port, etcdURL, s.dir, f)...)
	if s.apiserver, err = proc.Start(cmd, s.dir, "kube-apiserver-*.log"); err != nil {
		return err
	}
	client, err := tlsClient(f.caPEM)
	if err != nil {
		return err
	}
	if err := s.apiserver.WaitReady(startTimeout, answers200(client, s.Host+"/readyz", f.token)); err != nil {
		return fmt.Errorf("kube-apiserver: %w\nkube-apiserver log (last lines):\n%s\netcd log (last lines):\n%s",
			err, s.apiserver.Tail(40), s.etcd.Tail(10))
	}
	return nil
}

// apiServerArgs are kube-apiserver's flags: RBAC over a static admin
// token, service-account tokens signed with the generated key, the
// generated serving certificate, nothing listening beyond 127.0.0.1. The
// endpoint reconciler is off: it would publish 127.0.0.1 as the
// kubernetes Service's endpoint, which the API refuses.
func apiServerArgs(port, etcdURL, dir string, f files) []string {
	return []string{
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + port,
		"--etcd-servers=" + etcdURL,
		"--cert-dir=" + filepath.Join(dir, "certs"),
		"--tls-cert-file=" + f.servingCert,
		"--tls-private-key-file=" + f.servingKey,
		"--token-auth-file=" + f.tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + f.saPub,
		"--service-account-signing-key-file=" + f.saKey,
		"--service-cluster-ip-range=" + ServiceClusterIPRange,
		"--endpoint-reconciler-type=none",
		"--profiling=false",
	}
}
