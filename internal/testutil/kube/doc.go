// Package kube gives tests a real Kubernetes API server: kube-apiserver
// (built from internal/testutil/kubeapiserver) over etcd, both on
// 127.0.0.1, with RBAC authorization, an admin token and a kubeconfig file,
// plus the Keycloak Operator's CustomResourceDefinition so the server
// validates the Keycloak resources kcstack applies.
//
// The kube-apiserver binary is $KCSTACK_KUBE_APISERVER, else
// $XDG_CACHE_HOME/kcstack/kube-apiserver/kube-apiserver (~/.cache/... by
// default), where internal/testutil/kubeapiserver/build.sh and .ci/run
// build it; etcd is found on PATH (Debian's etcd-server package). Without
// them a test is skipped, except under CI (CI set), where it fails.
// Kubectl gives the kubectl build.sh builds beside kube-apiserver, for
// checks that read the server as a user would.
package kube
