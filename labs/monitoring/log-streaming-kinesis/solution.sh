#!/usr/bin/env bash
# Reference solution: stream an application's logs to Kinesis for real-time analysis.
#
#   log group (encrypted with a customer managed KMS key, 30 days retention)
#     --subscription filter (role trusted by CloudWatch Logs)--> Kinesis data stream
#        (encrypted, 3 days retention) --> consumers (Lambda, Flink, Firehose...)
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment.
set -euo pipefail

LOG_GROUP="${LOG_GROUP:-/labcheck/mon/orders}"          # lab param log_group
STREAM="${STREAM:-labcheck-mon-orders-logs}"            # lab param stream
KEY_ALIAS="${KEY_ALIAS:-alias/labcheck-mon-logs}"       # lab param key_alias
ROLE="labcheck-mon-logs-to-kinesis"
FILTER="to-kinesis"

# 1. The stream, created first: it takes a few seconds to become ACTIVE on AWS.
#    On-demand capacity (no shards to size), encrypted at rest with KMS, and records
#    kept 72 hours instead of the default 24, so a consumer that is down over a
#    weekend night can catch up.
echo "1. Kinesis data stream ${STREAM}"
aws kinesis create-stream --stream-name "$STREAM" --stream-mode-details StreamMode=ON_DEMAND

# 2. The customer managed key for the log group. Its key policy must let the CloudWatch
#    Logs service of this Region use it, for log groups of this account only; the
#    account keeps full control. Rotation on: a new key version every year.
echo "2. KMS key ${KEY_ALIAS}, rotation enabled"
ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
KEY_ARN=$(aws kms create-key --description "CloudWatch Logs ${LOG_GROUP}" --query KeyMetadata.Arn --output text \
  --policy "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Sid\": \"AccountAdmin\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::${ACCOUNT}:root\"},
     \"Action\": \"kms:*\", \"Resource\": \"*\"},
    {\"Sid\": \"CloudWatchLogs\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"logs.${REGION}.amazonaws.com\"},
     \"Action\": [\"kms:Encrypt*\", \"kms:Decrypt*\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:Describe*\"],
     \"Resource\": \"*\",
     \"Condition\": {\"ArnLike\": {\"kms:EncryptionContext:aws:logs:arn\": \"arn:aws:logs:${REGION}:${ACCOUNT}:log-group:*\"}}}
  ]
}")
aws kms create-alias --alias-name "$KEY_ALIAS" --target-key-id "$KEY_ARN"
aws kms enable-key-rotation --key-id "$KEY_ARN"

# 3. The log group, encrypted with that key, keeping 30 days of logs.
echo "3. Log group ${LOG_GROUP}"
aws logs create-log-group --log-group-name "$LOG_GROUP" --kms-key-id "$KEY_ARN"
aws logs put-retention-policy --log-group-name "$LOG_GROUP" --retention-in-days 30

# 4. The role CloudWatch Logs assumes to write to the stream: trusted by the logs
#    service for this account's log groups only, allowed to put records in this stream.
echo "4. Role ${ROLE}"
ROLE_ARN=$(aws iam create-role --role-name "$ROLE" --query Role.Arn --output text --assume-role-policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"logs.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\",
                   \"Condition\": {\"StringLike\": {\"aws:SourceArn\": \"arn:aws:logs:${REGION}:${ACCOUNT}:*\"}}}]
}")
STREAM_ARN="arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${STREAM}"
aws iam put-role-policy --role-name "$ROLE" --policy-name put-records --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"kinesis:PutRecord\", \"Resource\": \"${STREAM_ARN}\"}]
}"

# 5. The stream's encryption and retention (the stream must be ACTIVE for both).
echo "5. Stream encryption and retention"
aws kinesis wait stream-exists --stream-name "$STREAM"
aws kinesis start-stream-encryption --stream-name "$STREAM" --encryption-type KMS --key-id alias/aws/kinesis
aws kinesis wait stream-exists --stream-name "$STREAM"
aws kinesis increase-stream-retention-period --stream-name "$STREAM" --retention-period-hours 72

# 6. The subscription filter: every event of the log group (an empty pattern) goes to
#    the stream. CloudWatch Logs tests the role when the filter is created, and a new
#    role takes a few seconds to be usable on AWS: retry while it is not.
echo "6. Subscription filter ${FILTER} -> ${STREAM}"
for attempt in 1 2 3 4 5 6; do
  if aws logs put-subscription-filter --log-group-name "$LOG_GROUP" --filter-name "$FILTER" \
      --filter-pattern "" --destination-arn "$STREAM_ARN" --role-arn "$ROLE_ARN"; then
    break
  fi
  [[ $attempt -lt 6 ]] || exit 1
  sleep 5
done

echo "Done."
