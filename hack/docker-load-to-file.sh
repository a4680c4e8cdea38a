#!/usr/bin/env bash
# A stand-in for the docker CLI, for `hack/build-images.sh --tar DIR` on a machine without a Docker or Podman engine.
# Quarkus' Jib extension can only hand a locally built image to a container engine: it runs `docker info` (the
# engine's OS and architecture) and then `docker load`, streaming the image as a docker-load tarball on stdin.
# Pointed to by quarkus.jib.docker-executable-name, this script answers `info` for this machine and writes what
# `load` receives to $SWITCHBOARD_IMAGE_TAR (set per module through quarkus.jib.docker-environment, see pom.xml).
# The file loads anywhere with `docker load -i` / `podman load -i` and pushes with `crane push` / `skopeo copy`.
set -euo pipefail

case "${1:-}" in
  info)
    # Jib reads OSType and Architecture (docker info -f '{{json .}}')
    printf '{"OSType":"linux","Architecture":"%s"}\n' "$(uname -m)"
    ;;
  load)
    out="${SWITCHBOARD_IMAGE_TAR:?SWITCHBOARD_IMAGE_TAR is not set}"
    mkdir -p "$(dirname "$out")"
    cat > "$out.partial"
    mv "$out.partial" "$out"
    echo "Loaded image: written to $out"
    ;;
  *)
    echo "docker-load-to-file.sh: only 'info' and 'load' are supported (got: $*)" >&2
    exit 1
    ;;
esac
