#!/usr/bin/env bash
# Checks the toolchain the build needs and installs what a fresh machine lacks (Debian packages only).
set -euo pipefail

need() { command -v "$1" >/dev/null 2>&1; }

for tool in java mvn go; do
  need "$tool" || { echo "missing $tool: install a JDK 17, Maven 3.8+ and Go 1.22+" >&2; exit 1; }
done

if ! need promtool; then
  echo "[ensure-tools] installing promtool (Debian package prometheus)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >&2
  # the package starts a server we don't need
  $SUDO systemctl stop prometheus >/dev/null 2>&1 || true
fi
