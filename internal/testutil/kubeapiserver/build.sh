#!/usr/bin/env bash
# Builds, from this module (k8s.io/kubernetes at the version go.mod
# requires), the kube-apiserver kcstack's tests run and the kubectl their
# checks call (go.mod's tool k8s.io/kubernetes/cmd/kubectl), and prints the
# kube-apiserver's path. kube-apiserver goes to $KCSTACK_KUBE_APISERVER or
# else ${XDG_CACHE_HOME:-~/.cache}/kcstack/kube-apiserver/kube-apiserver,
# kubectl beside it, where internal/testutil/kube looks for both. The first
# build takes about 10 minutes on two cores (kubectl a few more, sharing
# most packages); each binary is rebuilt only when the files it is built
# from changed (a hash kept beside it), so cached runs cost nothing.
set -euo pipefail
cd "$(dirname "$0")"

out="${KCSTACK_KUBE_APISERVER:-${XDG_CACHE_HOME:-$HOME/.cache}/kcstack/kube-apiserver/kube-apiserver}"
kubectl="$(dirname "$out")/kubectl"

# current BINARY WANT reports whether BINARY was built from the inputs
# whose hash is WANT.
current() { [ -x "$1" ] && [ "$(cat "$1.sha256" 2>/dev/null)" = "$2" ]; }

want_apiserver="$(cat go.mod go.sum main.go | sha256sum | cut -d' ' -f1)"
want_kubectl="$(cat go.mod go.sum | sha256sum | cut -d' ' -f1)"
if current "$out" "$want_apiserver" && current "$kubectl" "$want_kubectl"; then
  echo "$out"
  exit 0
fi

# The binaries report the release they were built from, as a release
# build does.
version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
major="${version#v}"; major="${major%%.*}"
minor="${version#v*.}"; minor="${minor%%.*}"
pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"

# build NAME PACKAGE BINARY WANT builds PACKAGE into BINARY, stamped WANT.
build() {
  if current "$3" "$4"; then
    return
  fi
  mkdir -p "$(dirname "$3")"
  local start
  start=$(date +%s)
  echo "building $1 $version into $3 (minutes the first time)" >&2
  nice -n 10 go build -ldflags "$ldflags" -o "$3.tmp" "$2"
  mv "$3.tmp" "$3"
  echo "$4" >"$3.sha256"
  echo "built $1 in $(($(date +%s) - start))s" >&2
}

build kube-apiserver . "$out" "$want_apiserver"
build kubectl k8s.io/kubernetes/cmd/kubectl "$kubectl" "$want_kubectl"
echo "$out"
