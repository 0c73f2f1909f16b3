#!/usr/bin/env bash
# Reference solution: a pipeline whose Test stage runs automated tests before Deploy.
#
#   Source (S3 source.zip) -> Build (CodeBuild) -> Test -> Deploy (S3)
#   Test stage: 1. unit tests in a CodeBuild test project (JUnit and coverage reports;
#                  a failing test fails the action)
#               2. an integration test in Lambda: it opens the build output and
#                  reports success or failure to CodePipeline
#
# Uses only the AWS CLI (plus zip or python3 to pack the sample source and function).
# Region, credentials and endpoint come from the environment (AWS_REGION /
# AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

PIPELINE="${PIPELINE:-labcheck-sdlc-tested-pipeline}"   # lab param pipeline
BUILD_PROJECT="labcheck-sdlc-tested-build"
TEST_PROJECT="labcheck-sdlc-tested-unit-tests"
FUNCTION="labcheck-sdlc-tested-integration"
PIPELINE_ROLE="labcheck-sdlc-tested-pipeline-role"
BUILD_ROLE="labcheck-sdlc-tested-codebuild-role"
FUNCTION_ROLE="labcheck-sdlc-tested-integration-role"

read -r ACCOUNT CALLER_ARN < <(aws sts get-caller-identity --query '[Account, Arn]' --output text)
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")   # aws, aws-cn or aws-us-gov
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
# S3 bucket names are global: make them unique with the account and Region.
ARTIFACT_BUCKET="labcheck-sdlc-tested-artifacts-${ACCOUNT}-${REGION}"
SOURCE_BUCKET="labcheck-sdlc-tested-source-${ACCOUNT}-${REGION}"
DEPLOY_BUCKET="labcheck-sdlc-tested-deploy-${ACCOUNT}-${REGION}"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# IAM is eventually consistent: a role created a moment ago may be refused by
# CodeBuild, Lambda or CodePipeline. Retry such a call for up to a minute; fail at
# once on any other error.
retry_iam() {
  local attempt=1 out
  until out=$("$@" 2>&1); do
    if (( attempt >= 10 )) || ! grep -qiE 'assumerole|assumed|not authorized|role' <<<"$out"; then
      echo "$out" >&2
      return 1
    fi
    echo "   (the new role is not usable yet; retrying in 6s)"
    sleep 6
    attempt=$((attempt + 1))
  done
}

