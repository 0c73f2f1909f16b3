#!/usr/bin/env bash
# Reference solution: replicate a data bucket to a second Region, within 15 minutes,
# and be told when replication fails.
#
#   source bucket (home Region, versioned, noncurrent versions expire after 30 days)
#     --replication rule (whole bucket, delete markers, RTC 15 min, metrics)-->
#   destination bucket (us-west-2, versioned, STANDARD_IA replicas)
#   replication role, trusted by s3.amazonaws.com only
#   CloudWatch alarm on OperationsFailedReplication -> SNS topic
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

ALARM="${ALARM:-labcheck-res-replication-failed}"   # lab param alarm
DR_REGION="us-west-2"
ROLE="labcheck-res-s3-replication-role"
TOPIC="labcheck-res-replication-alerts"
RULE_ID="whole-bucket-to-${DR_REGION}"

ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
# Bucket names are global: make them unique with the account and Region.
SOURCE="labcheck-res-data-${ACCOUNT}-${REGION}"
DEST="labcheck-res-data-${ACCOUNT}-${DR_REGION}"

# 1. The two buckets, both versioned: replication copies object versions, so both
#    sides need versioning before a replication rule can be added.
echo "1. Buckets s3://${SOURCE} and s3://${DEST} (${DR_REGION}), versioned"
if [[ "$REGION" == "us-east-1" ]]; then
  aws s3api create-bucket --bucket "$SOURCE" >/dev/null
else
  aws s3api create-bucket --bucket "$SOURCE" --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
fi
aws s3api create-bucket --region "$DR_REGION" --bucket "$DEST" \
  --create-bucket-configuration "LocationConstraint=${DR_REGION}" >/dev/null
aws s3api put-bucket-versioning --bucket "$SOURCE" --versioning-configuration Status=Enabled
aws s3api put-bucket-versioning --region "$DR_REGION" --bucket "$DEST" --versioning-configuration Status=Enabled

# 2. The replication role: only S3 may assume it; it may read the source's versions
#    and write replicas (and delete markers) into the destination, nothing else.
echo "2. Replication role ${ROLE}"
ROLE_ARN=$(aws iam create-role --role-name "$ROLE" --assume-role-policy-document \
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
  --query Role.Arn --output text)
aws iam put-role-policy --role-name "$ROLE" --policy-name replicate-${SOURCE} --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetReplicationConfiguration\", \"s3:ListBucket\"],
     \"Resource\": \"arn:aws:s3:::${SOURCE}\"},
    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObjectVersionForReplication\", \"s3:GetObjectVersionAcl\", \"s3:GetObjectVersionTagging\"],
     \"Resource\": \"arn:aws:s3:::${SOURCE}/*\"},
    {\"Effect\": \"Allow\", \"Action\": [\"s3:ReplicateObject\", \"s3:ReplicateDelete\", \"s3:ReplicateTags\"],
     \"Resource\": \"arn:aws:s3:::${DEST}/*\"}
  ]}"

# 3. The replication rule: the whole bucket (empty filter), delete markers too (a
#    deleted object looks deleted in both Regions), S3 Replication Time Control
#    (99.99 % of objects within 15 minutes: a recovery point objective you can state)
#    with its metrics, and replicas in Standard-IA, which keeps them in 3+ AZs.
echo "3. Replication ${SOURCE} -> ${DEST}"
aws s3api put-bucket-replication --bucket "$SOURCE" --replication-configuration "{
  \"Role\": \"${ROLE_ARN}\",
  \"Rules\": [{
    \"ID\": \"${RULE_ID}\",
    \"Status\": \"Enabled\",
    \"Priority\": 1,
    \"Filter\": {},
    \"DeleteMarkerReplication\": {\"Status\": \"Enabled\"},
    \"Destination\": {
      \"Bucket\": \"arn:aws:s3:::${DEST}\",
      \"StorageClass\": \"STANDARD_IA\",
      \"ReplicationTime\": {\"Status\": \"Enabled\", \"Time\": {\"Minutes\": 15}},
      \"Metrics\": {\"Status\": \"Enabled\", \"EventThreshold\": {\"Minutes\": 15}}
    }
  }]}"

# 4. Lifecycle on both sides: versioning keeps every overwritten or deleted version
#    forever unless a rule expires them. 30 days of history is the recovery window.
echo "4. Lifecycle: noncurrent versions expire after 30 days"
LIFECYCLE='{"Rules":[{"ID":"expire-old-versions","Status":"Enabled","Filter":{},
  "NoncurrentVersionExpiration":{"NoncurrentDays":30},
  "AbortIncompleteMultipartUpload":{"DaysAfterInitiation":7}}]}'
aws s3api put-bucket-lifecycle-configuration --bucket "$SOURCE" --lifecycle-configuration "$LIFECYCLE"
aws s3api put-bucket-lifecycle-configuration --region "$DR_REGION" --bucket "$DEST" --lifecycle-configuration "$LIFECYCLE"

# 5. Know when it breaks: with replication metrics on, S3 publishes
#    OperationsFailedReplication per rule (in the source's Region). Any failed
#    operation within 5 minutes notifies the topic.
echo "5. Alarm ${ALARM} on OperationsFailedReplication -> SNS ${TOPIC}"
TOPIC_ARN=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)
aws cloudwatch put-metric-alarm --alarm-name "$ALARM" \
  --alarm-description "S3 replication ${SOURCE} -> ${DEST} failed" \
  --namespace AWS/S3 --metric-name OperationsFailedReplication \
  --dimensions "Name=SourceBucket,Value=${SOURCE}" "Name=DestinationBucket,Value=${DEST}" "Name=RuleId,Value=${RULE_ID}" \
  --statistic Sum --period 300 --evaluation-periods 1 --threshold 0 \
  --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching \
  --alarm-actions "$TOPIC_ARN"

echo "Done. Upload an object to s3://${SOURCE} and watch its ReplicationStatus (aws s3api head-object) turn COMPLETED."
