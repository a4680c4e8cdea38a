#!/usr/bin/env bash
# Builds the e2e module and the modules it needs in one Maven reactor (tests skipped, nothing installed, so it
# works on a fresh clone and never picks up another checkout's SNAPSHOTs from ~/.m2) and prints the e2e runtime
# classpath (the demo and the system benchmarks run from it). Maven's output goes to $SWITCHBOARD_BUILD_LOG when set,
# else to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib.sh
log="${SWITCHBOARD_BUILD_LOG:-/dev/stderr}"
mvn -B -ntp -pl e2e -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt \
  >>"$log" 2>&1 || fail "build failed (mvn package -pl e2e -am)" "${SWITCHBOARD_BUILD_LOG:-}"
echo "$PWD/e2e/target/classes:$(cat e2e/target/classpath.txt)"
