#!/usr/bin/env bash
# Benchmark: three ways to prove the same labs, in the same run, on a moto of its own:
#   1. the AWS CLI as a new process per call, every scenario running the solution;
#   2. the AWS CLI server (localstack/aws_cli.sh), every scenario running the solution;
#   3. the server, the solution run once and each near miss started from a copy of the
#      solved account (moto extension's clone-account; what tests/run.sh does).
#
#   bash bench/prove.sh                 # five labs; LABS="a b" to choose others
#
# Reports wall time and the machine's CPU time (from /proc/stat: labcheck, the scripts,
# the CLI processes or the server's children, and moto alike) for each, and their
# ratios. The server's one-off start is measured apart. Run it on an idle machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

read -r -a LABS <<<"${LABS:-monitoring-metric-filter-alarm sdlc-codepipeline-three-stage \
resilience-alb-autoscaling security-compliance-cloudtrail-audit config-iac-organizations-scp}"
export MOTO_PORT="${BENCH_PORT:-5141}"
ENDPOINT="http://127.0.0.1:$MOTO_PORT"
work=$(mktemp -d)
trap 'bash localstack/moto.sh stop >/dev/null 2>&1 || true; bash localstack/aws_cli.sh stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

cargo build --quiet --locked
LABCHECK_MOTO_CLONE=off bash localstack/moto.sh start >/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
venv_path="$PWD/localstack/.venv-moto/bin:$PATH"

# busy_s: CPU seconds this machine has spent busy since boot (all cores).
busy_s() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8) / hz }' /proc/stat
}
# prove NAME PATH: selftest the labs with that PATH; print "wall_s cpu_s"
prove() {
  local before
  before=$(busy_s)
  PATH="$2" /usr/bin/time -f '%e' -o "$work/$1.time" \
    target/debug/labcheck selftest "${LABS[@]}" --endpoint-url "$ENDPOINT" --format json >"$work/$1.json"
  echo "$(<"$work/$1.time") $(awk -v a="$(busy_s)" -v b="$before" 'BEGIN { printf "%.2f", a - b }')"
}

read -r wall_cli cpu_cli < <(prove cli "$venv_path")
started=$(date +%s%N)
eval "$(bash localstack/aws_cli.sh start 2>/dev/null)"
start_s=$(awk -v ns="$(( $(date +%s%N) - started ))" 'BEGIN { printf "%.2f", ns / 1e9 }')
read -r wall_srv cpu_srv < <(prove server "$PATH")
bash localstack/moto.sh stop >/dev/null
bash localstack/moto.sh start >/dev/null
read -r wall_cln cpu_cln < <(prove clone "$PATH")

for run in cli server clone; do
  python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["labs"]; bad=[l["lab"] for l in p if any(c["verdict"]!="proven" for c in l["checks"]) or l["problems"]]; sys.exit(f"{sys.argv[2]}: not proven: {bad}" if bad else 0)' "$work/$run.json" "$run"
done
awk -v n="${#LABS[@]}" -v wc="$wall_cli" -v cc="$cpu_cli" -v ws="$wall_srv" -v cs="$cpu_srv" -v st="$start_s" \
  -v wk="$wall_cln" -v ck="$cpu_cln" 'BEGIN {
  printf "labs proven: %d, on moto, every check proven all three ways\n", n
  printf "1. AWS CLI, a process per call:   %7.1f s wall  %7.1f s CPU\n", wc, cc
  printf "2. AWS CLI server:                %7.1f s wall  %7.1f s CPU  (server start %.1f s, once)\n", ws, cs, st
  printf "3. server, solved accounts copied: %6.1f s wall  %7.1f s CPU\n", wk, ck
  printf "2 over 1: %.2fx wall, %.2fx CPU\n", ws / wc, cs / cc
  printf "3 over 2: %.2fx wall, %.2fx CPU\n", wk / ws, ck / cs
  printf "3 over 1: %.2fx wall, %.2fx CPU\n", wk / wc, ck / cc
}'
