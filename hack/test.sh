#!/usr/bin/env bash
# The README's test command: builds everything and runs every test tier (unit, real kube-apiserver + etcd,
# packaging with helm/kustomize/promtool, end-to-end on the simulated GPU cluster). Works on a fresh machine with
# the README's prerequisites: the Kubernetes binaries are downloaded or built once into ~/.cache/switchboard, and
# promtool and glua are provided there too (hack/ensure-tools.sh); nothing is installed or started on the host.
# Extra arguments go to Maven (e.g. -Dmaven.repo.local=DIR, -pl MODULE -am). The full output is also kept in
# target/test.log; a failed run ends with one line naming what failed.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib.sh

require_java
require_maven
require_commands python3 openssl curl tar
require_disk "$HOME" 4
require_disk "$PWD" 2

PATH="$(./hack/ensure-tools.sh | tail -n 1):$PATH"
export PATH
SWITCHBOARD_K8S_BIN="$(./hack/k8s-binaries.sh kube-apiserver etcd kube-controller-manager kube-scheduler kubectl kwok helm | tail -n 1)"
export SWITCHBOARD_K8S_BIN
echo "Kubernetes binaries: $SWITCHBOARD_K8S_BIN"

mkdir -p target
log="$PWD/target/test.log"
set +e
mvn -B -ntp verify "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  # the failing tests (surefire's "<<< FAILURE!/ERROR! -- in Class" lines), else the failed goal's project
  tests=$(sed -n 's/.*<<< \(FAILURE\|ERROR\)! -- in \([A-Za-z0-9_.$]*\).*/\2/p' "$log" | sed 's/.*\.//' | sort -u | paste -sd, -)
  project=$(sed -n 's/.*Failed to execute goal .* on project \([A-Za-z0-9_.-]*\).*/\1/p' "$log" | head -1)
  fail "tests failed${project:+ in $project}${tests:+: $tests}" "$log"
fi

# The operator and router images (hack/build-images.sh), built from a base image made of this JDK and checked: config,
# layers, and the router image run with a read-only root (about a minute). SWITCHBOARD_IMAGE_TEST=0 skips it.
if [ "${SWITCHBOARD_IMAGE_TEST:-1}" != 0 ]; then
  set +e
  ./hack/test-images.sh 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" -eq 0 ] || fail "the image check failed (hack/test-images.sh)" "$log"
fi
