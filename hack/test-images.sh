#!/usr/bin/env bash
# Builds the operator and router images with hack/build-images.sh and checks them, with nothing from the network
# but Maven's: no registry, no Docker engine.
#
# 1. A base image is made from this machine's JDK (`docker save` layout, used as BASE_IMAGE=tar://...): a jlink
#    runtime in /opt/java on the PATH (a copy of the JDK's own where jlink has no jmods), the shared libraries it
#    (and the router's ONNX Runtime) loads, /etc/passwd.
#    It stands in for the default base (registry.access.redhat.com/ubi9/openjdk-17-runtime), so that the test needs
#    no registry; what Switchboard adds on top of any base is the same.
# 2. Both images are built as tarballs (hack/build-images.sh --tar).
# 3. Each image's config is checked: name:tag as the chart, the kustomize base and the operator refer to, the
#    entrypoint, a numeric non-root user (the pods set runAsNonRoot), the exposed port, the working directory,
#    the OCI labels, and its layers hold the Quarkus application, readable by that user.
# 4. The router image runs: its layers unpacked into a root filesystem, mounted read-only with an empty /tmp (as the
#    operator's Deployment: readOnlyRootFilesystem, emptyDir /tmp), its entrypoint started in it as the image's
#    user on a free loopback port; it must become ready and route a math question to the math expert (the
#    built-in demo table, a dry run: /v1/route). Needs root, or unprivileged user namespaces (then the user stays
#    the caller's); otherwise this step is skipped and says so.
#
# Needs jq and curl (hack/ensure-tools.sh provides jq as gojq). KEEP=1 keeps the work directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
router_pid=""
cleanup() {
  if [ -n "$router_pid" ]; then
    # unshare ignores SIGTERM while it waits: stop the JVM (its child), then unshare if it is still there (its
    # --kill-child then kills whatever is left in the PID namespace)
    kill $(cat "/proc/$router_pid/task/$router_pid/children" 2>/dev/null) 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$router_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$router_pid" 2>/dev/null || true
    wait "$router_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in jq curl java tar; do command -v "$tool" >/dev/null || fail "$tool is missing"; done

# ---- 1. base image from this machine's JDK ----
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
base="$work/base"
fs="$base/rootfs"
mkdir -p "$fs/etc" "$fs/tmp" "$fs/proc" "$fs/dev" "$fs/opt"
chmod 1777 "$fs/tmp"
if ! "$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.management,jdk.naming.dns \
    --strip-debug --no-man-pages --no-header-files --output "$fs/opt/java" > "$work/jlink.log" 2>&1; then
  # a JDK without jmods (some distributions package them apart): its own runtime, links resolved
  echo "(jlink failed: $(grep -m1 -i error "$work/jlink.log" || head -1 "$work/jlink.log"); copying the JDK's runtime instead)"
  rm -rf "$fs/opt/java" && mkdir -p "$fs/opt/java"
  cp -rL "$java_home/bin" "$java_home/lib" "$java_home/conf" "$fs/opt/java/" 2>/dev/null || true
fi
"$fs/opt/java/bin/java" -version >/dev/null 2>&1 || fail "no Java runtime for the base image in $fs/opt/java"
# the shared libraries of the launcher, the JVM and its core libraries, and the C++ runtime that native libraries
# such as ONNX Runtime (the router's sentence encoder) load; each copied to the path the loader looks at
roots=("$fs/opt/java/bin/java" "$fs/opt/java/lib/server/libjvm.so" "$fs/opt/java/lib/"lib{java,net,nio,zip,jimage}.so)
ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
for l in libstdc++.so.6 libgcc_s.so.1 libdl.so.2 librt.so.1 libpthread.so.0; do
  roots+=("$("$ldconfig" -p | awk -v l="$l" '$1 == l && !found {print $NF; found = 1}')")
done
for lib in $( { printf '%s\n' "${roots[@]}"; ldd "${roots[@]}" 2>/dev/null; } \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3; next} $1 ~ /^\// && $1 !~ /:$/ {print $1}' | sort -u); do
  case "$lib" in "$fs"/*) continue ;; esac
  mkdir -p "$fs$(dirname "$lib")"
  cp -L "$lib" "$fs$lib"
done
printf 'root:x:0:0:root:/root:/sbin/nologin\njboss:x:185:185:jboss:/home/jboss:/sbin/nologin\n' > "$fs/etc/passwd"
printf 'root:x:0:\njboss:x:185:\n' > "$fs/etc/group"
(cd "$fs" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$base/layer.tar" .)
diff_id="sha256:$(sha256sum "$base/layer.tar" | cut -d' ' -f1)"
cat > "$base/config.json" <<EOF
{"architecture":"$arch","os":"linux","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},"history":[{"created_by":"hack/test-images.sh: the Java runtime of $java_home"}]}
EOF
echo '[{"Config":"config.json","RepoTags":["localhost/switchboard-test-base:jdk"],"Layers":["layer.tar"]}]' > "$base/manifest.json"
tar -C "$base" -cf "$work/base.tar" config.json manifest.json layer.tar
echo "base image: $work/base.tar ($(du -h "$work/base.tar" | cut -f1), the Java runtime of $java_home)"

# ---- 2. build ----
BASE_IMAGE="tar://$work/base.tar" "$root/hack/build-images.sh" --tar "$work/images"

# ---- 3. image configs ----
app_version="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/helm/switchboard/Chart.yaml")"
operator_repo="$(awk '/^image:/ {i=1} i && /repository:/ {print $2; exit}' "$root/helm/switchboard/values.yaml")"
router_image="$(awk '/routerImage:/ {print $2; exit}' "$root/helm/switchboard/values.yaml")"
revision="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo "")"
entrypoint='["java","-XX:MaxRAMPercentage=75","-XX:+ExitOnOutOfMemoryError","-Djava.util.logging.manager=org.jboss.logmanager.LogManager","-jar","quarkus-run.jar"]'

check_image() { # tarball, expected name:tag, title
  local tarball="$1" ref="$2" title="$3" dir="$work/unpacked/$3"
  mkdir -p "$dir"
  tar -xf "$tarball" -C "$dir"
  local config="$dir/$(jq -r '.[0].Config' "$dir/manifest.json")"
  expect() { # description, jq filter over the config (or manifest), expected JSON
    local got
    got="$(jq -c "$2" "${4:-$config}")"
    [ "$got" = "$3" ] || fail "$title: $1 is $got, expected $3"
    echo "  $1: $got"
  }
  echo "$title ($tarball, $(du -h "$tarball" | cut -f1)):"
  expect "name" '.[0].RepoTags' "[\"$ref\"]" "$dir/manifest.json"
  expect "entrypoint" '.config.Entrypoint' "$entrypoint"
  expect "cmd" '.config.Cmd' 'null'
  expect "user" '.config.User' '"185"'
  expect "exposed ports" '.config.ExposedPorts' '{"8080/tcp":{}}'
  expect "working directory" '.config.WorkingDir' '"/home/jboss"'
  expect "PATH (from the base)" '[.config.Env[] | select(startswith("PATH="))]' '["PATH=/opt/java/bin:/usr/bin:/bin"]'
  expect "platform" '[.os, .architecture]' "[\"linux\",\"$arch\"]"
  expect "label title" '.config.Labels["org.opencontainers.image.title"]' "\"$title\""
  expect "label version" '.config.Labels["org.opencontainers.image.version"]' "\"$app_version\""
  expect "label source" '.config.Labels["org.opencontainers.image.source"]' '"https://github.com/switchboard-dev/switchboard"'
  expect "label base.name" '.config.Labels["org.opencontainers.image.base.name"]' "\"tar://$work/base.tar\""
  [ -z "$revision" ] || expect "label revision" '.config.Labels["org.opencontainers.image.revision"]' "\"$revision\""
  jq -e '.config.Labels["org.opencontainers.image.description"] | length > 0' "$config" >/dev/null \
    || fail "$title: no description label"
  # the layers Switchboard adds on top of the base: the Quarkus fast-jar under the working directory
  local layers listing
  layers="$(jq -r '.[0].Layers[1:][]' "$dir/manifest.json")"
  listing="$(for l in $layers; do tar --warning=no-unknown-keyword -tvzf "$dir/$l"; done)"
  for path in home/jboss/quarkus-run.jar home/jboss/quarkus/quarkus-application.dat home/jboss/lib/boot/ \
      home/jboss/lib/main/ home/jboss/app/; do
    grep -q " /\{0,1\}$path" <<<"$listing" || fail "$title: $path is not in the image's layers"
  done
  # user 185 owns nothing, so every file must be world-readable (and every directory world-searchable)
  local unreadable
  unreadable="$(awk '$1 ~ /^-/ && substr($1, 8, 1) != "r" || $1 ~ /^d/ && substr($1, 10, 1) != "x" {print $NF}' <<<"$listing")"
  [ -z "$unreadable" ] || fail "$title: not readable by others: $(head -3 <<<"$unreadable")"
  local app_bytes=0 l
  for l in $layers; do app_bytes=$((app_bytes + $(stat -c %s "$dir/$l"))); done
  echo "  layers: $(jq '.[0].Layers | length' "$dir/manifest.json") (base 1), application layers $((app_bytes / 1048576)) MiB compressed, $(grep -c . <<<"$listing") entries"
}
check_image "$work/images/switchboard-operator.tar" "$operator_repo:$app_version" switchboard-operator
check_image "$work/images/switchboard-router.tar" "$router_image" switchboard-router

# ---- 4. run the router image ----
if [ "$(id -u)" = 0 ]; then
  userns=()
  run_as=(-S 185 -G 185)
elif unshare -r -m -p -f true 2>/dev/null; then
  userns=(-r)
  run_as=()
  echo "(not root: the router runs in a user namespace as the caller, not as user 185)"
else
  echo "SKIP running the router image: needs root or unprivileged user namespaces (unshare -r)"
  echo "image checks passed"
  exit 0
fi
dir="$work/unpacked/switchboard-router"
rootfs="$work/router-rootfs"
mkdir -p "$rootfs"
for l in $(jq -r '.[0].Layers[]' "$dir/manifest.json"); do
  tar --warning=no-unknown-keyword -xzf "$dir/$l" -C "$rootfs"
done
config="$dir/$(jq -r '.[0].Config' "$dir/manifest.json")"
mapfile -t cmd < <(jq -r '.config.Entrypoint[]' "$config")
mapfile -t env < <(jq -r '.config.Env[]' "$config")
workdir="$(jq -r '.config.WorkingDir' "$config")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)"
mport="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)"
# The demo configuration, open (no API keys): this checks the image runs, not its authentication.
# New mount and PID namespaces: the root filesystem read-only, an empty /tmp, /proc and /dev; in them the
# entrypoint, from the image's working directory, with the image's environment (+ where to listen) and user.
unshare "${userns[@]}" -m -p -f --kill-child -- bash -c '
  set -e
  rootfs="$1"; shift
  mount --bind "$rootfs" "$rootfs"
  mount -o remount,bind,ro "$rootfs"
  mount -t tmpfs -o mode=1777 tmpfs "$rootfs/tmp"
  mount -t proc proc "$rootfs/proc"
  mount --rbind /dev "$rootfs/dev"
  exec "$@"' bash "$rootfs" \
  env -i "${env[@]}" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$port" \
  QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT="$mport" SWITCHBOARD_AUTH_MODE=open \
  unshare -R "$rootfs" -w "$workdir" "${run_as[@]}" -- "${cmd[@]}" > "$work/router.log" 2>&1 &
router_pid=$!
url="http://127.0.0.1:$port"
# health, metrics and the routing table are on the management port, never on the client port
murl="http://127.0.0.1:$mport"
for _ in $(seq 1 120); do
  curl -sf "$murl/q/health/ready" >/dev/null && break
  kill -0 "$router_pid" 2>/dev/null || { cat "$work/router.log" >&2; fail "the router image exited"; }
  sleep 0.5
done
curl -sf "$murl/q/health/ready" >/dev/null || { cat "$work/router.log" >&2; fail "the router image never became ready"; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/q/metrics")" = 404 ] || fail "the router image serves /q/metrics on its client port"
grep -m1 'started in' "$work/router.log" | sed 's/^/  /'
decision="$(curl -sf "$url/v1/route" -H 'content-type: application/json' \
  -d '{"model":"switchboard-coe","messages":[{"role":"user","content":"What is the derivative of x^3 * sin(x)?"}]}')"
echo "  /v1/route: $decision"
[ "$(jq -r '.expert' <<<"$decision")" = math ] || fail "the router image did not route a math question to math"
# the JVM: the PID namespace's first process, the child of unshare
java_pid="$(cut -d' ' -f1 "/proc/$router_pid/task/$router_pid/children")"
uid="$(awk '/^Uid:/ {print $2}' "/proc/$java_pid/status")"
root_mount="$(awk '$5 == "/" {print $6}' "/proc/$java_pid/mountinfo" | tail -1)"
echo "  process: $(tr '\0' ' ' < "/proc/$java_pid/cmdline")"
echo "  uid $uid, cwd $(readlink "/proc/$java_pid/cwd" | sed "s|^$rootfs||"), root filesystem mounted $root_mount"
[ "${#run_as[@]}" = 0 ] || [ "$uid" = 185 ] || fail "the router runs as uid $uid, not 185"
[[ "$root_mount" == ro,* ]] || fail "the router's root filesystem is not read-only ($root_mount)"
echo "image checks passed; the router image runs"
