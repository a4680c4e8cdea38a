#!/usr/bin/env bash
# Checks the toolchain the build needs and installs what a fresh machine lacks (Debian packages only).
set -euo pipefail

need() { command -v "$1" >/dev/null 2>&1; }

for tool in java mvn go; do
  need "$tool" || { echo "missing $tool: install a JDK 17, Maven 3.8+ and Go 1.22+" >&2; exit 1; }
done

# promtool (alert unit tests), lua (the Argo CD health check test) and jq come from Debian's packages.
missing=()
need promtool || missing+=(prometheus)
need lua5.4 || missing+=(lua5.4)
# jq reads the built images' configs (hack/test-images.sh)
need jq || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[ensure-tools] installing ${missing[*]} (Debian packages)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  # the prometheus package may start a server we don't need
  $SUDO systemctl stop prometheus >/dev/null 2>&1 || true
fi
