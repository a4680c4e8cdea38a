#!/usr/bin/env bash
# The demo: a simulated GPU cluster on this machine (real kube-apiserver, etcd, controller-manager, scheduler and
# kwok GPU nodes; no Docker, no GPU), the Helm chart installed, the example composition applied, and the router
# answering OpenAI requests. Prints routing decisions for sample questions; Ctrl-C tears everything down.
#   ./hack/demo.sh               the whole system on the simulated cluster
#   ./hack/demo.sh --check       the same, exits once the decisions are printed (0 when every question was answered)
#   ./hack/demo.sh --standalone  just the router with stand-in experts, from YAML files (no cluster, no Kubernetes
#                                binaries); it listens on 127.0.0.1:${SWITCHBOARD_DEMO_PORT:-8080}
# Works on a fresh clone: it builds what it needs in one Maven reactor (nothing installed). Everything binds to
# loopback. Build and process output goes to target/demo.log; a failure ends with one line naming it.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib.sh

mode="${1:-cluster}"
case "$mode" in
  cluster|--check|--standalone) ;;
  *) echo "usage: $0 [--check|--standalone]" >&2; exit 2 ;;
esac
mkdir -p target
log="$PWD/target/demo.log"
: > "$log"

require_java
require_maven
require_disk "$PWD" 2

if [ "$mode" = "--standalone" ]; then
  port="${SWITCHBOARD_DEMO_PORT:-8080}"
  require_free_port "$port"
  # the router's management port: 9000 next to 8080 (or QUARKUS_MANAGEMENT_PORT), else a free one
  if [ "$port" = 8080 ] || [ -n "${QUARKUS_MANAGEMENT_PORT:-}" ]; then
    require_free_port "${QUARKUS_MANAGEMENT_PORT:-9000}"
  fi
  echo "Building the router and the demo launcher (mvn package, tests skipped; log: $log)..."
  classpath="$(SWITCHBOARD_BUILD_LOG="$log" ./hack/e2e-classpath.sh)"
  QUARKUS_HTTP_PORT="$port" exec java -Dswitchboard.projectRoot="$PWD" -cp "$classpath" \
    dev.switchboard.e2e.StandaloneDemo
fi

require_commands python3 openssl curl tar
require_disk "$HOME" 4
SWITCHBOARD_K8S_BIN="$(./hack/k8s-binaries.sh kube-apiserver etcd kube-controller-manager kube-scheduler kubectl kwok helm | tail -n 1)"
export SWITCHBOARD_K8S_BIN

echo "Building (mvn package, tests skipped; log: $log)..."
classpath="$(SWITCHBOARD_BUILD_LOG="$log" ./hack/e2e-classpath.sh)"

# The demo's own diagnostics (stack traces, child process output) go to the log; what it prints is the story.
args=()
[ "$mode" = "--check" ] && args+=(--check)
exec java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dswitchboard.projectRoot="$PWD" \
  -Dswitchboard.demo.log="$log" -cp "$classpath" dev.switchboard.e2e.Demo ${args[@]+"${args[@]}"} 2>>"$log"
