#!/usr/bin/env bash
# Benchmark: grading at the limit. For every lab (or LABS="a b"), on a moto of its own
# with every lab's solution applied: `labcheck run LAB` wall time against the time moto
# itself takes for the same distinct reads (replayed on one warm connection), and the
# start-up with no AWS call (`labcheck show LAB`). All measured in the same run.
#
#   bash bench/limit.sh                   # the release build; PROFILE=debug for the debug one
#   ROUNDS=7 bash bench/limit.sh          # median of 7 runs each (default 5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROFILE="${PROFILE:-release}"
ROUNDS="${ROUNDS:-5}"
export MOTO_PORT="${BENCH_PORT:-5142}"
ENDPOINT="http://127.0.0.1:$MOTO_PORT"
PY="$PWD/localstack/.venv-moto/bin/python"
trap 'bash localstack/moto.sh stop >/dev/null 2>&1 || true; bash localstack/aws_cli.sh stop >/dev/null 2>&1 || true' EXIT

if [[ $PROFILE == release ]]; then cargo build --release --quiet --locked; else cargo build --quiet --locked; fi
BIN="${CARGO_TARGET_DIR:-target}/$PROFILE/labcheck"
ALL_LABS=$("$PY" -c 'import yaml, pathlib
print(" ".join(yaml.safe_load(f.read_text())["id"] for f in sorted(pathlib.Path("labs").glob("*/*/lab.yaml"))))')
read -r -a LABS <<<"${LABS:-$ALL_LABS}"

bash localstack/moto.sh start >/dev/null
bash localstack/moto.sh reset >/dev/null
export PATH="$PWD/localstack/.venv-moto/bin:$PATH" AWS_ENDPOINT_URL="$ENDPOINT" AWS_PAGER=""
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
eval "$(bash localstack/aws_cli.sh start)"

# Every lab's solution in one account (the labs name their resources apart), with the
# lab's params as its scripts read them (upper-cased, their defaults).
for lab in "${LABS[@]}"; do
  dir=$("$PY" -c 'import sys, yaml, pathlib
for f in pathlib.Path("labs").glob("*/*/lab.yaml"):
    if yaml.safe_load(f.read_text())["id"] == sys.argv[1]: print(f.parent)' "$lab")
  (
    cd "$dir"
    eval "$("$PY" -c 'import json, shlex, yaml
for k, v in (yaml.safe_load(open("lab.yaml")).get("params") or {}).items():
    d = v.get("default", "")
    print("export %s=%s" % (k.upper(), shlex.quote(d if isinstance(d, str) else json.dumps(d))))')"
    bash solution.sh >/dev/null 2>&1 || echo "warning: $lab: solution.sh failed" >&2
  ) &
  while (($(jobs -rp | wc -l) >= 4)); do wait -n; done
done
wait

"$PY" bench/limit.py "$BIN" "$ENDPOINT" "$ROUNDS" "${LABS[@]}"
