#!/usr/bin/env bash
# The GitHub Action (action.yml), the example workflows (examples/github-actions/) and the
# release workflow (.github/workflows/release.yml)
# cannot run here; they are checked against GitHub's own schemas for action and workflow
# files (vendored by check-jsonschema, so no network is needed once it is installed).
#
#   bash tests/lint_workflows.sh      # installs check-jsonschema into localstack/.venv-lint once
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

venv=localstack/.venv-lint
if [[ ! -x $venv/bin/check-jsonschema ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema==0.39.0
fi
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows examples/github-actions/*.yml .github/workflows/*.yml
