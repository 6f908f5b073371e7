#!/usr/bin/env bash
# Builds the kube-apiserver of this module (k8s.io/kubernetes at the version
# go.mod requires) for kcstack's tests, into $KCSTACK_KUBE_APISERVER or else
# ${XDG_CACHE_HOME:-~/.cache}/kcstack/kube-apiserver/kube-apiserver, where
# internal/testutil/kube looks for it, and prints that path. The build takes
# about 10 minutes on two cores the first time; it is skipped when the
# binary there was built from the same go.mod, go.sum and main.go (a hash
# kept beside it), so cached runs cost nothing.
set -euo pipefail
cd "$(dirname "$0")"

out="${KCSTACK_KUBE_APISERVER:-${XDG_CACHE_HOME:-$HOME/.cache}/kcstack/kube-apiserver/kube-apiserver}"
stamp="$out.sha256"
want="$(cat go.mod go.sum main.go | sha256sum | cut -d' ' -f1)"
if [ -x "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "$out"
  exit 0
fi

# The server reports the release it was built from, as a release build does.
version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
major="${version#v}"; major="${major%%.*}"
minor="${version#v*.}"; minor="${minor%%.*}"
pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"

mkdir -p "$(dirname "$out")"
start=$(date +%s)
echo "building kube-apiserver $version into $out (about 10 minutes the first time)" >&2
nice -n 10 go build -ldflags "$ldflags" -o "$out.tmp" .
mv "$out.tmp" "$out"
echo "$want" >"$stamp"
echo "built kube-apiserver in $(($(date +%s) - start))s" >&2
echo "$out"
