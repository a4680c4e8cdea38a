#!/usr/bin/env bash
# Provides real Kubernetes control-plane binaries for tests and the demo.
# Order: $KUBEBUILDER_ASSETS (if it already holds them) -> cached in ~/.cache/switchboard/k8s-<ver>
#        -> the official release binaries, each checked against its published SHA-256 (a networked machine; seconds)
#        -> build from the Go module proxy (what works on a machine without general internet; minutes).
# kwok publishes no checksums, so it is always built. SWITCHBOARD_K8S_DOWNLOAD=0 skips downloading,
# SWITCHBOARD_K8S_BUILD=0 building (fail instead); the release
# URLs can be pointed at a mirror (SWITCHBOARD_K8S_RELEASE_URL, SWITCHBOARD_ETCD_RELEASE_URL, SWITCHBOARD_HELM_URL).
# Prints the directory holding the binaries on stdout (last line).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

K8S_VERSION="${SWITCHBOARD_K8S_VERSION:-1.34.2}"
ETCD_VERSION="${SWITCHBOARD_ETCD_VERSION:-3.6.5}"
KWOK_VERSION="${SWITCHBOARD_KWOK_VERSION:-0.7.0}"
HELM_VERSION="${SWITCHBOARD_HELM_VERSION:-3.19.0}"
WANT="${*:-kube-apiserver etcd}"

CACHE="${SWITCHBOARD_CACHE:-$HOME/.cache/switchboard}"
OUT="$CACHE/k8s-$K8S_VERSION"
mkdir -p "$OUT"

exec 3>&2 # progress lines stay on the caller's stderr while build output goes to the build log
log() { echo "[k8s-binaries] $*" >&3; }

have_all() {
  local dir="$1"
  for b in $WANT; do [ -x "$dir/$b" ] || return 1; done
}

if [ -n "${KUBEBUILDER_ASSETS:-}" ] && have_all "$KUBEBUILDER_ASSETS"; then
  echo "$KUBEBUILDER_ASSETS"; exit 0
fi
if have_all "$OUT"; then echo "$OUT"; exit 0; fi

K8S_URL="${SWITCHBOARD_K8S_RELEASE_URL:-https://dl.k8s.io/release}"
ETCD_URL="${SWITCHBOARD_ETCD_RELEASE_URL:-https://github.com/etcd-io/etcd/releases/download}"
HELM_URL="${SWITCHBOARD_HELM_URL:-https://get.helm.sh}"

fetch() { curl -fsSL --connect-timeout 10 --max-time 900 -o "$2" "$1" 2>/dev/null; }

# True when file's SHA-256 is the expected hex digest (and one was found at all).
sha256_is() { [ -n "$2" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

# Installs $OUT/<name> from the official release, verified; returns non-zero (leaving nothing behind) on any failure.
download() {
  local b="$1" arch tmp rc=1
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) arch=amd64 ;;
    Linux/aarch64|Linux/arm64) arch=arm64 ;;
    *) return 1 ;;
  esac
  tmp="$(mktemp -d)"
  case "$b" in
    kube-apiserver|kube-controller-manager|kube-scheduler|kubectl)
      local url="$K8S_URL/v$K8S_VERSION/bin/linux/$arch/$b"
      fetch "$url" "$tmp/$b" && fetch "$url.sha256" "$tmp/sum" \
        && sha256_is "$tmp/$b" "$(tr -d '[:space:]' < "$tmp/sum")" \
        && install -m 0755 "$tmp/$b" "$OUT/$b" && rc=0 ;;
    etcd)
      local f="etcd-v$ETCD_VERSION-linux-$arch.tar.gz"
      fetch "$ETCD_URL/v$ETCD_VERSION/$f" "$tmp/$f" && fetch "$ETCD_URL/v$ETCD_VERSION/SHA256SUMS" "$tmp/sums" \
        && sha256_is "$tmp/$f" "$(awk -v f="$f" '$2 == f { print $1 }' "$tmp/sums")" \
        && tar -xzf "$tmp/$f" -C "$tmp" && install -m 0755 "$tmp/etcd-v$ETCD_VERSION-linux-$arch/etcd" "$OUT/etcd" \
        && rc=0 ;;
    helm)
      local f="helm-v$HELM_VERSION-linux-$arch.tar.gz"
      fetch "$HELM_URL/$f" "$tmp/$f" && fetch "$HELM_URL/$f.sha256sum" "$tmp/sum" \
        && sha256_is "$tmp/$f" "$(cut -d' ' -f1 < "$tmp/sum")" \
        && tar -xzf "$tmp/$f" -C "$tmp" && install -m 0755 "$tmp/linux-$arch/helm" "$OUT/helm" && rc=0 ;;
  esac
  rm -rf "$tmp"
  return $rc
}

