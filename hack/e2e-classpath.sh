#!/usr/bin/env bash
# Prints the runtime classpath of the e2e module (demo, system benchmarks) with this checkout's own modules taken
# from their target/classes, never from ~/.m2 (a SNAPSHOT there may come from another checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl e2e -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
declare -A modules=([switchboard-crds]=crds [switchboard-test-support]=test-support
  [switchboard-router-engine]=router-engine [switchboard-router]=router-service [switchboard-operator]=operator)
out="$PWD/e2e/target/classes"
IFS=':' read -ra entries < e2e/target/classpath.txt || true # the file has no trailing newline
for entry in "${entries[@]}"; do
  name=$(basename "$entry")
  for artifact in "${!modules[@]}"; do
    if [[ "$name" == "$artifact-0."*.jar ]]; then entry="$PWD/${modules[$artifact]}/target/classes"; break; fi
  done
  out="$out:$entry"
done
echo "$out"
