#!/usr/bin/env bash
# Checks and unit-tests the Switchboard alerts with promtool:
#   1. the rule source file (helm/switchboard/files/prometheus-rules.yaml) with `promtool check rules`,
#   2. the rules as the chart renders them into a PrometheusRule (same groups, extracted from `helm template`),
#   3. the unit tests in deploy/monitoring/*.test.yaml with `promtool test rules`.
# promtool comes from PATH or from hack/ensure-tools.sh (extracted from Debian's package; nothing is installed).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[promtool-test] $*" >&2; }

if ! command -v promtool >/dev/null; then
  PATH="$(./hack/ensure-tools.sh | tail -n 1):$PATH"
fi
promtool --version 2>&1 | head -1

RULES=helm/switchboard/files/prometheus-rules.yaml
promtool check rules "$RULES"

# The chart wraps the same groups into a PrometheusRule; check what it actually renders.
HELM="${HELM:-}"
if [ -z "$HELM" ]; then
  for candidate in "${SWITCHBOARD_K8S_BIN:-}/helm" "$HOME/.cache/switchboard/k8s-${SWITCHBOARD_K8S_VERSION:-1.34.2}/helm" "$(command -v helm || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then HELM="$candidate"; break; fi
  done
fi
if [ -n "$HELM" ]; then
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  "$HELM" template switchboard helm/switchboard --kube-version 1.34.2 --set metrics.prometheusRule.enabled=true \
    --show-only templates/prometheusrule.yaml > "$tmp/prometheusrule.yaml"
  # PrometheusRule .spec is a rule file: drop everything above `spec:` and un-indent it by two spaces.
  sed -n '/^spec:/,$p' "$tmp/prometheusrule.yaml" | tail -n +2 | sed 's/^  //' > "$tmp/rendered-rules.yaml"
  log "checking the rules rendered by the chart"
  promtool check rules "$tmp/rendered-rules.yaml"
else
  log "helm not found: skipping the rendered-chart check (run hack/k8s-binaries.sh helm)"
fi

status=0
for t in deploy/monitoring/*.test.yaml; do
  promtool test rules "$t" || status=1
done
exit $status
