#!/usr/bin/env bash
# Grade a class on AWS Batch: an array job of SHARDS children (grade-shard.sh), then one
# job that merges their folders (merge.sh) once every child has finished.
#
#   JOB_QUEUE=labcheck JOB_DEFINITION=labcheck CLASS_URI=s3://my-bucket/dop-c02/week-3 \
#     SHARDS=4 LABS="monitoring-metric-filter-alarm" bash submit.sh
#
# The job definition's image has labcheck, its labs (LABCHECK_LABS) and the AWS CLI,
# and these scripts; its job role is the instructor's. A child that fails is retried
# (--retry-strategy) and resumes from its folder in S3.
set -euo pipefail
: "${JOB_QUEUE:?}" "${JOB_DEFINITION:?}" "${CLASS_URI:?}" "${SHARDS:?}" "${LABS:?}"
environment="[{name=CLASS_URI,value=$CLASS_URI},{name=SHARDS,value=$SHARDS},{name=LABS,value=\"$LABS\"}]"
array_job=$(aws batch submit-job --job-name labcheck-shards --job-queue "$JOB_QUEUE" \
  --job-definition "$JOB_DEFINITION" --array-properties "size=$SHARDS" --retry-strategy attempts=3 \
  --container-overrides "command=[bash,/opt/labcheck/grade-shard.sh],environment=$environment" \
  --query jobId --output text)
aws batch submit-job --job-name labcheck-merge --job-queue "$JOB_QUEUE" --job-definition "$JOB_DEFINITION" \
  --depends-on "jobId=$array_job" \
  --container-overrides "command=[bash,/opt/labcheck/merge.sh],environment=$environment" \
  --query jobId --output text
