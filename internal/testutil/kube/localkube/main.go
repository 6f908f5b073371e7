// Command localkube runs, for trying ROSA stacks on one machine, the
// Kubernetes API server kcstack's tests use: kube-apiserver (built by
// internal/testutil/kubeapiserver/build.sh) over etcd (Debian's
// etcd-server), both on 127.0.0.1, with the Keycloak Operator's CRD
// installed. It writes a kubeconfig with one admin context per --context,
// all reaching that one server, prints what to run, and serves until
// Ctrl-C or SIGTERM, then stops both processes and removes their
// directory and the kubeconfig. No pod ever runs: there is no scheduler,
// kubelet or operator, only the API.
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
	fl.Var(&names, "context", "a context name for the kubeconfig, repeatable (default kcstack-local); kcstack looks for rosa.kubeContext, by default the ROSA cluster's name")
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
	srv, err := kube.StartServer()
	if err != nil {
		return fmt.Errorf("start the Kubernetes API server: %w", err)
	}
	defer os.Remove(*kubeconfig)
	serveErr := serve(ctx, srv, *kubeconfig, names, stdout)
	fmt.Fprintln(stdout, "Stopping the Kubernetes API server and etcd.")
	return errors.Join(serveErr, srv.Stop())
}

// serve installs the CRD, writes the kubeconfig, prints what to run and
// waits until ctx ends or the server exits on its own.
func serve(ctx context.Context, srv *kube.Server, kubeconfig string, names []string, stdout io.Writer) error {
	crdCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := kube.InstallKeycloakCRD(crdCtx, srv.Config()); err != nil {
		return err
	}
	if err := srv.WriteKubeconfig(kubeconfig, names...); err != nil {
		return err
	}
	fmt.Fprintf(stdout, `Kubernetes API server %s ready (data and logs in %s).
Kubeconfig %s, contexts: %s.
Try:
  kubectl --kubeconfig %s get keycloak -A
  go run ./cmd/kcstack --sandbox apply -f examples/rosa-kube-ping.yaml --kubeconfig %s --auto-approve
Press Ctrl-C to stop it.
`, srv.Host, srv.Dir(), kubeconfig, strings.Join(names, ", "), kubeconfig, kubeconfig)
	select {
	case <-ctx.Done():
		return nil
	case <-srv.Done():
		return errors.New("kube-apiserver or etcd exited on its own")
	}
}
