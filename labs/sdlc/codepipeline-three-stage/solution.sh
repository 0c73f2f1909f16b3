#!/usr/bin/env bash
# Reference solution: a three-stage CodePipeline (Source -> Build -> Deploy).
#
#   S3 source bucket (versioned, source.zip)
#     -> CodeBuild project (buildspec inline)
#     -> S3 deploy bucket (the build output, unzipped)
#   artifacts in an S3 bucket encrypted with a customer managed KMS key,
#   the pipeline running as its own service role that only CodePipeline can assume.
#
# Uses only the AWS CLI (plus zip or python3 to pack the sample source). Region,
# credentials and endpoint come from the environment (AWS_REGION / AWS_DEFAULT_REGION,
# AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

PIPELINE="${PIPELINE:-labcheck-pipeline}"   # lab param pipeline
BUILD_PROJECT="${PIPELINE}-build"
PIPELINE_ROLE="${PIPELINE}-service-role"     # used by CodePipeline only
BUILD_ROLE="${PIPELINE}-codebuild-role"      # used by CodeBuild only

ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
PARTITION=$(aws sts get-caller-identity --query Arn --output text | cut -d: -f2)
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
# S3 bucket names are global: make them unique with the account and Region.
ARTIFACT_BUCKET="labcheck-artifacts-${ACCOUNT}-${REGION}"
SOURCE_BUCKET="labcheck-source-${ACCOUNT}-${REGION}"
DEPLOY_BUCKET="labcheck-deploy-${ACCOUNT}-${REGION}"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# IAM is eventually consistent: a role created a moment ago may not yet be usable by
# CodeBuild or CodePipeline ("... is not authorized to perform: sts:AssumeRole").
# Retry such a call for up to a minute; fail at once on any other error.
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

make_bucket() {
  # us-east-1 is the one Region that takes no LocationConstraint.
  if [[ "$REGION" == "us-east-1" ]]; then
    aws s3api create-bucket --bucket "$1" >/dev/null
  else
    aws s3api create-bucket --bucket "$1" --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
  fi
  aws s3api put-public-access-block --bucket "$1" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
}

# 1. A customer managed KMS key for the pipeline's artifacts. Its default key policy
#    lets IAM policies in this account grant its use; the two roles below do.
echo "1. KMS key for pipeline artifacts"
KEY_ARN=$(aws kms create-key --description "labcheck ${PIPELINE} artifacts" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "alias/${PIPELINE}-artifacts" --target-key-id "$KEY_ARN"

# 2. Three buckets: the artifact store (default encryption with the key), the source
#    (S3 source actions need versioning), and the deploy target.
echo "2. S3 buckets"
make_bucket "$ARTIFACT_BUCKET"
aws s3api put-bucket-encryption --bucket "$ARTIFACT_BUCKET" --server-side-encryption-configuration \
  "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"${KEY_ARN}\"},\"BucketKeyEnabled\":true}]}"
make_bucket "$SOURCE_BUCKET"
aws s3api put-bucket-versioning --bucket "$SOURCE_BUCKET" --versioning-configuration Status=Enabled
make_bucket "$DEPLOY_BUCKET"

# 3. The sample application: one HTML page, zipped, uploaded as the pipeline's source.
echo "3. Sample source -> s3://${SOURCE_BUCKET}/source.zip"
mkdir -p "$WORKDIR/app"
echo '<h1>Hello from labcheck</h1>' > "$WORKDIR/app/index.html"
if command -v zip >/dev/null; then
  (cd "$WORKDIR/app" && zip -q ../source.zip index.html)
else
  (cd "$WORKDIR/app" && python3 -m zipfile -c ../source.zip index.html)
fi
aws s3api put-object --bucket "$SOURCE_BUCKET" --key source.zip --body "$WORKDIR/source.zip" >/dev/null

# 4. The CodeBuild service role: trusted by codebuild.amazonaws.com only, allowed to
#    write its logs, read and write pipeline artifacts, and use the key.
echo "4. CodeBuild service role ${BUILD_ROLE}"
cat > "$WORKDIR/codebuild-trust.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EOF
cat > "$WORKDIR/codebuild-policy.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [
  {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
   "Resource": "arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:/aws/codebuild/${BUILD_PROJECT}*"},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
   "Resource": "arn:${PARTITION}:s3:::${ARTIFACT_BUCKET}/*"},
  {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
   "Resource": "${KEY_ARN}"}
 ]}
EOF
BUILD_ROLE_ARN=$(aws iam create-role --role-name "$BUILD_ROLE" \
  --assume-role-policy-document "file://$WORKDIR/codebuild-trust.json" --query Role.Arn --output text)
aws iam put-role-policy --role-name "$BUILD_ROLE" --policy-name codebuild-access \
  --policy-document "file://$WORKDIR/codebuild-policy.json"

