#!/usr/bin/env bash
# Proxy-overhead benchmark of the router (see router-service/.../bench/ProxyOverheadBenchmark.java):
# latency p50/p99 and throughput direct vs through the router at 1, 64 and 512 clients, and decision latency.
# Usage: hack/bench-router.sh [warmup seconds] [measure seconds]. Loopback only; bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl router-service -am install -DskipTests
mvn -B -q -o -pl router-service test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
cp="router-service/target/test-classes:router-service/target/classes:$(cat router-service/target/bench.classpath)"
exec java -cp "$cp" dev.switchboard.router.bench.ProxyOverheadBenchmark \
    router-service/target/quarkus-app/quarkus-run.jar "${1:-3}" "${2:-6}"
