#!/usr/bin/env bash
# Decision-latency benchmark of the routing engine (see DecisionLatencyBenchmark).
# Usage: hack/bench-decisions.sh [N decisions per strategy]; ONE_CORE=1 pins the JVM to CPU 0.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl router-engine -am install -DskipTests
mvn -B -q -o -pl router-engine test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
cp="router-engine/target/test-classes:router-engine/target/classes:$(cat router-engine/target/bench.classpath)"
pin=()
if [[ "${ONE_CORE:-}" == "1" ]] && command -v taskset >/dev/null; then
  pin=(taskset -c 0)
fi
exec "${pin[@]}" java -cp "$cp" dev.switchboard.engine.bench.DecisionLatencyBenchmark "${1:-2000}" deploy/examples
