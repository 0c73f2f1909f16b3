#!/usr/bin/env bash
# Reference solution: a CodeBuild project that builds an application safely.
#
#   S3 bucket: source/app.zip (the source)  and  builds/ (the build output)
#   CodeBuild project: inline buildspec, AWS managed image, not privileged,
#     20-minute timeout, logs to a named CloudWatch Logs group (30 days retention),
#     artifacts zipped to S3 and encrypted with a customer managed KMS key,
#     running as a service role that only CodeBuild can assume.
#
# Uses only the AWS CLI (plus zip or python3 to pack the sample source). Region,
# credentials and endpoint come from the environment (AWS_REGION / AWS_DEFAULT_REGION,
# AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

PROJECT="${PROJECT:-labcheck-sdlc-app-build}"        # lab param project
LOG_GROUP="${LOG_GROUP:-/labcheck/sdlc/app-build}"   # lab param log_group
ROLE="${PROJECT}-role"

read -r ACCOUNT CALLER_ARN < <(aws sts get-caller-identity --query '[Account, Arn]' --output text)
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")   # aws, aws-cn or aws-us-gov
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
# S3 bucket names are global: make the name unique with the account and Region.
BUCKET="labcheck-sdlc-app-build-${ACCOUNT}-${REGION}"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# IAM is eventually consistent: CodeBuild may refuse a role created a second ago
# ("CodeBuild is not authorized to perform: sts:AssumeRole"). Retry such a call for
# up to a minute; fail at once on any other error.
retry_iam() {
  local attempt=1 out
  until out=$("$@" 2>&1); do
    if (( attempt >= 10 )) || ! grep -qiE 'assumerole|not authorized|role' <<<"$out"; then
      echo "$out" >&2
      return 1
    fi
    echo "   (the new role is not usable yet; retrying in 6s)"
    sleep 6
    attempt=$((attempt + 1))
  done
}

# 1. A customer managed KMS key for the build output. (Without one, CodeBuild uses
#    the AWS managed key aws/s3, which cannot be shared with another account.)
echo "1. KMS key for build artifacts"
KEY_ARN=$(aws kms create-key --description "labcheck ${PROJECT} artifacts" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "alias/${PROJECT}" --target-key-id "$KEY_ARN"

# 2. One private bucket: the zipped source under source/, the build output under builds/.
#    S3 sources must be versioned so that each build records which version it built.
echo "2. Bucket s3://${BUCKET}"
if [[ "$REGION" == "us-east-1" ]]; then
  aws s3api create-bucket --bucket "$BUCKET" >/dev/null
else
  aws s3api create-bucket --bucket "$BUCKET" --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
fi
aws s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
aws s3api put-bucket-versioning --bucket "$BUCKET" --versioning-configuration Status=Enabled

mkdir -p "$WORKDIR/app"
printf 'build:\n\tmkdir -p dist && echo "<h1>app</h1>" > dist/index.html\n' > "$WORKDIR/app/Makefile"
if command -v zip >/dev/null; then
  (cd "$WORKDIR/app" && zip -q ../app.zip Makefile)
else
  (cd "$WORKDIR/app" && python3 -m zipfile -c ../app.zip Makefile)
fi
aws s3api put-object --bucket "$BUCKET" --key source/app.zip --body "$WORKDIR/app.zip" >/dev/null

# 3. The log group the builds write to, with a retention so logs do not pile up forever.
#    (CodeBuild would create /aws/codebuild/<project> itself, with no retention.)
echo "3. Log group ${LOG_GROUP} (30 days)"
aws logs create-log-group --log-group-name "$LOG_GROUP"
aws logs put-retention-policy --log-group-name "$LOG_GROUP" --retention-in-days 30

# 4. The service role: only codebuild.amazonaws.com may assume it, and it may do
#    only what a build needs: write its logs, read the source, write the output, use the key.
echo "4. Service role ${ROLE}"
cat > "$WORKDIR/trust.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
JSON
cat > "$WORKDIR/policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
   "Resource": "arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:*"},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
   "Resource": "arn:${PARTITION}:s3:::${BUCKET}/source/*"},
  {"Effect": "Allow", "Action": ["s3:PutObject"],
   "Resource": "arn:${PARTITION}:s3:::${BUCKET}/builds/*"},
  {"Effect": "Allow", "Action": ["s3:GetBucketAcl", "s3:GetBucketLocation"],
   "Resource": "arn:${PARTITION}:s3:::${BUCKET}"},
  {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
   "Resource": "${KEY_ARN}"}
 ]}
JSON
ROLE_ARN=$(aws iam create-role --role-name "$ROLE" \
  --assume-role-policy-document "file://$WORKDIR/trust.json" --query Role.Arn --output text)
aws iam put-role-policy --role-name "$ROLE" --policy-name codebuild-access \
  --policy-document "file://$WORKDIR/policy.json"

# 5. The project. The buildspec is inline: phases (install, build) and the files the
#    build publishes as its artifact. A managed image (patched by AWS, cached on the
#    build hosts), no privileged mode (the build needs no Docker daemon), and a
#    20-minute timeout so a hung build stops long before the 60-minute default.
echo "5. CodeBuild project ${PROJECT}"
cat > "$WORKDIR/project.json" <<JSON
{
  "name": "${PROJECT}",
  "description": "Builds the application from s3://${BUCKET}/source/app.zip",
  "source": {"type": "S3", "location": "${BUCKET}/source/app.zip", "buildspec":
             "version: 0.2\nphases:\n  install:\n    runtime-versions:\n      python: 3.12\n  build:\n    commands:\n      - make build\nartifacts:\n  files:\n    - \"**/*\"\n  base-directory: dist\n"},
  "artifacts": {"type": "S3", "location": "${BUCKET}", "path": "builds", "name": "app.zip",
                "packaging": "ZIP", "namespaceType": "BUILD_ID", "encryptionDisabled": false},
  "environment": {"type": "LINUX_CONTAINER", "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
                  "computeType": "BUILD_GENERAL1_SMALL", "privilegedMode": false},
  "serviceRole": "${ROLE_ARN}",
  "timeoutInMinutes": 20,
  "encryptionKey": "${KEY_ARN}",
  "logsConfig": {"cloudWatchLogs": {"status": "ENABLED", "groupName": "${LOG_GROUP}", "streamName": "build"},
                 "s3Logs": {"status": "DISABLED"}}
}
JSON
retry_iam aws codebuild create-project --cli-input-json "file://$WORKDIR/project.json" >/dev/null

echo "Done. Start a build with: aws codebuild start-build --project-name ${PROJECT}"