# 5. The CodePipeline service role: a dedicated role, trusted by
#    codepipeline.amazonaws.com only, allowed exactly what the three actions need.
echo "5. CodePipeline service role ${PIPELINE_ROLE}"
cat > "$WORKDIR/pipeline-trust.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EOF
cat > "$WORKDIR/pipeline-policy.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
   "Resource": "arn:${PARTITION}:s3:::${ARTIFACT_BUCKET}/*"},
  {"Effect": "Allow", "Action": ["s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:ListBucket"],
   "Resource": ["arn:${PARTITION}:s3:::${ARTIFACT_BUCKET}", "arn:${PARTITION}:s3:::${SOURCE_BUCKET}"]},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
   "Resource": "arn:${PARTITION}:s3:::${SOURCE_BUCKET}/*"},
  {"Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectAcl"],
   "Resource": "arn:${PARTITION}:s3:::${DEPLOY_BUCKET}/*"},
  {"Effect": "Allow", "Action": ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
   "Resource": "arn:${PARTITION}:codebuild:${REGION}:${ACCOUNT}:project/${BUILD_PROJECT}"},
  {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
   "Resource": "${KEY_ARN}"}
 ]}
EOF
PIPELINE_ROLE_ARN=$(aws iam create-role --role-name "$PIPELINE_ROLE" \
  --assume-role-policy-document "file://$WORKDIR/pipeline-trust.json" --query Role.Arn --output text)
aws iam put-role-policy --role-name "$PIPELINE_ROLE" --policy-name codepipeline-access \
  --policy-document "file://$WORKDIR/pipeline-policy.json"

# 6. The CodeBuild project. Source and artifacts are "CODEPIPELINE": the pipeline
#    hands the project its input and collects its output, and CodeBuild ignores the
#    "location" fields (some emulators insist on them). The buildspec is inline.
echo "6. CodeBuild project ${BUILD_PROJECT}"
cat > "$WORKDIR/project.json" <<EOF
{
  "name": "${BUILD_PROJECT}",
  "source": {
    "type": "CODEPIPELINE",
    "location": "${PIPELINE}",
    "buildspec": "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"Built at \$(date)\" >> index.html\nartifacts:\n  files:\n    - index.html\n"
  },
  "artifacts": {"type": "CODEPIPELINE", "location": "${PIPELINE}"},
  "environment": {
    "type": "LINUX_CONTAINER",
    "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
    "computeType": "BUILD_GENERAL1_SMALL"
  },
  "serviceRole": "${BUILD_ROLE_ARN}",
  "encryptionKey": "${KEY_ARN}"
}
EOF
retry_iam aws codebuild create-project --cli-input-json "file://$WORKDIR/project.json" >/dev/null

# 7. The pipeline: Source (S3) -> Build (CodeBuild) -> Deploy (S3, extracted), its
#    artifact store encrypted with the KMS key, running as the dedicated role.
echo "7. Pipeline ${PIPELINE}"
cat > "$WORKDIR/pipeline.json" <<EOF
{
  "pipeline": {
    "name": "${PIPELINE}",
    "roleArn": "${PIPELINE_ROLE_ARN}",
    "pipelineType": "V2",
    "executionMode": "SUPERSEDED",
    "artifactStore": {
      "type": "S3",
      "location": "${ARTIFACT_BUCKET}",
      "encryptionKey": {"id": "${KEY_ARN}", "type": "KMS"}
    },
    "stages": [
      {"name": "Source", "actions": [{
        "name": "Source", "runOrder": 1,
        "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
        "configuration": {"S3Bucket": "${SOURCE_BUCKET}", "S3ObjectKey": "source.zip", "PollForSourceChanges": "false"},
        "outputArtifacts": [{"name": "SourceOutput"}]}]},
      {"name": "Build", "actions": [{
        "name": "Build", "runOrder": 1,
        "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
        "configuration": {"ProjectName": "${BUILD_PROJECT}"},
        "inputArtifacts": [{"name": "SourceOutput"}],
        "outputArtifacts": [{"name": "BuildOutput"}]}]},
      {"name": "Deploy", "actions": [{
        "name": "Deploy", "runOrder": 1,
        "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "S3", "version": "1"},
        "configuration": {"BucketName": "${DEPLOY_BUCKET}", "Extract": "true"},
        "inputArtifacts": [{"name": "BuildOutput"}]}]}
    ]
  }
}
EOF
retry_iam aws codepipeline create-pipeline --cli-input-json "file://$WORKDIR/pipeline.json" >/dev/null

# 8. Run it and wait for the result. (AWS also starts a run when the pipeline is
#    created; this newer run supersedes it.) A run takes a few minutes on AWS.
echo "8. Start an execution and wait for it"
EXECUTION_ID=$(aws codepipeline start-pipeline-execution --name "$PIPELINE" --query pipelineExecutionId --output text)
for _ in $(seq 1 90); do
  STATUS=$(aws codepipeline get-pipeline-execution --pipeline-name "$PIPELINE" \
    --pipeline-execution-id "$EXECUTION_ID" --query pipelineExecution.status --output text)
  [[ "$STATUS" == "InProgress" ]] || break
  sleep 10
done
echo "   execution ${EXECUTION_ID}: ${STATUS}"
if [[ "$STATUS" != "Succeeded" ]]; then
  echo "   See which stage failed: aws codepipeline get-pipeline-state --name ${PIPELINE}" >&2
  exit 1
fi
echo "Done. The deployed page: s3://${DEPLOY_BUCKET}/index.html"
