#!/usr/bin/env bash
# Reference solution: an account-wide audit trail.
#
#   S3 bucket (all public access blocked, policy lets CloudTrail write)
#   customer managed KMS key (policy lets CloudTrail encrypt)
#   CloudWatch Logs log group + a role CloudTrail assumes to write into it
#   -> trail: every Region, global service events, log file validation,
#      read and write management events, logging started
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

TRAIL="${TRAIL:-labcheck-sec-audit-trail}"        # lab param trail
LOG_GROUP="/labcheck/sec/cloudtrail"
CWL_ROLE="labcheck-sec-trail-cwl-role"
KEY_ALIAS="alias/labcheck-sec-trail"

CALLER_ARN=$(aws sts get-caller-identity --query Arn --output text)
ACCOUNT=$(cut -d: -f5 <<<"$CALLER_ARN")
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
BUCKET="labcheck-sec-trail-${ACCOUNT}-${REGION}"   # bucket names are global: make it unique
TRAIL_ARN="arn:${PARTITION}:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. The bucket the log files go to. Audit logs must never be public: block all four
#    kinds of public access. The policy lets CloudTrail (for this trail only) check the
#    bucket ACL and write under AWSLogs/<account>/.
echo "1. Trail bucket s3://${BUCKET}"
if [[ "$REGION" == "us-east-1" ]]; then
  aws s3api create-bucket --bucket "$BUCKET" >/dev/null
else
  aws s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
fi
aws s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
cat > "$WORKDIR/bucket-policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
   "Principal": {"Service": "cloudtrail.amazonaws.com"},
   "Action": "s3:GetBucketAcl",
   "Resource": "arn:${PARTITION}:s3:::${BUCKET}",
   "Condition": {"StringEquals": {"aws:SourceArn": "${TRAIL_ARN}"}}},
  {"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
   "Principal": {"Service": "cloudtrail.amazonaws.com"},
   "Action": "s3:PutObject",
   "Resource": "arn:${PARTITION}:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*",
   "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": "${TRAIL_ARN}"}}}
 ]}
JSON
aws s3api put-bucket-policy --bucket "$BUCKET" --policy "file://$WORKDIR/bucket-policy.json"

# 2. A customer managed key for the log files (SSE-KMS). CloudTrail may generate data
#    keys for this account's trails; principals of the account may decrypt the logs.
echo "2. KMS key ${KEY_ALIAS}"
cat > "$WORKDIR/key-policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "EnableIAMUserPermissions", "Effect": "Allow",
   "Principal": {"AWS": "arn:${PARTITION}:iam::${ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": "AllowCloudTrailToEncryptLogs", "Effect": "Allow",
   "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*", "Resource": "*",
   "Condition": {"StringEquals": {"aws:SourceArn": "${TRAIL_ARN}"},
                 "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:${PARTITION}:cloudtrail:*:${ACCOUNT}:trail/*"}}},
  {"Sid": "AllowCloudTrailToDescribeKey", "Effect": "Allow",
   "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:DescribeKey", "Resource": "*"},
  {"Sid": "AllowLogDecryptionInThisAccount", "Effect": "Allow",
   "Principal": {"AWS": "*"}, "Action": ["kms:Decrypt", "kms:ReEncryptFrom"], "Resource": "*",
   "Condition": {"StringEquals": {"kms:CallerAccount": "${ACCOUNT}"},
                 "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:${PARTITION}:cloudtrail:*:${ACCOUNT}:trail/*"}}}
 ]}
JSON
KEY_ARN=$(aws kms create-key --description "CloudTrail log files (${TRAIL})" \
  --policy "file://$WORKDIR/key-policy.json" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "$KEY_ALIAS" --target-key-id "$KEY_ARN"
aws kms enable-key-rotation --key-id "$KEY_ARN"

# 3. CloudWatch Logs delivery: a log group (with a retention), and a role that only
#    CloudTrail can assume, allowed to write log streams into that group only.
echo "3. Log group ${LOG_GROUP} and role ${CWL_ROLE}"
aws logs create-log-group --log-group-name "$LOG_GROUP"
aws logs put-retention-policy --log-group-name "$LOG_GROUP" --retention-in-days 365
LOG_GROUP_ARN="arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}"
cat > "$WORKDIR/trust.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": "${ACCOUNT}"}}}]}
JSON
cat > "$WORKDIR/cwl-policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": "${LOG_GROUP_ARN}:log-stream:${ACCOUNT}_CloudTrail_*"}]}
JSON
CWL_ROLE_ARN=$(aws iam create-role --role-name "$CWL_ROLE" \
  --assume-role-policy-document "file://$WORKDIR/trust.json" --query Role.Arn --output text)
aws iam put-role-policy --role-name "$CWL_ROLE" --policy-name cloudtrail-to-cloudwatch-logs \
  --policy-document "file://$WORKDIR/cwl-policy.json"

# 4. The trail: all Regions (and the global services such as IAM, whose events land in
#    us-east-1), a signed digest file every hour so tampering is detectable, encrypted
#    with the key, copied to CloudWatch Logs for metric filters and alarms.
#    (A role just created may take a few seconds before CloudTrail can assume it;
#    retry the call if it says so.)
echo "4. Trail ${TRAIL}"
aws cloudtrail create-trail --name "$TRAIL" \
  --s3-bucket-name "$BUCKET" \
  --is-multi-region-trail \
  --include-global-service-events \
  --enable-log-file-validation \
  --kms-key-id "$KEY_ARN" \
  --cloud-watch-logs-log-group-arn "${LOG_GROUP_ARN}:*" \
  --cloud-watch-logs-role-arn "$CWL_ROLE_ARN" >/dev/null

# 5. Record every management event, reads included (who listed the secrets?), and
#    start logging: a trail does not record anything until it is started.
echo "5. Management events (read and write), start logging"
aws cloudtrail put-event-selectors --trail-name "$TRAIL" \
  --event-selectors '[{"ReadWriteType": "All", "IncludeManagementEvents": true}]' >/dev/null
aws cloudtrail start-logging --name "$TRAIL"

echo "Done. Check it: aws cloudtrail get-trail-status --name ${TRAIL}"
