#!/usr/bin/env bash
# Replica-picking benchmark (see router-service/.../bench/EndpointPickingBenchmark.java): prefix-cache hit rate, load
# imbalance and time to first token of round robin, least loaded and prefix affinity on a multi-turn workload against
# four stand-in replicas, and the cost of one pick at 4 and 100 replicas.
# Usage: hack/bench-picking.sh [conversations (200)] [turns (8)] [users at once (32)]. Loopback only; bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl router-service -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
cp="router-service/target/test-classes:router-service/target/classes"
for m in router-engine crds test-support; do
  cp="$cp:$m/target/classes"
done
cp="$cp:$(cat router-service/target/bench.classpath)"
exec java -Xmx2g -cp "$cp" dev.switchboard.router.bench.EndpointPickingBenchmark "${1:-200}" "${2:-8}" "${3:-32}"
