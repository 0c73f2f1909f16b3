#!/usr/bin/env bash
# Reference solution: protect the bucket that holds customer exports.
#
#   customer managed KMS key -> bucket default encryption SSE-KMS (+ S3 Bucket Key)
#   bucket: all public access blocked, versioning on,
#           policy denying every request that does not use TLS
#   exporter Lambda function: finds the bucket in its DATA_BUCKET variable
#
# Uses only the AWS CLI (and python3 to zip the function code). Region, credentials and
# endpoint come from the environment (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or
# keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

FUNCTION="${FUNCTION:-labcheck-sec-exporter}"   # lab param function
FUNCTION_ROLE="labcheck-sec-exporter-role"
KEY_ALIAS="alias/labcheck-sec-exports"

CALLER_ARN=$(aws sts get-caller-identity --query Arn --output text)
ACCOUNT=$(cut -d: -f5 <<<"$CALLER_ARN")
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
BUCKET="labcheck-sec-exports-${ACCOUNT}-${REGION}"   # bucket names are global: make it unique

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. A customer managed key for the data: you control its policy, rotation and
#    deletion, and CloudTrail shows every use of it. (The AWS managed key aws/s3 can
#    be neither restricted nor shared.) New key material every year.
echo "1. KMS key ${KEY_ALIAS} (rotation on)"
KEY_ARN=$(aws kms create-key --description "Customer exports in s3://${BUCKET}" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "$KEY_ALIAS" --target-key-id "$KEY_ARN"
aws kms enable-key-rotation --key-id "$KEY_ARN"

# 2. The bucket: private (all four Block Public Access settings), versioned (an
#    overwritten or deleted export can be recovered), and encrypted by default with
#    the key. The S3 Bucket Key lets S3 reuse a bucket-level data key, which cuts KMS
#    requests (and their cost and throttling) by up to 99%.
echo "2. Bucket s3://${BUCKET}"
if [[ "$REGION" == "us-east-1" ]]; then
  aws s3api create-bucket --bucket "$BUCKET" >/dev/null
else
  aws s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
fi
aws s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3api put-bucket-versioning --bucket "$BUCKET" --versioning-configuration Status=Enabled
aws s3api put-bucket-encryption --bucket "$BUCKET" --server-side-encryption-configuration \
  "{\"Rules\": [{\"ApplyServerSideEncryptionByDefault\": {\"SSEAlgorithm\": \"aws:kms\", \"KMSMasterKeyID\": \"${KEY_ARN}\"},
                 \"BucketKeyEnabled\": true}]}"

# 3. Encryption in transit: deny every request made over plain HTTP, from anyone, to
#    the bucket and to its objects.
echo "3. Bucket policy: TLS only"
cat > "$WORKDIR/policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
   "Resource": ["arn:${PARTITION}:s3:::${BUCKET}", "arn:${PARTITION}:s3:::${BUCKET}/*"],
   "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
 ]}
JSON
aws s3api put-bucket-policy --bucket "$BUCKET" --policy "file://$WORKDIR/policy.json"

# 4. The exporter function that writes into the bucket. Its role may write objects
#    there and use the key for that, nothing else. (Creating the function does not run it.)
echo "4. Function ${FUNCTION}"
cat > "$WORKDIR/trust.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
JSON
cat > "$WORKDIR/role-policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:${PARTITION}:s3:::${BUCKET}/*"},
  {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "${KEY_ARN}"}
 ]}
JSON
ROLE_ARN=$(aws iam create-role --role-name "$FUNCTION_ROLE" \
  --assume-role-policy-document "file://$WORKDIR/trust.json" --query Role.Arn --output text)
aws iam put-role-policy --role-name "$FUNCTION_ROLE" --policy-name write-exports \
  --policy-document "file://$WORKDIR/role-policy.json"
python3 - "$WORKDIR/function.zip" <<'PY'
import sys, zipfile
code = '''import datetime, json, os
import boto3

def handler(event, context):
    key = "exports/%s.json" % datetime.date.today().isoformat()
    boto3.client("s3").put_object(Bucket=os.environ["DATA_BUCKET"], Key=key, Body=json.dumps(event))
    return {"written": key}
'''
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("index.py", code)
PY
# A role just created may take a few seconds before Lambda can assume it; retry if told so.
aws lambda create-function --function-name "$FUNCTION" --runtime python3.12 --handler index.handler \
  --role "$ROLE_ARN" --zip-file "fileb://$WORKDIR/function.zip" \
  --environment "Variables={DATA_BUCKET=${BUCKET}}" >/dev/null

echo "Done. Check it: aws s3api get-bucket-encryption --bucket ${BUCKET}"
