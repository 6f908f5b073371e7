package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/model"
	"github.com/kcstack/kcstack/pkg/sandbox/statelock"
)

// Server is a running sandbox.
type Server struct {
	cfg    config
	ln     net.Listener
	http   *http.Server
	closed chan struct{}

	bySigningName map[string]*service
	byTarget      map[string]*service

	mu     sync.Mutex // serializes operations and guards states
	states map[string]any

	faults *faultInjector
	calls  *callCounter
}

// service is an emulated service bound to its model.
type service struct {
	api.Service
	model *model.Model
	ops   map[string]reflect.Value
	// signing is the SigV4 signing name requests name the service by.
	signing string
}

// Start listens and serves a sandbox until Close.
func Start(opts ...Option) (*Server, error) {
	s, err := New(opts...)
	if err != nil {
		return nil, err
	}
	if err := checkListen(s.cfg.listen, s.cfg.allowRemote); err != nil {
		_ = s.cfg.stateLock.Release()
		return nil, err
	}
	ln, err := net.Listen("tcp", s.cfg.listen)
	if err != nil {
		_ = s.cfg.stateLock.Release()
		return nil, fmt.Errorf("listen on %s: %w", s.cfg.listen, err)
	}
	s.ln = ln
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.closed)
		_ = s.http.Serve(ln)
	}()
	return s, nil
}

// New builds a sandbox without listening; use it as an http.Handler.
func New(opts ...Option) (*Server, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if err := lockState(&cfg); err != nil {
		return nil, err
	}
	s, err := newServer(cfg)
	if err != nil {
		_ = cfg.stateLock.Release()
		return nil, err
	}
	return s, nil
}

// lockState takes the state file's lock unless the options gave it,
// refusing at once when another server holds it.
func lockState(cfg *config) error {
	switch {
	case cfg.stateFile == "" && cfg.stateLock != nil:
		_ = cfg.stateLock.Release()
		return fmt.Errorf("sandbox: a state lock (of %s) without a state file", cfg.stateLock.State())
	case cfg.stateFile == "":
		return nil
	case cfg.stateLock == nil:
		l, err := statelock.Acquire(context.Background(), cfg.stateFile, statelock.Options{})
		cfg.stateLock = l
		return err
	case filepath.Clean(cfg.stateLock.State()) != filepath.Clean(cfg.stateFile):
		_ = cfg.stateLock.Release()
		return fmt.Errorf("sandbox: the state lock is of %s, not of the state file %s", cfg.stateLock.State(), cfg.stateFile)
	}
	return nil
}

func newServer(cfg config) (*Server, error) {
	if !cfg.servicesSet {
		cfg.services = All()
	}
	cfg.settings.TaskFailureRate, cfg.settings.Seed = cfg.faults.TaskFailureRate, cfg.faults.Seed
	s := &Server{
		cfg:           cfg,
		closed:        make(chan struct{}),
		bySigningName: map[string]*service{},
		byTarget:      map[string]*service{},
		states:        map[string]any{},
		faults:        newFaultInjector(cfg.faults, cfg.lost),
		calls:         newCallCounter(),
	}
	for _, svc := range cfg.services {
		if err := s.register(svc); err != nil {
			return nil, err
		}
	}
	if cfg.stateFile != "" {
		if err := s.load(); err != nil {
			return nil, err
		}
	}
	if err := s.seedCertificates(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Server) register(svc api.Service) error {
	m, err := model.Load(svc.Name)
	if err != nil {
		return err
	}
	b := &service{Service: svc, model: m, ops: map[string]reflect.Value{}}
	for name, op := range svc.Ops {
		if _, ok := m.Operations[name]; !ok {
			return fmt.Errorf("service %s: operation %s is not in the API model", svc.Name, name)
		}
		if err := api.ValidateFn(op.Fn); err != nil {
			return fmt.Errorf("service %s operation %s: %w", svc.Name, name, err)
		}
		b.ops[name] = reflect.ValueOf(op.Fn)
	}
	signing := m.Metadata.SigningName
	if signing == "" {
		signing = m.Metadata.EndpointPrefix
	}
	b.signing = signing
	s.bySigningName[signing] = b
	if m.Metadata.TargetPrefix != "" {
		s.byTarget[m.Metadata.TargetPrefix] = b
	}
	s.states[svc.Name] = svc.NewState()
	return nil
}

// URL is the endpoint to give clients (http://127.0.0.1:port).
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close stops the server, waits for in-flight calls, and saves the state.
func (s *Server) Close() error {
	var err error
	if s.http != nil {
		// Calls take milliseconds; connections a client opened but never
		// used would hold Shutdown for seconds, so close them after a short
		// grace period.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if s.http.Shutdown(ctx) != nil {
			_ = s.http.Close()
		}
		<-s.closed
	}
	if s.cfg.stateFile != "" {
		s.mu.Lock()
		err = errors.Join(err, s.save())
		s.mu.Unlock()
	}
	return errors.Join(err, s.cfg.stateLock.Release())
}

// State returns a service's state; it implements api.World. Callers outside
// an operation must hold no reference beyond the call (see Inspect).
func (s *Server) State(name string) any { return s.states[name] }

// Services lists the names of the emulated services; it implements api.World.
func (s *Server) Services() []string {
	names := make([]string, 0, len(s.states))
	for n := range s.states {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Settings returns the behaviour settings; it implements api.World.
func (s *Server) Settings() api.Settings { return s.cfg.settings }

// Inspect runs fn with the state of the named service while no operation
// runs, for tests and fixtures that look inside.
func (s *Server) Inspect(name string, fn func(state any)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.states[name])
}

// Calls returns the number of calls received per service and operation.
func (s *Server) Calls() map[string]map[string]int { return s.calls.snapshot() }

// ResetCalls sets every call count back to zero.
func (s *Server) ResetCalls() { s.calls.reset() }

// AnswersToLose returns the answers WithLostAnswers named that are not lost
// yet, by the names it was given; a name whose answers are all lost is
// left out.
func (s *Server) AnswersToLose() map[string]int { return s.faults.left() }
