#!/usr/bin/env bash
# Builds everything and runs every test tier: unit tests, tests against a real kube-apiserver + etcd, packaging
# tests (helm, kustomize, promtool). Works on a fresh machine: it builds the Kubernetes binaries from the Go
# module proxy on first use (cached in ~/.cache/switchboard) and installs promtool from Debian if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

./hack/ensure-tools.sh
export SWITCHBOARD_K8S_BIN="$(./hack/k8s-binaries.sh kube-apiserver etcd kube-controller-manager kube-scheduler kubectl kwok helm | tail -n 1)"
echo "Kubernetes binaries: $SWITCHBOARD_K8S_BIN"

mvn -B -ntp verify "$@"

# The operator and router images (hack/build-images.sh), built from a base image made of this JDK and checked: config,
# layers, and the router image run with a read-only root (about a minute). SWITCHBOARD_IMAGE_TEST=0 skips it.
if [ "${SWITCHBOARD_IMAGE_TEST:-1}" != 0 ]; then
  ./hack/test-images.sh
fi
