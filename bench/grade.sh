#!/usr/bin/env bash
# Benchmark: grade a class of simulated students × the four core labs on moto.
#
#   bash bench/grade.sh            # 100 students; STUDENTS=... to change
#
# Reports wall time and peak memory for --jobs 1 and --jobs 16, the speed-up between
# them, API calls per student, the emulator's own ceiling for the same calls (the most
# any client could gain from concurrency against it), and peak memory at 10 students
# against 100 (memory should stay flat in the number of students). All figures are
# measured in the same run, on a moto of its own (port BENCH_PORT, default 5140).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

STUDENTS="${STUDENTS:-100}"
export MOTO_PORT="${BENCH_PORT:-5140}"
ENDPOINT="http://127.0.0.1:$MOTO_PORT"
LABS=(sdlc-codepipeline-three-stage config-iac-stackset-multi-region monitoring-metric-filter-alarm
      security-compliance-config-rule-remediation)
PY=localstack/.venv-moto/bin/python
work=$(mktemp -d)
trap 'bash localstack/moto.sh stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

cargo build --release --quiet --locked
bash localstack/moto.sh start >/dev/null
bash localstack/moto.sh reset >/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

"$PY" bench/setup_class.py "$ENDPOINT" "$STUDENTS" 500000000000 >"$work/roster.csv"
head -n 11 "$work/roster.csv" >"$work/roster10.csv"

# run NAME JOBS ROSTER: grade, print "seconds peak_kib"
run() {
  local out="$work/$1"
  /usr/bin/time -f '%e %M' -o "$work/$1.time" \
    target/release/labcheck grade "${LABS[@]}" --roster "$3" --out "$out" --jobs "$2" \
    --endpoint-url "$ENDPOINT" >/dev/null
  cat "$work/$1.time"
}

read -r t1 m1 < <(run jobs1 1 "$work/roster.csv")
read -r t16 m16 < <(run jobs16 16 "$work/roster.csv")
read -r _ m10 < <(run ten 16 "$work/roster10.csv")
calls=$("$PY" -c "import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(sum(x['api_calls'] for x in r)/len(r))" "$work/jobs16/results.jsonl")
read -r c1 c16 ceiling < <("$PY" bench/ceiling.py "$ENDPOINT" 16 5)

awk -v n="$STUDENTS" -v t1="$t1" -v t16="$t16" -v m1="$m1" -v m16="$m16" -v m10="$m10" \
    -v calls="$calls" -v c1="$c1" -v c16="$c16" -v ceiling="$ceiling" 'BEGIN {
  printf "students: %d × 4 labs on moto\n", n
  printf "--jobs 1:  %6.2f s  peak %6.1f MiB\n", t1, m1 / 1024
  printf "--jobs 16: %6.2f s  peak %6.1f MiB\n", t16, m16 / 1024
  printf "speed-up --jobs 16 over --jobs 1: %.2fx\n", t1 / t16
  printf "emulator ceiling (same calls, 16 clients vs 1): %.2fx (%.0f vs %.0f calls/s)\n", ceiling, c16, c1
  printf "speed-up as a share of the ceiling: %.0f%%\n", 100 * (t1 / t16) / ceiling
  printf "API calls per student: %.1f\n", calls
  printf "peak memory, 10 students vs %d (--jobs 16): %.1f vs %.1f MiB (ratio %.2f)\n", n, m10 / 1024, m16 / 1024, m16 / m10
}'
