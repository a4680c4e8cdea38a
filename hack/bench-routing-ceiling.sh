#!/usr/bin/env bash
# Upper bounds for routing on mmlu-pro (docs/benchmarks.md, "How high can a router get?"): the category ceiling and a
# router given other LLMs' correctness on each question. Needs ../shared/data (or DATA=...) and Python 3 with numpy
# and scikit-learn; when they are missing a virtualenv under ~/.cache/switchboard/pyenv gets them from PyPI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${DATA:-$root/../shared/data}"
py=python3
if ! python3 -c 'import numpy, sklearn' 2>/dev/null; then
  env="$HOME/.cache/switchboard/pyenv"
  [[ -x $env/bin/python ]] || python3 -m venv "$env"
  "$env/bin/pip" install -q 'numpy==2.2.6' 'scikit-learn==1.7.2'
  py="$env/bin/python"
fi
exec "$py" "$root/hack/analysis/routing_ceiling.py" "$data/mmlu-pro"
