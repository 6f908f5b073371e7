// Command kube-apiserver is the Kubernetes API server of k8s.io/kubernetes,
// built from the Go module proxy for kcstack's tests: the test helper in
// internal/testutil/kube starts it with etcd on 127.0.0.1. It lives in its
// own module so the product's go.mod never requires k8s.io/kubernetes.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
