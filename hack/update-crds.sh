#!/usr/bin/env bash
# Regenerates the CRD YAML from the API classes and copies it into helm/switchboard/crds and deploy/crds.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl test-support,crds install -Dtest=GeneratedCrdsAreCommittedTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dswitchboard.updateCrds=true
echo "CRDs updated in helm/switchboard/crds and deploy/crds"
