// Command localkube runs, for trying ROSA stacks on one machine, the
// Kubernetes API servers kcstack's tests use: one per --context, as each
// ROSA cluster is its own, each kube-apiserver (built by
// internal/testutil/kubeapiserver/build.sh) over its own etcd (Debian's
// etcd-server), all on 127.0.0.1, with the Keycloak Operator's CRD
// installed. It writes a kubeconfig with an admin context per server,
// prints what to run, and serves until Ctrl-C or SIGTERM, then stops every
// process and removes their directories and the kubeconfig. No pod ever
// runs: there is no scheduler, kubelet or operator, only the API.
//
//	go run ./internal/testutil/kube/localkube --kubeconfig /tmp/kcstack-kubeconfig \
//	    --context gh-keycloak-a --context gh-keycloak-b
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kcstack/kcstack/internal/testutil/kube"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "localkube: %v\n", err)
		stop()
		os.Exit(1)
	}
}

// contexts is the repeatable --context flag.
type contexts []string

func (c *contexts) String() string { return strings.Join(*c, ",") }

func (c *contexts) Set(v string) error {
	*c = append(*c, v)
	return nil
}

// run parses args, starts the server and serves until ctx ends or the
// server exits, then stops it.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("localkube", flag.ContinueOnError)
	kubeconfig := fl.String("kubeconfig", "", "write the kubeconfig here (a new file; removed on exit)")
	var names contexts
	fl.Var(&names, "context", "a context, with its own API server, repeatable (default kcstack-local); kcstack looks for rosa.kubeContext, by default the ROSA cluster's name")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *kubeconfig == "" {
		return errors.New("--kubeconfig FILE is required: the path of a new kubeconfig file to write")
	}
	if _, err := os.Stat(*kubeconfig); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--kubeconfig %s exists: localkube writes a new file and removes it on exit, so it never overwrites one; pass another path", *kubeconfig)
	}
	if len(names) == 0 {
		names = contexts{"kcstack-local"}
	}
	defer os.Remove(*kubeconfig)
	servers := map[string]*kube.Server{}
	serveErr := serve(ctx, servers, *kubeconfig, names, stdout)
	fmt.Fprintln(stdout, "Stopping the Kubernetes API servers and etcd.")
	errs := []error{serveErr}
	for _, srv := range servers {
		errs = append(errs, srv.Stop())
	}
	return errors.Join(errs...)
}

// serve starts a server per context into servers, writes the kubeconfig,
// prints what to run and waits until ctx ends or a server exits on its
// own. The caller stops the servers, those started before an error too.
func serve(ctx context.Context, servers map[string]*kube.Server, kubeconfig string, names []string, stdout io.Writer) error {
	done := make(chan struct{}, len(names))
	for _, name := range names {
		if servers[name] != nil {
			continue
		}
		srv, err := startCluster(ctx)
		if err != nil {
			return fmt.Errorf("context %s: %w", name, err)
		}
		servers[name] = srv
		go func() { <-srv.Done(); done <- struct{}{} }()
		fmt.Fprintf(stdout, "Context %s: Kubernetes API server %s ready (data and logs in %s).\n", name, srv.Host, srv.Dir())
	}
	if err := kube.WriteKubeconfig(kubeconfig, names, servers); err != nil {
		return err
	}
	fmt.Fprintf(stdout, `Kubeconfig %s written. Try:
  kubectl --kubeconfig %s --context %s get keycloak -A
Press Ctrl-C to stop.
`, kubeconfig, kubeconfig, names[0])
	select {
	case <-ctx.Done():
		return nil
	case <-done:
		return errors.New("a kube-apiserver or etcd exited on its own")
	}
}

// startCluster starts a server and installs the Keycloak CRD on it; it
// stops the server again when that fails.
func startCluster(ctx context.Context) (*kube.Server, error) {
	srv, err := kube.StartServer()
	if err != nil {
		return nil, fmt.Errorf("start a Kubernetes API server: %w", err)
	}
	crdCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := kube.InstallKeycloakCRD(crdCtx, srv.Config()); err != nil {
		return nil, errors.Join(err, srv.Stop())
	}
	return srv, nil
}
