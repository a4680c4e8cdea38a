#!/usr/bin/env bash
# The demo: a simulated GPU cluster on this machine (real kube-apiserver, etcd, controller-manager, scheduler and
# kwok GPU nodes; no Docker, no GPU), the Helm chart installed, the example composition applied, and the router
# answering OpenAI requests. Prints routing decisions for sample questions; Ctrl-C tears everything down.
#   ./hack/demo.sh               the whole system on the simulated cluster
#   ./hack/demo.sh --standalone  just the router with stand-in experts, from YAML files (no cluster at all)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-cluster}"
export SWITCHBOARD_K8S_BIN="$(./hack/k8s-binaries.sh kube-apiserver etcd kube-controller-manager kube-scheduler kubectl kwok helm | tail -n 1)"

stamp=e2e/target/demo-built
if [ ! -f "$stamp" ] || [ ! -f router-service/target/quarkus-app/quarkus-run.jar ] \
   || [ ! -f operator/target/quarkus-app/quarkus-run.jar ] \
   || [ -n "$(find pom.xml */pom.xml */src helm -newer "$stamp" -type f 2>/dev/null | head -1)" ]; then
  echo "Building (mvn package, tests skipped)..."
  mvn -B -q -ntp package -DskipTests
  touch "$stamp"
fi

if [ "$mode" = "--standalone" ]; then
  exec java -Dswitchboard.projectRoot="$PWD" -cp "$(./hack/e2e-classpath.sh)" dev.switchboard.e2e.StandaloneDemo
fi
exec java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dswitchboard.projectRoot="$PWD" -cp "$(./hack/e2e-classpath.sh)" dev.switchboard.e2e.Demo
