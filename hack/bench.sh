#!/usr/bin/env bash
# System benchmarks (each prints its figures; results go to docs/benchmarks.md):
#   hack/bench.sh convergence [10,100,1000] [samples]   ExpertModel Ready/deleted -> router table, packaged router
#   hack/bench.sh operator [1000]                        operator reconcile throughput and memory, packaged operator
# Needs `mvn -B package -DskipTests` first (the packaged Quarkus apps).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:?usage: hack/bench.sh convergence|operator [args]}"; shift
export SWITCHBOARD_K8S_BIN="$(./hack/k8s-binaries.sh kube-apiserver etcd | tail -n 1)"
case "$what" in
  convergence) main=dev.switchboard.e2e.bench.ConvergenceBenchmark ;;
  operator) main=dev.switchboard.e2e.bench.OperatorScaleBenchmark ;;
  *) echo "unknown benchmark $what" >&2; exit 2 ;;
esac
exec java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dswitchboard.projectRoot="$PWD" -cp "$(./hack/e2e-classpath.sh)" "$main" "$@"
