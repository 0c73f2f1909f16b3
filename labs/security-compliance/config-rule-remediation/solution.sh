#!/usr/bin/env bash
# Reference solution: an AWS Config rule that finds unencrypted S3 buckets, and an
# automatic remediation that encrypts them.
#
#   configuration recorder (records S3 buckets) + delivery channel -> recording
#   managed rule S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED, scoped to AWS::S3::Bucket
#   remediation: SSM Automation runbook AWS-EnableS3BucketEncryption, automatic,
#     BucketName = the noncompliant resource's ID, run as a role SSM can assume
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

RULE_NAME="s3-bucket-server-side-encryption-enabled"   # any name will do; the lab finds the rule by its source
RECORDER_NAME="default"
REMEDIATION_ROLE="labcheck-config-remediation-role"

ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
PARTITION=$(aws sts get-caller-identity --query Arn --output text | cut -d: -f2)
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
CONFIG_BUCKET="labcheck-config-${ACCOUNT}-${REGION}"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. The service-linked role AWS Config records with. It exists once per account;
#    creating it again fails, which is fine.
echo "1. Service-linked role for AWS Config"
if ! out=$(aws iam create-service-linked-role --aws-service-name config.amazonaws.com 2>&1); then
  grep -qiE 'taken|exists' <<<"$out" || { echo "$out" >&2; exit 1; }
fi
CONFIG_ROLE_ARN="arn:${PARTITION}:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"

# 2. The configuration recorder: record every supported resource type in this Region
#    (S3 buckets included). Global types (IAM) are recorded in one Region only.
echo "2. Configuration recorder ${RECORDER_NAME}"
aws configservice put-configuration-recorder \
  --configuration-recorder "name=${RECORDER_NAME},roleARN=${CONFIG_ROLE_ARN}" \
  --recording-group allSupported=true,includeGlobalResourceTypes=false

# 3. The delivery channel: where Config writes configuration history and snapshots.
#    The bucket policy lets the Config service write into it, for this account only.
echo "3. Delivery channel -> s3://${CONFIG_BUCKET}"
if [[ "$REGION" == "us-east-1" ]]; then
  aws s3api create-bucket --bucket "$CONFIG_BUCKET" >/dev/null
else
  aws s3api create-bucket --bucket "$CONFIG_BUCKET" --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
fi
cat > "$WORKDIR/bucket-policy.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "AWSConfigBucketPermissionsCheck", "Effect": "Allow",
   "Principal": {"Service": "config.amazonaws.com"},
   "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
   "Resource": "arn:${PARTITION}:s3:::${CONFIG_BUCKET}",
   "Condition": {"StringEquals": {"AWS:SourceAccount": "${ACCOUNT}"}}},
  {"Sid": "AWSConfigBucketDelivery", "Effect": "Allow",
   "Principal": {"Service": "config.amazonaws.com"},
   "Action": "s3:PutObject",
   "Resource": "arn:${PARTITION}:s3:::${CONFIG_BUCKET}/AWSLogs/${ACCOUNT}/Config/*",
   "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "AWS:SourceAccount": "${ACCOUNT}"}}}
 ]}
EOF
aws s3api put-bucket-policy --bucket "$CONFIG_BUCKET" --policy "file://$WORKDIR/bucket-policy.json"
aws configservice put-delivery-channel \
  --delivery-channel "name=default,s3BucketName=${CONFIG_BUCKET}"

# 4. Start recording. (A recorder needs a delivery channel before it can start.)
echo "4. Start the recorder"
aws configservice start-configuration-recorder --configuration-recorder-name "$RECORDER_NAME"

# 5. The AWS managed rule. It is evaluated when an S3 bucket's configuration changes;
#    the scope limits it to S3 buckets.
echo "5. Config rule ${RULE_NAME}"
cat > "$WORKDIR/rule.json" <<EOF
{
  "ConfigRuleName": "${RULE_NAME}",
  "Description": "Checks that S3 buckets have default server-side encryption enabled.",
  "Scope": {"ComplianceResourceTypes": ["AWS::S3::Bucket"]},
  "Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"}
}
EOF
aws configservice put-config-rule --config-rule "file://$WORKDIR/rule.json"

# 6. The role the remediation runs as. SSM Automation assumes it (trust:
#    ssm.amazonaws.com) and may only turn on bucket encryption.
echo "6. Remediation role ${REMEDIATION_ROLE}"
cat > "$WORKDIR/ssm-trust.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": "${ACCOUNT}"}}}]}
EOF
cat > "$WORKDIR/ssm-policy.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": ["s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration"],
                "Resource": "arn:${PARTITION}:s3:::*"}]}
EOF
REMEDIATION_ROLE_ARN=$(aws iam create-role --role-name "$REMEDIATION_ROLE" \
  --assume-role-policy-document "file://$WORKDIR/ssm-trust.json" --query Role.Arn --output text)
aws iam put-role-policy --role-name "$REMEDIATION_ROLE" --policy-name enable-s3-encryption \
  --policy-document "file://$WORKDIR/ssm-policy.json"

# 7. The remediation: when the rule finds a noncompliant bucket, run the runbook
#    AWS-EnableS3BucketEncryption with BucketName = that bucket (RESOURCE_ID),
#    SSE-S3 (AES256), as the role above. Automatic, retried up to 5 times within
#    60 seconds if it fails.
echo "7. Automatic remediation with AWS-EnableS3BucketEncryption"
cat > "$WORKDIR/remediation.json" <<EOF
[{
  "ConfigRuleName": "${RULE_NAME}",
  "TargetType": "SSM_DOCUMENT",
  "TargetId": "AWS-EnableS3BucketEncryption",
  "ResourceType": "AWS::S3::Bucket",
  "Parameters": {
    "AutomationAssumeRole": {"StaticValue": {"Values": ["${REMEDIATION_ROLE_ARN}"]}},
    "BucketName": {"ResourceValue": {"Value": "RESOURCE_ID"}},
    "SSEAlgorithm": {"StaticValue": {"Values": ["AES256"]}}
  },
  "Automatic": true,
  "MaximumAutomaticAttempts": 5,
  "RetryAttemptSeconds": 60
}]
EOF
FAILED=$(aws configservice put-remediation-configurations \
  --remediation-configurations "file://$WORKDIR/remediation.json" --query 'length(FailedBatches)' --output text)
if [[ "$FAILED" != "0" ]]; then
  echo "put-remediation-configurations rejected the configuration" >&2
  exit 1
fi

echo "Done. Check it: aws configservice describe-remediation-configurations --config-rule-names ${RULE_NAME}"
