#!/usr/bin/env bash
# Reference solution: close security groups opened to the internet, automatically.
#
#   AuthorizeSecurityGroupIngress (CloudTrail) --> EventBridge rule --> Lambda (revokes
#   0.0.0.0/0 and ::/0 rules) --(fails after its retries)--> SQS queue for a human
#
# Uses only the AWS CLI (and python3's zipfile to package the function's code).
# Region, credentials and endpoint come from the environment. The rule only sees
# AWS API calls when a CloudTrail trail records management events in the Region.
set -euo pipefail

RULE="${RULE:-labcheck-ir-sg-ingress-changed}"              # lab param rule
FUNCTION="${FUNCTION:-labcheck-ir-sg-remediator}"           # lab param function
FAILURE_QUEUE="${FAILURE_QUEUE:-labcheck-ir-sg-remediation-failed}"  # lab param failure_queue
ROLE="${FUNCTION}-role"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

sqs() { aws sqs ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} "$@"; }  # (AWS CLI v1 ignores AWS_ENDPOINT_URL for SQS)

# 1. The queue that receives the events the function failed to handle, so a person
#    can finish the job (14 days to look at them).
echo "1. Failure queue ${FAILURE_QUEUE}"
QUEUE_URL=$(sqs create-queue --queue-name "$FAILURE_QUEUE" --attributes MessageRetentionPeriod=1209600 \
  --query QueueUrl --output text)
QUEUE_ARN=$(sqs get-queue-attributes --queue-url "$QUEUE_URL" --attribute-names QueueArn \
  --query Attributes.QueueArn --output text)
ACCOUNT=$(cut -d: -f5 <<<"$QUEUE_ARN")
REGION=$(cut -d: -f4 <<<"$QUEUE_ARN")
PARTITION=$(cut -d: -f2 <<<"$QUEUE_ARN")

# 2. The function's own role: only Lambda may assume it; it may write its logs, look
#    at and revoke security group rules, and send failed events to the queue (a
#    Lambda destination is written with the function's role).
echo "2. Execution role ${ROLE}"
ROLE_ARN=$(aws iam create-role --role-name "$ROLE" --query Role.Arn --output text \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}')
# Logging, as the AWS managed AWSLambdaBasicExecutionRole grants it, in a customer
# managed policy of the function's own (narrowed to its log group); the remediation's
# permissions inline.
LOGS_POLICY_ARN=$(aws iam create-policy --policy-name "${FUNCTION}-logs" --query Policy.Arn --output text \
  --policy-document "{\"Version\": \"2012-10-17\", \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogStream\", \"logs:PutLogEvents\"],
     \"Resource\": \"arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/${FUNCTION}:*\"},
    {\"Effect\": \"Allow\", \"Action\": \"logs:CreateLogGroup\", \"Resource\": \"*\"}]}")
aws iam attach-role-policy --role-name "$ROLE" --policy-arn "$LOGS_POLICY_ARN"
aws iam put-role-policy --role-name "$ROLE" --policy-name remediate --policy-document "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Effect\": \"Allow\", \"Action\": [\"ec2:DescribeSecurityGroupRules\", \"ec2:RevokeSecurityGroupIngress\"], \"Resource\": \"*\"},
    {\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"${QUEUE_ARN}\"}
  ]
}"

# 3. The function. It revokes, in the group named by the event, every ingress rule
#    open to the whole internet. A short timeout (it makes two API calls) and a
#    reserved concurrency of 5: a burst of changes cannot starve other functions, and
#    a bug cannot run away with the account's concurrency.
echo "3. Function ${FUNCTION}"
cat >"$WORK/index.py" <<'PY'
import boto3

ec2 = boto3.client("ec2")
OPEN = {"0.0.0.0/0", "::/0"}


def handler(event, context):
    group_id = event["detail"]["requestParameters"]["groupId"]
    rules = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"]
    open_rules = [r["SecurityGroupRuleId"] for r in rules
                  if not r["IsEgress"] and (r.get("CidrIpv4") in OPEN or r.get("CidrIpv6") in OPEN)]
    if open_rules:
        ec2.revoke_security_group_ingress(GroupId=group_id, SecurityGroupRuleIds=open_rules)
    print(f"{group_id}: revoked {open_rules}")
    return {"groupId": group_id, "revoked": open_rules}
PY
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").write(sys.argv[2], "index.py")' \
  "$WORK/function.zip" "$WORK/index.py"
# A new role takes a few seconds to be usable by Lambda on AWS: retry while it is not.
for attempt in 1 2 3 4 5 6; do
  if FUNCTION_ARN=$(aws lambda create-function --function-name "$FUNCTION" --runtime python3.12 \
      --role "$ROLE_ARN" --handler index.handler --zip-file "fileb://$WORK/function.zip" \
      --timeout 30 --memory-size 128 --query FunctionArn --output text); then
    break
  fi
  [[ $attempt -lt 6 ]] || exit 1
  sleep 5
done
aws lambda put-function-concurrency --function-name "$FUNCTION" --reserved-concurrent-executions 5 >/dev/null

# 4. Asynchronous invocations (EventBridge invokes asynchronously): retry once, then
#    send the event to the failure queue instead of dropping it.
echo "4. On failure: 1 retry, then ${FAILURE_QUEUE}"
aws lambda put-function-event-invoke-config --function-name "$FUNCTION" \
  --maximum-retry-attempts 1 \
  --destination-config "OnFailure={Destination=${QUEUE_ARN}}" >/dev/null

# 5. The rule: CloudTrail's record of an AuthorizeSecurityGroupIngress call, and no
#    other EC2 API call.
echo "5. Rule ${RULE}"
RULE_ARN=$(aws events put-rule --name "$RULE" --state ENABLED \
  --description "Security group ingress opened: remediate with ${FUNCTION}" \
  --event-pattern '{"source":["aws.ec2"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["ec2.amazonaws.com"],"eventName":["AuthorizeSecurityGroupIngress"]}}' \
  --query RuleArn --output text)

# 6. Let EventBridge invoke the function, for this rule only, and make it the target.
echo "6. Permission for ${RULE}, and the target"
aws lambda add-permission --function-name "$FUNCTION" --statement-id "eventbridge-${RULE}" \
  --action lambda:InvokeFunction --principal events.amazonaws.com --source-arn "$RULE_ARN" >/dev/null
aws events put-targets --rule "$RULE" --targets "Id=remediate,Arn=${FUNCTION_ARN}" >/dev/null

echo "Done."
