#!/usr/bin/env bash
# Benchmark: grade classes of simulated students × the four core labs on moto.
#
#   bash bench/grade.sh                      # 10, 100 and 1,000 students, the release build
#   PROFILE=debug bash bench/grade.sh        # the debug build
#   STUDENTS="10 100" bash bench/grade.sh    # other class sizes (the first is the baseline)
#
# For each class size, with --jobs 16: wall time, peak memory (and its ratio to the
# first size's: memory should stay flat in the number of students), students and API
# calls per second, and that rate as a share of the emulator's own ceiling for the same
# calls (boto3 clients, sixteen at once, measured in the same run). At JOBS1_STUDENTS
# (default 100) also --jobs 1, for the speed-up against the ceiling's own (16 clients over
# 1). All on a moto of its own (port BENCH_PORT, default 5140).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PROFILE="${PROFILE:-release}"
read -r -a SIZES <<<"${STUDENTS:-10 100 1000}"
JOBS1_STUDENTS="${JOBS1_STUDENTS:-100}"
export MOTO_PORT="${BENCH_PORT:-5140}"
ENDPOINT="http://127.0.0.1:$MOTO_PORT"
LABS=(sdlc-codepipeline-three-stage config-iac-stackset-multi-region monitoring-metric-filter-alarm
      security-compliance-config-rule-remediation)
PY=localstack/.venv-moto/bin/python
work=$(mktemp -d)
trap 'bash localstack/moto.sh stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

if [[ $PROFILE == release ]]; then cargo build --release --quiet --locked; else cargo build --quiet --locked; fi
BIN="target/$PROFILE/labcheck"
bash localstack/moto.sh start >/dev/null
bash localstack/moto.sh reset >/dev/null
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

# One class of the largest size; each smaller one is its first students.
largest=$(printf '%s\n' "${SIZES[@]}" "$JOBS1_STUDENTS" | sort -n | tail -n 1)
echo "setting up $largest simulated students on moto …" >&2
"$PY" bench/setup_class.py "$ENDPOINT" "$largest" 500000000000 >"$work/roster.csv"
roster() { head -n "$(($1 + 1))" "$work/roster.csv" >"$work/roster-$1.csv"; echo "$work/roster-$1.csv"; }

# run NAME JOBS STUDENTS: grade, print "seconds peak_kib api_calls"
run() {
  local out="$work/$1"
  echo "grading $3 students with --jobs $2 …" >&2
  /usr/bin/time -f '%e %M' -o "$work/$1.time" \
    "$BIN" grade "${LABS[@]}" --roster "$(roster "$3")" --out "$out" --jobs "$2" \
    --endpoint-url "$ENDPOINT" >/dev/null
  echo "$(cat "$work/$1.time") $("$PY" -c "import json,sys; print(sum(json.loads(l)['api_calls'] for l in open(sys.argv[1])))" "$out/results.jsonl")"
}

echo "measuring the emulator's ceiling …" >&2
read -r c1 c16 ceiling < <("$PY" bench/ceiling.py "$ENDPOINT" 16 5)
read -r t1 _ _ < <(run jobs1 1 "$JOBS1_STUDENTS")
rows=""
for n in "${SIZES[@]}"; do
  read -r t m calls < <(run "jobs16-$n" 16 "$n")
  rows+="$n $t $m $calls"$'\n'
  if [[ $n == "$JOBS1_STUDENTS" ]]; then t16=$t; fi
done
t16="${t16:-$(run jobs16-"$JOBS1_STUDENTS" 16 "$JOBS1_STUDENTS" | cut -d' ' -f1)}"

printf '%s' "$rows" | awk -v profile="$PROFILE" -v c1="$c1" -v c16="$c16" -v ceiling="$ceiling" \
    -v n1="$JOBS1_STUDENTS" -v t1="$t1" -v t16="$t16" '
BEGIN {
  printf "%s build, %d cores; four labs per student on moto; --jobs 16 unless said\n", profile, '"$(nproc)"'
  printf "emulator ceiling: %.0f calls/s with 16 boto3 clients, %.0f with 1 (%.2fx)\n", c16, c1, ceiling
  printf "%8s %8s %10s %10s %10s %9s %10s %8s\n", "students", "wall s", "students/s", "calls/stu", "calls/s", "ceiling", "peak MiB", "memory"
}
{
  if (NR == 1) base = $3
  printf "%8d %8.2f %10.1f %10.1f %10.0f %8.0f%% %10.1f %7.2fx\n", $1, $2, $1 / $2, $4 / $1, $4 / $2, 100 * ($4 / $2) / c16, $3 / 1024, $3 / base
}
END {
  printf "speed-up at %d students, --jobs 1 -> 16: %.2f s -> %.2f s = %.2fx (%.0f%% of the ceiling'"'"'s %.2fx)\n", n1, t1, t16, t1 / t16, 100 * (t1 / t16) / ceiling, ceiling
}'
