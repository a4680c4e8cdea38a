#!/usr/bin/env bash
# Provides the small tools the packaging and image tests run, without installing or starting anything on the host, in
# ~/.cache/switchboard/tools/bin (printed on the last line; put it on PATH):
#   promtool  extracted from Debian's `prometheus` package (apt-get download + dpkg-deb -x: the Prometheus server is
#             never installed, so no service is started or enabled)
#   glua      gopher-lua's interpreter, built from the Go module proxy: the Lua that Argo CD embeds, for its
#             health-check script
#   jq        gojq (a jq in Go), built from the Go module proxy, for hack/test-images.sh
# A tool already on PATH (promtool) is used as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib.sh

CACHE="${SWITCHBOARD_CACHE:-$HOME/.cache/switchboard}"
BIN="$CACHE/tools/bin"
LOG="$CACHE/tools/install.log"
GLUA_VERSION=1.1.1
GOJQ_VERSION=0.12.17
mkdir -p "$BIN"
log() { echo "[ensure-tools] $*" >&2; }

if ! command -v promtool >/dev/null 2>&1 && [ ! -x "$BIN/promtool" ]; then
  command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 \
    || fail "promtool not found and apt-get/dpkg-deb are missing: put promtool (Prometheus 2.x) on PATH"
  log "promtool: extracting it from Debian's prometheus package (log: $LOG)"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download prometheus) >>"$LOG" 2>&1; then
    # the package lists may be empty on a fresh machine; refreshing them installs nothing
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >>"$LOG" 2>&1 || fail "apt-get update failed" "$LOG"
    else
      fail "apt-get download prometheus failed (empty package lists?): run 'sudo apt-get update' once" "$LOG"
    fi
    (cd "$tmp" && apt-get download prometheus) >>"$LOG" 2>&1 || fail "apt-get download prometheus failed" "$LOG"
  fi
  dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/root" >>"$LOG" 2>&1 || fail "cannot unpack the prometheus package" "$LOG"
  install -m 0755 "$tmp/root/usr/bin/promtool" "$BIN/promtool"
fi

if [ ! -x "$BIN/glua" ]; then
  require_go
  log "glua: building gopher-lua v$GLUA_VERSION from the Go module proxy (log: $LOG)"
  GOBIN="$BIN" go install "github.com/yuin/gopher-lua/cmd/glua@v$GLUA_VERSION" >>"$LOG" 2>&1 \
    || fail "building glua failed" "$LOG"
fi
if ! command -v jq >/dev/null 2>&1 && [ ! -x "$BIN/jq" ]; then
  require_go
  log "jq: building gojq v$GOJQ_VERSION from the Go module proxy (log: $LOG)"
  GOBIN="$BIN" go install "github.com/itchyny/gojq/cmd/gojq@v$GOJQ_VERSION" >>"$LOG" 2>&1 \
    || fail "building gojq failed" "$LOG"
  ln -sf gojq "$BIN/jq"
fi
echo "$BIN"
