#!/usr/bin/env bash
# Reference solution: process new log files as they land in S3, and age them out.
#
#   s3://<bucket>/AWSLogs/....log.gz (ObjectCreated) --> Lambda log processor
#   lifecycle: AWSLogs/ to S3 Glacier Flexible Retrieval after 30 days, deleted after 365
#
# Uses only the AWS CLI (and python3's zipfile to package the function's code).
# Region, credentials and endpoint come from the environment.
set -euo pipefail

FUNCTION="${FUNCTION:-labcheck-mon-log-processor}"   # lab param function
ROLE="${FUNCTION}-role"
PREFIX="AWSLogs/"
SUFFIX=".log.gz"

ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
BUCKET="labcheck-mon-applogs-${ACCOUNT}-${REGION}"   # bucket names are global: make it unique
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1. The log bucket (us-east-1 takes no LocationConstraint).
echo "1. Bucket ${BUCKET}"
if [[ $REGION == us-east-1 ]]; then
  aws s3api create-bucket --bucket "$BUCKET" >/dev/null
else
  aws s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
fi

# 2. The processor's role: only Lambda may assume it; it may write its own logs and
#    read the log files, nothing else.
echo "2. Execution role ${ROLE}"
ROLE_ARN=$(aws iam create-role --role-name "$ROLE" --query Role.Arn --output text \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}')
aws iam put-role-policy --role-name "$ROLE" --policy-name read-logs --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogGroup\", \"logs:CreateLogStream\", \"logs:PutLogEvents\"], \"Resource\": \"*\"},
    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::${BUCKET}/${PREFIX}*\"}
  ]
}"

# 3. The function: counts the lines of each new log file and the 5xx among them. It
#    finds its bucket in LOG_BUCKET (and the lab finds the bucket there too).
echo "3. Function ${FUNCTION}"
cat >"$WORK/index.py" <<'PY'
import gzip
import os
import urllib.parse

import boto3

s3 = boto3.client("s3")
BUCKET = os.environ["LOG_BUCKET"]


def handler(event, context):
    for record in event["Records"]:
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        lines = gzip.decompress(body).decode("utf-8", "replace").splitlines()
        errors = sum(1 for line in lines if " 5" in line)
        print(f"s3://{BUCKET}/{key}: {len(lines)} lines, {errors} server errors")
PY
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").write(sys.argv[2], "index.py")' \
  "$WORK/function.zip" "$WORK/index.py"
# A new role takes a few seconds to be usable by Lambda on AWS: retry while it is not.
for attempt in 1 2 3 4 5 6; do
  if FUNCTION_ARN=$(aws lambda create-function --function-name "$FUNCTION" --runtime python3.12 \
      --role "$ROLE_ARN" --handler index.handler --zip-file "fileb://$WORK/function.zip" \
      --timeout 60 --memory-size 256 --environment "Variables={LOG_BUCKET=${BUCKET}}" \
      --query FunctionArn --output text); then
    break
  fi
  [[ $attempt -lt 6 ]] || exit 1
  sleep 5
done

# 4. S3 may invoke the function for this bucket, in this account. A bucket ARN has no
#    account in it: --source-account keeps a bucket of the same name elsewhere (after
#    this one is deleted) from invoking the function. S3 checks this permission when
#    the notification is saved, so it comes first.
echo "4. Permission for s3://${BUCKET}"
aws lambda add-permission --function-name "$FUNCTION" --statement-id s3-new-logs \
  --action lambda:InvokeFunction --principal s3.amazonaws.com \
  --source-arn "arn:aws:s3:::${BUCKET}" --source-account "$ACCOUNT" >/dev/null

# 5. The notification: every way an object is created (PUT, multipart upload, copy),
#    but only log files under AWSLogs/. The filter also keeps anything the function
#    might write into the bucket from invoking it again.
echo "5. Notification: s3:ObjectCreated:* on ${PREFIX}*${SUFFIX}"
aws s3api put-bucket-notification-configuration --bucket "$BUCKET" --notification-configuration "{
  \"LambdaFunctionConfigurations\": [{
    \"Id\": \"new-log-files\",
    \"LambdaFunctionArn\": \"${FUNCTION_ARN}\",
    \"Events\": [\"s3:ObjectCreated:*\"],
    \"Filter\": {\"Key\": {\"FilterRules\": [{\"Name\": \"prefix\", \"Value\": \"${PREFIX}\"},
                                           {\"Name\": \"suffix\", \"Value\": \"${SUFFIX}\"}]}}
  }]
}"

# 6. Lifecycle: logs are read in the first weeks, kept for a year for audits.
#    S3 Glacier Flexible Retrieval after 30 days, deleted after 365 (well past
#    Glacier's 90-day minimum storage), and unfinished multipart uploads cleaned up.
echo "6. Lifecycle: GLACIER after 30 days, expire after 365"
aws s3api put-bucket-lifecycle-configuration --bucket "$BUCKET" --lifecycle-configuration "{
  \"Rules\": [{
    \"ID\": \"archive-then-expire-logs\",
    \"Status\": \"Enabled\",
    \"Filter\": {\"Prefix\": \"${PREFIX}\"},
    \"Transitions\": [{\"Days\": 30, \"StorageClass\": \"GLACIER\"}],
    \"Expiration\": {\"Days\": 365},
    \"AbortIncompleteMultipartUpload\": {\"DaysAfterInitiation\": 7}
  }]
}" >/dev/null

echo "Done."
