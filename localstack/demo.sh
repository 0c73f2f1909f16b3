#!/usr/bin/env bash
# The main job, with no AWS account: start the local emulator, build part of a lab the
# way a learner would (with a mistake in it), and grade it.
#
#   bash localstack/demo.sh
#
# Builds labcheck, installs and starts moto (the first time takes a few minutes), and
# stops the emulator when done. MOTO_PORT (default 5000) picks the port.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export MOTO_PORT="${MOTO_PORT:-5000}"
cargo build --quiet --locked
bash localstack/moto.sh start >/dev/null
trap 'bash localstack/moto.sh stop >/dev/null 2>&1 || true' EXIT
bash localstack/moto.sh reset >/dev/null

# A throwaway account on the emulator, with the AWS CLI that the harness installed.
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_PAGER=""
export PATH="$PWD/localstack/.venv-moto/bin:$PATH"

echo "== A learner builds part of the monitoring lab (and gets one thing wrong):"
set -x
aws logs create-log-group --log-group-name /labcheck/app
aws logs put-retention-policy --log-group-name /labcheck/app --retention-in-days 14
# The mistake: a lowercase pattern, which does not match the application's "ERROR" lines.
aws logs put-metric-filter --log-group-name /labcheck/app --filter-name app-errors \
  --filter-pattern '"error"' \
  --metric-transformations metricName=ApplicationErrors,metricNamespace=LabCheck/App,metricValue=1,defaultValue=0
set +x

echo
echo "== labcheck grades it:"
./target/debug/labcheck run monitoring-metric-filter-alarm || echo "(labcheck exited $?: some checks did not pass)"
