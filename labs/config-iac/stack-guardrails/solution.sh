#!/usr/bin/env bash
# Reference solution: guardrails around a production CloudFormation stack.
#
#   stack labcheck-iac-orders (a DynamoDB table "Database" + an SQS queue)
#     - termination protection: nobody deletes it by mistake
#     - stack events -> SNS topic; rollback trigger: a CloudWatch alarm
#     - stack policy: every update allowed, except replacing or deleting Database
#     - the next change arrives as a change set, waiting for review (not executed)
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment.
set -euo pipefail

STACK="${STACK:-labcheck-iac-orders}"      # lab param stack
DATABASE="${DATABASE:-Database}"           # lab param database (logical ID of the table)
TOPIC="labcheck-iac-orders-stack-events"
ALARM="labcheck-iac-orders-errors"
CHANGE_SET="raise-read-capacity"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# Wait while a stack operation is in progress (on an emulator it is done at once).
wait_stack() {
  local status
  while status=$(aws cloudformation describe-stacks --stack-name "$STACK" \
      --query 'Stacks[0].StackStatus' --output text) && [[ "$status" == *_IN_PROGRESS ]]; do
    sleep 10
  done
  echo "   ${status}"
}

# 1. The template. The table has no fixed name (a replacement gets a new one instead
#    of failing) and is retained if the stack is ever deleted.
cat > "$WORKDIR/orders.yaml" <<YAML
AWSTemplateFormatVersion: "2010-09-09"
Description: Orders service data (labcheck stack guardrails)
Parameters:
  ReadCapacity:
    Type: Number
    Default: 5
Resources:
  ${DATABASE}:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BillingMode: PROVISIONED
      ProvisionedThroughput: {ReadCapacityUnits: !Ref ReadCapacity, WriteCapacityUnits: 5}
      AttributeDefinitions: [{AttributeName: orderId, AttributeType: S}]
      KeySchema: [{AttributeName: orderId, KeyType: HASH}]
  OrderQueue:
    Type: AWS::SQS::Queue
    Properties:
      MessageRetentionPeriod: 345600
Outputs:
  TableName:
    Value: !Ref ${DATABASE}
YAML

# 2. Where stack events go, and the alarm that rolls a deployment back: if it goes to
#    ALARM during the update or the 10 minutes after, CloudFormation rolls back.
echo "1. Topic ${TOPIC} and rollback alarm ${ALARM}"
TOPIC_ARN=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)
aws cloudwatch put-metric-alarm --alarm-name "$ALARM" --namespace LabCheck/Orders --metric-name Errors \
  --statistic Sum --period 60 --evaluation-periods 1 --threshold 1 \
  --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching
ALARM_ARN=$(aws cloudwatch describe-alarms --alarm-names "$ALARM" --query 'MetricAlarms[0].AlarmArn' --output text)

# 3. The stack policy: all updates are allowed, except those that would replace or
#    delete the table. (Once a stack has a policy, whatever it does not allow is denied.)
cat > "$WORKDIR/stack-policy.json" <<JSON
{
  "Statement": [
    {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
    {"Effect": "Deny", "Action": ["Update:Replace", "Update:Delete"], "Principal": "*",
     "Resource": "LogicalResourceId/${DATABASE}"}
  ]
}
JSON

# 4. The stack, with termination protection, event notifications, the rollback
#    trigger and the stack policy from the start.
echo "2. Stack ${STACK}"
aws cloudformation create-stack --stack-name "$STACK" \
  --template-body "file://$WORKDIR/orders.yaml" \
  --enable-termination-protection \
  --notification-arns "$TOPIC_ARN" \
  --rollback-configuration "RollbackTriggers=[{Arn=${ALARM_ARN},Type=AWS::CloudWatch::Alarm}],MonitoringTimeInMinutes=10" \
  --stack-policy-body "file://$WORKDIR/stack-policy.json" \
  --tags Key=app,Value=orders >/dev/null
wait_stack

# 5. The next change (more read capacity) as a change set, for someone to review with
#    `aws cloudformation describe-change-set` before anyone executes it.
echo "3. Change set ${CHANGE_SET} (for review, not executed)"
aws cloudformation create-change-set --stack-name "$STACK" --change-set-name "$CHANGE_SET" \
  --change-set-type UPDATE \
  --description "Raise the table's read capacity from 5 to 10" \
  --template-body "file://$WORKDIR/orders.yaml" \
  --parameters ParameterKey=ReadCapacity,ParameterValue=10 \
  --notification-arns "$TOPIC_ARN" \
  --rollback-configuration "RollbackTriggers=[{Arn=${ALARM_ARN},Type=AWS::CloudWatch::Alarm}],MonitoringTimeInMinutes=10" \
  >/dev/null

echo "Done. Review: aws cloudformation describe-change-set --stack-name ${STACK} --change-set-name ${CHANGE_SET}"
