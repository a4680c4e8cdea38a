#!/usr/bin/env bash
# The router under hostile load (router-service/.../bench/GatewayBenchmark.java): heap under a flood of distinct
# 1 MB prompts ("flood"), shedding at twice switchboard.overload.max-in-flight ("shed").
# Usage: hack/bench-gateway.sh flood|shed [JAR [legacy]]   (legacy: a router jar built before the gateway settings)
# Loopback only; every loop bounded in count and time. Builds the router (package, no install) unless JAR is given.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl router-service -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
cp="router-service/target/test-classes:router-service/target/classes:$(cat router-service/target/bench.classpath)"
exec java -cp "$cp" dev.switchboard.router.bench.GatewayBenchmark \
    "${2:-router-service/target/quarkus-app/quarkus-run.jar}" "${1:-flood}" ${3:-}