pack() {  # pack DIR ZIP: zip the files of DIR
  if command -v zip >/dev/null; then
    (cd "$1" && zip -qr "$2" .)
  else
    (cd "$1" && python3 -m zipfile -c "$2" ./*)
  fi
}

make_bucket() {
  # us-east-1 is the one Region that takes no LocationConstraint.
  if [[ "$REGION" == "us-east-1" ]]; then
    aws s3api create-bucket --bucket "$1" >/dev/null
  else
    aws s3api create-bucket --bucket "$1" --create-bucket-configuration "LocationConstraint=${REGION}" >/dev/null
  fi
}

# 1. Buckets: artifacts, source (versioned, as S3 source actions require), deploy target.
echo "1. S3 buckets"
make_bucket "$ARTIFACT_BUCKET"
make_bucket "$SOURCE_BUCKET"
aws s3api put-bucket-versioning --bucket "$SOURCE_BUCKET" --versioning-configuration Status=Enabled
make_bucket "$DEPLOY_BUCKET"

# 2. The sample application: a page and its unit test.
echo "2. Sample source -> s3://${SOURCE_BUCKET}/source.zip"
mkdir -p "$WORKDIR/app/tests"
echo '<h1>Hello from labcheck</h1>' > "$WORKDIR/app/index.html"
cat > "$WORKDIR/app/tests/test_page.py" <<'PY'
from pathlib import Path


def test_page_has_a_heading():
    assert "<h1>" in Path("index.html").read_text()
PY
pack "$WORKDIR/app" "$WORKDIR/source.zip"
aws s3api put-object --bucket "$SOURCE_BUCKET" --key source.zip --body "$WORKDIR/source.zip" >/dev/null

# 3. One CodeBuild role for both projects: logs, pipeline artifacts, test reports.
echo "3. CodeBuild service role ${BUILD_ROLE}"
BUILD_ROLE_ARN=$(aws iam create-role --role-name "$BUILD_ROLE" --query Role.Arn --output text \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}')
aws iam put-role-policy --role-name "$BUILD_ROLE" --policy-name codebuild-access --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogGroup\", \"logs:CreateLogStream\", \"logs:PutLogEvents\"],
     \"Resource\": \"arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:/aws/codebuild/labcheck-sdlc-tested-*\"},
    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:GetObjectVersion\", \"s3:PutObject\"],
     \"Resource\": \"arn:${PARTITION}:s3:::${ARTIFACT_BUCKET}/*\"},
    {\"Effect\": \"Allow\", \"Action\": [\"codebuild:CreateReportGroup\", \"codebuild:CreateReport\", \"codebuild:UpdateReport\",
       \"codebuild:BatchPutTestCases\", \"codebuild:BatchPutCodeCoverages\"],
     \"Resource\": \"arn:${PARTITION}:codebuild:${REGION}:${ACCOUNT}:report-group/${TEST_PROJECT}-*\"}
  ]}"

# 4. The build project (stamps the page) and the test project. The test buildspec
#    lets pytest's exit code decide: any failing test fails the build phase, so the
#    Test action fails and the pipeline stops before Deploy. The reports section
#    publishes the JUnit results and the coverage to CodeBuild report groups.
echo "4. CodeBuild projects ${BUILD_PROJECT} and ${TEST_PROJECT}"
BUILD_SPEC='version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"<p>Built $(date)</p>\" >> index.html\nartifacts:\n  files:\n    - index.html\n'
TEST_SPEC='version: 0.2\nphases:\n  install:\n    runtime-versions:\n      python: 3.12\n    commands:\n      - pip install pytest pytest-cov\n  build:\n    commands:\n      - python -m pytest tests --junitxml=reports/junit.xml --cov=. --cov-report=xml:reports/coverage.xml\nreports:\n  unit-tests:\n    files:\n      - junit.xml\n    base-directory: reports\n    file-format: JUNITXML\n  coverage:\n    files:\n      - coverage.xml\n    base-directory: reports\n    file-format: COBERTURAXML\n'
for project in "${BUILD_PROJECT}:${BUILD_SPEC}" "${TEST_PROJECT}:${TEST_SPEC}"; do
  cat > "$WORKDIR/project.json" <<JSON
{
  "name": "${project%%:*}",
  "source": {"type": "CODEPIPELINE", "location": "${PIPELINE}", "buildspec": "${project#*:}"},
  "artifacts": {"type": "CODEPIPELINE", "location": "${PIPELINE}"},
  "environment": {"type": "LINUX_CONTAINER", "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
                  "computeType": "BUILD_GENERAL1_SMALL"},
  "serviceRole": "${BUILD_ROLE_ARN}",
  "timeoutInMinutes": 15
}
JSON
  retry_iam aws codebuild create-project --cli-input-json "file://$WORKDIR/project.json" >/dev/null
done

# 5. The integration test function. CodePipeline invokes it with a job: it reads the
#    build output with the job's artifact credentials, checks the page, and must
#    report the result (PutJobSuccessResult / PutJobFailureResult); a function that
#    never reports leaves the action running until it times out.
echo "5. Lambda function ${FUNCTION}"
FUNCTION_ROLE_ARN=$(aws iam create-role --role-name "$FUNCTION_ROLE" --query Role.Arn --output text \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}')
aws iam put-role-policy --role-name "$FUNCTION_ROLE" --policy-name report-test-results --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"codepipeline:PutJobSuccessResult\", \"codepipeline:PutJobFailureResult\"],
     \"Resource\": \"*\"},
    {\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogGroup\", \"logs:CreateLogStream\", \"logs:PutLogEvents\"],
     \"Resource\": \"arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${FUNCTION}:*\"}
  ]}"
mkdir -p "$WORKDIR/function"
cat > "$WORKDIR/function/index.py" <<'PY'
"""Integration test run by CodePipeline: the built page must still have its heading."""
import io
import zipfile

import boto3

codepipeline = boto3.client("codepipeline")


def handler(event, context):
    job = event["CodePipeline.job"]
    try:
        creds = job["data"]["artifactCredentials"]
        location = job["data"]["inputArtifacts"][0]["location"]["s3Location"]
        s3 = boto3.client(
            "s3",
            aws_access_key_id=creds["accessKeyId"],
            aws_secret_access_key=creds["secretAccessKey"],
            aws_session_token=creds["sessionToken"],
        )
        body = s3.get_object(Bucket=location["bucketName"], Key=location["objectKey"])["Body"].read()
        page = zipfile.ZipFile(io.BytesIO(body)).read("index.html").decode()
        if "<h1>" not in page:
            raise AssertionError("index.html lost its heading")
    except Exception as error:  # any failure fails the action, with the reason
        codepipeline.put_job_failure_result(
            jobId=job["id"], failureDetails={"type": "JobFailed", "message": str(error)[:500]}
        )
        return
    codepipeline.put_job_success_result(jobId=job["id"])
PY
pack "$WORKDIR/function" "$WORKDIR/function.zip"
retry_iam aws lambda create-function --function-name "$FUNCTION" --runtime python3.12 \
  --handler index.handler --role "$FUNCTION_ROLE_ARN" --timeout 60 \
  --zip-file "fileb://$WORKDIR/function.zip"

# 6. The pipeline role: run both projects, invoke the function, use the buckets.
echo "6. CodePipeline service role ${PIPELINE_ROLE}"
PIPELINE_ROLE_ARN=$(aws iam create-role --role-name "$PIPELINE_ROLE" --query Role.Arn --output text \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}]}')
aws iam put-role-policy --role-name "$PIPELINE_ROLE" --policy-name codepipeline-access --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:GetObjectVersion\", \"s3:PutObject\"],
     \"Resource\": [\"arn:${PARTITION}:s3:::${ARTIFACT_BUCKET}/*\", \"arn:${PARTITION}:s3:::${SOURCE_BUCKET}/*\"]},
    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetBucketVersioning\", \"s3:GetBucketLocation\", \"s3:ListBucket\"],
     \"Resource\": [\"arn:${PARTITION}:s3:::${ARTIFACT_BUCKET}\", \"arn:${PARTITION}:s3:::${SOURCE_BUCKET}\"]},
    {\"Effect\": \"Allow\", \"Action\": [\"s3:PutObject\", \"s3:PutObjectAcl\"],
     \"Resource\": \"arn:${PARTITION}:s3:::${DEPLOY_BUCKET}/*\"},
    {\"Effect\": \"Allow\", \"Action\": [\"codebuild:StartBuild\", \"codebuild:BatchGetBuilds\"],
     \"Resource\": [\"arn:${PARTITION}:codebuild:${REGION}:${ACCOUNT}:project/${BUILD_PROJECT}\",
                  \"arn:${PARTITION}:codebuild:${REGION}:${ACCOUNT}:project/${TEST_PROJECT}\"]},
    {\"Effect\": \"Allow\", \"Action\": \"lambda:InvokeFunction\",
     \"Resource\": \"arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION}\"}
  ]}"

# 7. The pipeline. The Test stage sits between Build and Deploy: unit tests first
#    (a CodeBuild action of category Test, on the source), then the integration test
#    (a Lambda Invoke action, on the build output). Deploy runs only if both pass.
echo "7. Pipeline ${PIPELINE}"
cat > "$WORKDIR/pipeline.json" <<JSON
{
  "pipeline": {
    "name": "${PIPELINE}",
    "roleArn": "${PIPELINE_ROLE_ARN}",
    "pipelineType": "V2",
    "executionMode": "SUPERSEDED",
    "artifactStore": {"type": "S3", "location": "${ARTIFACT_BUCKET}"},
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
      {"name": "Test", "actions": [
        {"name": "UnitTests", "runOrder": 1,
         "actionTypeId": {"category": "Test", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
         "configuration": {"ProjectName": "${TEST_PROJECT}"},
         "inputArtifacts": [{"name": "SourceOutput"}]},
        {"name": "IntegrationTests", "runOrder": 2,
         "actionTypeId": {"category": "Invoke", "owner": "AWS", "provider": "Lambda", "version": "1"},
         "configuration": {"FunctionName": "${FUNCTION}"},
         "inputArtifacts": [{"name": "BuildOutput"}]}]},
      {"name": "Deploy", "actions": [{
        "name": "Deploy", "runOrder": 1,
        "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "S3", "version": "1"},
        "configuration": {"BucketName": "${DEPLOY_BUCKET}", "Extract": "true"},
        "inputArtifacts": [{"name": "BuildOutput"}]}]}
    ]
  }
}
JSON
retry_iam aws codepipeline create-pipeline --cli-input-json "file://$WORKDIR/pipeline.json" >/dev/null

echo "Done. Release a change: aws codepipeline start-pipeline-execution --name ${PIPELINE}"
