#!/usr/bin/env bash
# Reference solution: an order workflow in Step Functions that calls Lambda, retries
# transient Lambda errors with backoff, catches everything else, and can be traced.
#
#   state machine (STANDARD, role trusted by states.amazonaws.com)
#     ProcessOrder (Task: lambda:invoke, Retry on Lambda service errors, Catch States.ALL)
#       -> OrderProcessed (Succeed)
#       -> on error: NotifyFailure (Task: sns:publish) -> OrderFailed (Fail)
#   execution history -> CloudWatch Logs (level ALL, with execution data, 30 days)
#   X-Ray tracing on the state machine and on the function
#
# Uses only the AWS CLI (and python3 to zip the function). Region, credentials and
# endpoint come from the environment.
set -euo pipefail

STATE_MACHINE="${STATE_MACHINE:-labcheck-iac-order-workflow}"                 # lab param state_machine
FUNCTION="${FUNCTION:-labcheck-iac-process-order}"                            # lab param function
LOG_GROUP="${LOG_GROUP:-/aws/vendedlogs/states/labcheck-iac-order-workflow}"  # lab param log_group
TOPIC="labcheck-iac-order-failures"
FUNCTION_ROLE="labcheck-iac-process-order-role"
STATES_ROLE="labcheck-iac-order-workflow-role"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. The function's role: Lambda may assume it; it may write its logs and X-Ray traces.
echo "1. Role ${FUNCTION_ROLE}"
FUNCTION_ROLE_ARN=$(aws iam create-role --role-name "$FUNCTION_ROLE" \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}' \
  --query Role.Arn --output text)
aws iam put-role-policy --role-name "$FUNCTION_ROLE" --policy-name logs-and-traces \
  --policy-document '{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"}]}'
# A new role takes a few seconds before Lambda can assume it (not on an emulator).
[[ -n "${AWS_ENDPOINT_URL:-}" ]] || sleep 10

# 2. The function. Active tracing sends a trace segment for every invocation; the
#    timeout is what one order may take, not Lambda's 15-minute maximum.
echo "2. Function ${FUNCTION}"
cat > "$WORKDIR/index.py" <<'PY'
def handler(event, context):
    order = event.get("order", {})
    if not order.get("id"):
        raise ValueError("order without an id")
    return {"orderId": order["id"], "status": "PROCESSED"}
PY
python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w'); z.write(sys.argv[2], 'index.py'); z.close()" \
  "$WORKDIR/function.zip" "$WORKDIR/index.py"
FUNCTION_ARN=$(aws lambda create-function --function-name "$FUNCTION" \
  --runtime python3.12 --handler index.handler --role "$FUNCTION_ROLE_ARN" \
  --zip-file "fileb://$WORKDIR/function.zip" \
  --timeout 30 --memory-size 256 --tracing-config Mode=Active \
  --query FunctionArn --output text)

# 3. Where failures are announced, and the log group for the execution history
#    (the /aws/vendedlogs/ prefix keeps the log group's resource policy small).
echo "3. Topic ${TOPIC} and log group ${LOG_GROUP}"
TOPIC_ARN=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)
aws logs create-log-group --log-group-name "$LOG_GROUP"
aws logs put-retention-policy --log-group-name "$LOG_GROUP" --retention-in-days 30
LOG_GROUP_ARN=$(aws logs describe-log-groups --log-group-name-prefix "$LOG_GROUP" \
  --query "logGroups[?logGroupName=='${LOG_GROUP}'].arn | [0]" --output text)

# 4. The state machine's role: only Step Functions may assume it; it may invoke this
#    function, publish to this topic, deliver logs and send traces.
echo "4. Role ${STATES_ROLE}"
STATES_ROLE_ARN=$(aws iam create-role --role-name "$STATES_ROLE" \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]}' \
  --query Role.Arn --output text)
aws iam put-role-policy --role-name "$STATES_ROLE" --policy-name order-workflow \
  --policy-document "{\"Version\": \"2012-10-17\", \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": \"lambda:InvokeFunction\", \"Resource\": [\"${FUNCTION_ARN}\", \"${FUNCTION_ARN}:*\"]},
    {\"Effect\": \"Allow\", \"Action\": \"sns:Publish\", \"Resource\": \"${TOPIC_ARN}\"},
    {\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogDelivery\", \"logs:GetLogDelivery\", \"logs:UpdateLogDelivery\",
      \"logs:DeleteLogDelivery\", \"logs:ListLogDeliveries\", \"logs:PutResourcePolicy\", \"logs:DescribeResourcePolicies\",
      \"logs:DescribeLogGroups\"], \"Resource\": \"*\"},
    {\"Effect\": \"Allow\", \"Action\": [\"xray:PutTraceSegments\", \"xray:PutTelemetryRecords\",
      \"xray:GetSamplingRules\", \"xray:GetSamplingTargets\"], \"Resource\": \"*\"}]}"
[[ -n "${AWS_ENDPOINT_URL:-}" ]] || sleep 10

# 5. The workflow. Throttling and Lambda service errors are transient: retry them with
#    exponential backoff and jitter. Anything else (including what is still failing
#    after the retries) is caught, announced on the topic, and ends in a Fail state so
#    the execution shows FAILED.
echo "5. State machine ${STATE_MACHINE}"
cat > "$WORKDIR/definition.json" <<JSON
{
  "Comment": "Process one order; announce and fail on errors",
  "StartAt": "ProcessOrder",
  "States": {
    "ProcessOrder": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "${FUNCTION_ARN}", "Payload.$": "$"},
      "OutputPath": "$.Payload",
      "TimeoutSeconds": 60,
      "Retry": [{
        "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                        "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
        "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0, "JitterStrategy": "FULL"
      }],
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "NotifyFailure"}],
      "Next": "OrderProcessed"
    },
    "OrderProcessed": {"Type": "Succeed"},
    "NotifyFailure": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sns:publish",
      "Parameters": {"TopicArn": "${TOPIC_ARN}", "Message.$": "States.JsonToString($.error)"},
      "ResultPath": null,
      "Next": "OrderFailed"
    },
    "OrderFailed": {"Type": "Fail", "Error": "OrderProcessingFailed", "Cause": "ProcessOrder failed; see the execution history"}
  }
}
JSON
aws stepfunctions create-state-machine --name "$STATE_MACHINE" --type STANDARD \
  --role-arn "$STATES_ROLE_ARN" \
  --definition "file://$WORKDIR/definition.json" \
  --logging-configuration "level=ALL,includeExecutionData=true,destinations=[{cloudWatchLogsLogGroup={logGroupArn=${LOG_GROUP_ARN}}}]" \
  --tracing-configuration enabled=true \
  --query stateMachineArn --output text

echo "Done. Try it: aws stepfunctions start-execution --state-machine-arn <arn> --input '{\"order\": {\"id\": \"42\"}}'"
