#!/usr/bin/env bash
# The command of an AWS Batch array job: child I of N grades shard I+1 of N of the
# roster and keeps its folder in S3, so a retried child resumes where it stopped.
#
#   CLASS_URI=s3://my-bucket/dop-c02/week-3   roster.csv there; shards and gradebook go there
#   SHARDS=4                                  the array job's size
#   LABS="monitoring-metric-filter-alarm"     lab ids, separated by spaces
#
# The job role is the instructor's (it may assume each student's grader role); the
# image holds labcheck on PATH and its labs in /opt/labcheck/labs (LABCHECK_LABS).
set -euo pipefail
: "${CLASS_URI:?}" "${SHARDS:?}" "${LABS:?}" "${AWS_BATCH_JOB_ARRAY_INDEX:?this runs as a child of an array job}"
SHARD=$((AWS_BATCH_JOB_ARRAY_INDEX + 1))
OUT="shard-$SHARD"

aws s3 cp "$CLASS_URI/roster.csv" roster.csv
aws s3 sync "$CLASS_URI/$OUT" "$OUT"
resume=()
[[ -s $OUT/results.jsonl ]] && resume=(--resume)
read -r -a labs <<< "$LABS"
status=0
labcheck grade "${labs[@]}" --roster roster.csv --shard "$SHARD/$SHARDS" --out "$OUT" "${resume[@]}" || status=$?
aws s3 sync "$OUT" "$CLASS_URI/$OUT"
# 2: some student could not be graded (their row says why); the shard is complete.
[[ $status -eq 0 || $status -eq 2 ]]