if [ "${SWITCHBOARD_K8S_DOWNLOAD:-1}" != 0 ] && command -v curl >/dev/null; then
  for b in $WANT; do
    [ -x "$OUT/$b" ] || [ "$b" = kwok ] && continue
    if download "$b"; then log "downloaded $b (checksum verified)"; else log "could not download $b; building it"; fi
  done
  if have_all "$OUT"; then echo "$OUT"; exit 0; fi
fi

[ "${SWITCHBOARD_K8S_BUILD:-1}" != 0 ] || fail "missing $WANT in $OUT and building is off (SWITCHBOARD_K8S_BUILD=0)"
require_go
BUILD_LOG="$CACHE/k8s-build.log"
log "building what is missing from the Go module proxy, once (about 10 minutes on 2 cores; log: $BUILD_LOG)"

# A throw-away module that requires k8s.io/kubernetes and pins every staging module
# (k8s.io/api, k8s.io/apiserver, ...) to the matching v0.x release, since the
# kubernetes go.mod replaces them with ./staging paths that a module build cannot see.
build_kube() {
  local targets=("$@")
  local mod="$CACHE/build-k8s-$K8S_VERSION"
  local minor="0.${K8S_VERSION#1.}"
  mkdir -p "$mod"
  if [ ! -f "$mod/go.sum" ]; then
    log "preparing module for k8s.io/kubernetes v$K8S_VERSION (staging v$minor)"
    (
      cd "$mod"
      rm -f go.mod go.sum
      go mod init switchboard.local/k8sbuild >/dev/null 2>&1
      local gomod
      gomod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
      {
        echo "require k8s.io/kubernetes v$K8S_VERSION"
        # every staging module listed in kubernetes' own replace block
        sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod" | sort -u | while read -r m; do
          echo "replace $m => $m v$minor"
        done
      } >> go.mod
      cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
      go mod tidy -e >&2
    )
  fi
  for t in "${targets[@]}"; do
    log "building $t v$K8S_VERSION (first time takes several minutes)"
    (cd "$mod" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}" -o "$OUT/$t" "k8s.io/kubernetes/cmd/$t")
  done
}

# Modules whose go.mod carries replace directives cannot be `go install`ed; build them from a
# throw-away main module that requires them instead.
build_via_module() { # name module version package
  local name="$1" module="$2" version="$3" pkg="$4"
  local mod="$CACHE/build-$name-$version"
  mkdir -p "$mod"
  (
    cd "$mod"
    if [ ! -f go.mod ]; then
      go mod init "switchboard.local/build$name" >/dev/null 2>&1
      printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$pkg" > tools.go
      go get "$module@v$version" >&2
      go mod tidy -e >&2
    fi
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$OUT/$name" "$pkg" >&2
  )
}

kube_targets=()
for b in $WANT; do
  [ -x "$OUT/$b" ] && continue
  case "$b" in
    kube-apiserver|kube-controller-manager|kube-scheduler|kubectl) kube_targets+=("$b") ;;
    etcd)
      log "building etcd v$ETCD_VERSION"
      build_via_module etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3 >>"$BUILD_LOG" 2>&1 \
        || fail "building etcd failed" "$BUILD_LOG" ;;
    kwok)
      log "building kwok v$KWOK_VERSION"
      build_via_module kwok sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok >>"$BUILD_LOG" 2>&1 \
        || fail "building kwok failed" "$BUILD_LOG" ;;
    helm)
      log "building helm v$HELM_VERSION"
      build_via_module helm helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm >>"$BUILD_LOG" 2>&1 \
        || fail "building helm failed" "$BUILD_LOG" ;;
    *) fail "unknown binary $b" ;;
  esac
done
if [ ${#kube_targets[@]} -gt 0 ]; then
  build_kube "${kube_targets[@]}" 2>>"$BUILD_LOG" || fail "building ${kube_targets[*]} failed" "$BUILD_LOG"
fi

have_all "$OUT" || fail "binaries missing in $OUT after building" "$BUILD_LOG"
echo "$OUT"
