#!/usr/bin/env bash
# Builds the two container images of Switchboard, the operator and the router, with Quarkus' Jib extension (Maven
# profile `images`, see pom.xml): no Dockerfile, and no Docker daemon to build them.
#
#   hack/build-images.sh               load both into the local Docker or Podman engine
#   hack/build-images.sh --push        push both to the registry (log in first: docker/podman login); no engine needed
#   hack/build-images.sh --tar DIR     write DIR/switchboard-operator.tar and DIR/switchboard-router.tar
#                                      (docker-load format: `docker load -i`, `podman load -i`, `crane push`,
#                                      `skopeo copy docker-archive:...`); no engine needed
#   hack/build-images.sh ... -- ARGS   further Maven arguments, e.g. -- -Dquarkus.jib.platforms=linux/amd64,linux/arm64
#                                      (several platforms only with --push)
#
# Environment (defaults = the images helm/switchboard/values.yaml, deploy/base and the operator's default router
# image refer to):
#   IMAGE_REGISTRY  ghcr.io
#   IMAGE_GROUP     switchboard-dev
#   IMAGE_TAG       0.1.0 (the chart's appVersion)
#   BASE_IMAGE      registry.access.redhat.com/ubi9/openjdk-17-runtime:1.23; any image with java 17+ on its PATH:
#                   a registry reference, docker://NAME (an image in the local engine) or tar://FILE (`docker save`
#                   output)
# Images: $IMAGE_REGISTRY/$IMAGE_GROUP/switchboard-operator:$IMAGE_TAG and .../switchboard-router:$IMAGE_TAG.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

mode=engine
tar_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --push) mode=push; shift ;;
    --tar) mode=tar; tar_dir="${2:?--tar needs a directory}"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d;s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

args=(-B -ntp -q -Pimages -pl operator,router-service -am package -DskipTests)
[ -n "${IMAGE_REGISTRY:-}" ] && args+=("-Dquarkus.container-image.registry=$IMAGE_REGISTRY")
[ -n "${IMAGE_GROUP:-}" ] && args+=("-Dquarkus.container-image.group=$IMAGE_GROUP")
[ -n "${IMAGE_TAG:-}" ] && args+=("-Dquarkus.container-image.tag=$IMAGE_TAG")
if [ -n "${BASE_IMAGE:-}" ]; then
  base="$BASE_IMAGE"
  # Jib reads a tar:// path relative to Maven's directory; make it the caller's
  if [[ "$base" == tar://* && "${base#tar://}" != /* ]]; then
    base="tar://$(cd "$(dirname "${base#tar://}")" && pwd)/$(basename "${base#tar://}")"
  fi
  args+=("-Dquarkus.jib.base-jvm-image=$base")
fi
if revision="$(git -C "$root" rev-parse HEAD 2>/dev/null)"; then
  args+=("-Dquarkus.container-image.labels.org.opencontainers.image.revision=$revision")
fi

case "$mode" in
  engine)
    engine=""
    for candidate in docker podman; do
      if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
        engine="$(command -v "$candidate")"
        break
      fi
    done
    if [ -z "$engine" ]; then
      echo "No Docker or Podman engine answers here. Build without one:" >&2
      echo "  hack/build-images.sh --push      (push to \$IMAGE_REGISTRY, default ghcr.io)" >&2
      echo "  hack/build-images.sh --tar DIR   (image tarballs)" >&2
      exit 1
    fi
    args+=("-Dquarkus.jib.docker-executable-name=$engine")
    ;;
  push)
    args+=(-Dquarkus.container-image.push=true)
    ;;
  tar)
    mkdir -p "$tar_dir"
    tar_dir="$(cd "$tar_dir" && pwd)"
    rm -f "$tar_dir/switchboard-operator.tar" "$tar_dir/switchboard-router.tar"
    args+=("-Dquarkus.jib.docker-executable-name=$root/hack/docker-load-to-file.sh"
      "-Dswitchboard.image.tar-dir=$tar_dir")
    ;;
esac

start=$SECONDS
echo "Building the operator and router images ($mode): mvn ${args[*]} $*"
(cd "$root" && mvn "${args[@]}" "$@")
echo "Built in $((SECONDS - start)) s:"
for module in operator router-service; do
  target="$root/$module/target"
  image="$(sed -n 's/^metadata.container-image=//p' "$target/quarkus-artifact.properties" | sed 's/\\//g')"
  line="  $image (digest $(cat "$target/jib-image.digest"))"
  if [ "$mode" = tar ]; then
    file="$tar_dir/switchboard-${module%-service}.tar"
    line="$line -> $file ($(du -h "$file" | cut -f1))"
  fi
  echo "$line"
done
