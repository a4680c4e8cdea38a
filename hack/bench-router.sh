#!/usr/bin/env bash
# Proxy-overhead benchmark of the router (see router-service/.../bench/ProxyOverheadBenchmark.java):
# latency p50/p99 and throughput direct vs through the router at 1, 64 and 512 clients, and decision latency.
# Usage: hack/bench-router.sh [warmup s] [measure s] [keys|open|legacy] [JAR]
#   keys (default): the router requires API keys and enforces a tenant's limits (set high enough never to refuse);
#   open: no authentication, no limits; legacy: JAR is a router built before the gateway settings existed.
# Loopback only; bounded in time. Builds the router (package, no install) and runs the packaged jar unless JAR is given.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl router-service -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
cp="router-service/target/test-classes:router-service/target/classes:$(cat router-service/target/bench.classpath)"
exec java -cp "$cp" dev.switchboard.router.bench.ProxyOverheadBenchmark \
    "${4:-router-service/target/quarkus-app/quarkus-run.jar}" "${1:-3}" "${2:-6}" "${3:-keys}"
