#!/usr/bin/env bash
# Regenerates the CRD YAML from the API classes and copies it into helm/switchboard/crds and deploy/crds.
set -euo pipefail
# `test`, not `install`: regenerating must not replace the jars other builds resolve from ~/.m2.
cd "$(dirname "$0")/.."
mvn -B -q -pl test-support,crds test -Dtest=GeneratedCrdsAreCommittedTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dswitchboard.updateCrds=true
echo "CRDs updated in helm/switchboard/crds and deploy/crds"
