#!/usr/bin/env bash
# Regenerates docs/crd-reference.md from deploy/crds/*.yaml (run after hack/update-crds.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl packaging-tests -am test -Dtest=GeneratedFilesAreCommittedTest#crdReferenceMatchesTheCrds \
  -Dsurefire.failIfNoSpecifiedTests=false -Dswitchboard.updateDocs=true
echo "docs/crd-reference.md updated"
