#!/usr/bin/env bash
# Reference solution: canary releases of a Lambda function with CodeDeploy.
#
#   Lambda function -> published version 1 <- alias "live" (what callers invoke)
#   CloudWatch alarm: errors of the function through the live alias
#   CodeDeploy application (compute platform Lambda) + deployment group:
#     CodeDeployDefault.LambdaCanary10Percent5Minutes, roll back when the deployment
#     fails or the alarm goes off
#
# Uses only the AWS CLI (plus zip or python3 to pack the function). Region,
# credentials and endpoint come from the environment (AWS_REGION / AWS_DEFAULT_REGION,
# AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

FUNCTION="${FUNCTION:-labcheck-sdlc-canary-api}"                 # lab param function
ALIAS="${ALIAS:-live}"                                           # lab param alias
APPLICATION="${APPLICATION:-labcheck-sdlc-canary-app}"           # lab param application
DEPLOYMENT_GROUP="${DEPLOYMENT_GROUP:-labcheck-sdlc-canary-live}" # lab param deployment_group
ALARM="${ALARM:-labcheck-sdlc-canary-api-errors}"                # lab param alarm
FUNCTION_ROLE="labcheck-sdlc-canary-fn-role"
DEPLOY_ROLE="labcheck-sdlc-canary-codedeploy-role"

read -r ACCOUNT CALLER_ARN < <(aws sts get-caller-identity --query '[Account, Arn]' --output text)
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")   # aws, aws-cn or aws-us-gov
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# IAM is eventually consistent: Lambda or CodeDeploy may refuse a role created a
# second ago. Retry such a call for up to a minute; fail at once on any other error.
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

# 1. The function, with an execution role that may only write its own logs.
echo "1. Function ${FUNCTION}"
FUNCTION_ROLE_ARN=$(aws iam create-role --role-name "$FUNCTION_ROLE" --query Role.Arn --output text \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}')
aws iam put-role-policy --role-name "$FUNCTION_ROLE" --policy-name write-logs --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogGroup\", \"logs:CreateLogStream\", \"logs:PutLogEvents\"],
    \"Resource\": \"arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${FUNCTION}:*\"}]}"
mkdir -p "$WORKDIR/function"
cat > "$WORKDIR/function/index.py" <<'PY'
import json


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"message": "hello", "version": context.function_version})}
PY
if command -v zip >/dev/null; then
  (cd "$WORKDIR/function" && zip -q ../function.zip index.py)
else
  (cd "$WORKDIR/function" && python3 -m zipfile -c ../function.zip index.py)
fi
retry_iam aws lambda create-function --function-name "$FUNCTION" --runtime python3.12 \
  --handler index.handler --role "$FUNCTION_ROLE_ARN" --timeout 10 \
  --zip-file "fileb://$WORKDIR/function.zip"

# 2. Version 1 (immutable code and settings) and the alias callers use. CodeDeploy
#    shifts the alias from one version to the next; $LATEST can never be rolled back to.
echo "2. Version 1 and alias ${ALIAS}"
VERSION=$(aws lambda publish-version --function-name "$FUNCTION" --description "first release" \
  --query Version --output text)
aws lambda create-alias --function-name "$FUNCTION" --name "$ALIAS" --function-version "$VERSION" >/dev/null

# 3. The alarm that stops a bad release: errors of the function invoked through the alias.
echo "3. Alarm ${ALARM}"
aws cloudwatch put-metric-alarm --alarm-name "$ALARM" \
  --alarm-description "Errors of ${FUNCTION}:${ALIAS}: stops and rolls back a CodeDeploy deployment" \
  --namespace AWS/Lambda --metric-name Errors \
  --dimensions "Name=FunctionName,Value=${FUNCTION}" "Name=Resource,Value=${FUNCTION}:${ALIAS}" \
  --statistic Sum --period 60 --evaluation-periods 1 --threshold 0 \
  --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching

# 4. The CodeDeploy role: trusted by codedeploy.amazonaws.com only, with the
#    permissions of the AWS managed policy AWSCodeDeployRoleForLambdaLimited (attach
#    that instead if you prefer), narrowed to this function.
echo "4. CodeDeploy service role ${DEPLOY_ROLE}"
DEPLOY_ROLE_ARN=$(aws iam create-role --role-name "$DEPLOY_ROLE" --query Role.Arn --output text \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}]}')
aws iam put-role-policy --role-name "$DEPLOY_ROLE" --policy-name codedeploy-lambda --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"lambda:GetAlias\", \"lambda:UpdateAlias\", \"lambda:GetProvisionedConcurrencyConfig\"],
     \"Resource\": \"arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${FUNCTION}*\"},
    {\"Effect\": \"Allow\", \"Action\": \"cloudwatch:DescribeAlarms\", \"Resource\": \"*\"},
    {\"Effect\": \"Allow\", \"Action\": \"lambda:InvokeFunction\",
     \"Resource\": \"arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:CodeDeployHook_*\"}
  ]}"

# 5. The application and the deployment group: 10% of the traffic goes to the new
#    version for 5 minutes, then all of it; a failed deployment or the alarm rolls the
#    alias back to the old version. (Lambda deployments are always blue/green with
#    traffic control.)
echo "5. CodeDeploy application ${APPLICATION}, deployment group ${DEPLOYMENT_GROUP}"
aws deploy create-application --application-name "$APPLICATION" --compute-platform Lambda >/dev/null
retry_iam aws deploy create-deployment-group --application-name "$APPLICATION" \
  --deployment-group-name "$DEPLOYMENT_GROUP" \
  --service-role-arn "$DEPLOY_ROLE_ARN" \
  --deployment-config-name CodeDeployDefault.LambdaCanary10Percent5Minutes \
  --deployment-style deploymentType=BLUE_GREEN,deploymentOption=WITH_TRAFFIC_CONTROL \
  --alarm-configuration "{\"enabled\": true, \"alarms\": [{\"name\": \"${ALARM}\"}]}" \
  --auto-rollback-configuration enabled=true,events=DEPLOYMENT_FAILURE,DEPLOYMENT_STOP_ON_ALARM

echo "Done. Release version N: publish it, then aws deploy create-deployment --application-name ${APPLICATION}" \
  "--deployment-group-name ${DEPLOYMENT_GROUP} with an AppSpec that moves ${ALIAS} from the current version to N"
