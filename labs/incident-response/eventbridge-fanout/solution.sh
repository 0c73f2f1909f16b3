#!/usr/bin/env bash
# Reference solution: fan AWS Health events out to people and to automation.
#
#   AWS Health --> EventBridge rule (default bus, source + detail-type)
#                    |--> SNS topic  (people: email, chat)
#                    '--> SQS queue  (a ticketing worker) --> dead-letter queue
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment.
set -euo pipefail

RULE="${RULE:-labcheck-ir-health-events}"     # lab param rule
TOPIC="${TOPIC:-labcheck-ir-health-alerts}"   # lab param topic
QUEUE="${QUEUE:-labcheck-ir-health-queue}"    # lab param queue
DLQ="${DLQ:-labcheck-ir-health-dlq}"          # lab param dlq

# AWS CLI v1 sends SQS calls in us-east-1 to its own endpoint even when AWS_ENDPOINT_URL
# is set; hand an emulator's endpoint on explicitly (on AWS this adds nothing).
sqs() { aws sqs ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} "$@"; }

# 1. The rule. It matches AWS Health events only: both the source and the detail-type,
#    so no other service's events end up in the queue. AWS Health events arrive on the
#    default event bus.
echo "1. Rule ${RULE} on the default bus"
PATTERN='{"source":["aws.health"],"detail-type":["AWS Health Event"]}'
RULE_ARN=$(aws events put-rule --name "$RULE" --event-pattern "$PATTERN" --state ENABLED \
  --description "AWS Health events to ${TOPIC} and ${QUEUE}" --query RuleArn --output text)

# 2. The topic, with a policy that lets EventBridge publish to it (for this rule only).
#    The first statement keeps the account's own rights on the topic.
echo "2. SNS topic ${TOPIC}"
TOPIC_ARN=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)
ACCOUNT=$(cut -d: -f5 <<<"$TOPIC_ARN")
PARTITION=$(cut -d: -f2 <<<"$TOPIC_ARN")
REGION=$(cut -d: -f4 <<<"$TOPIC_ARN")
aws sns set-topic-attributes --topic-arn "$TOPIC_ARN" --attribute-name Policy --attribute-value "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Sid\": \"AccountOwns\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:${PARTITION}:iam::${ACCOUNT}:root\"},
     \"Action\": [\"sns:Publish\", \"sns:Subscribe\", \"sns:GetTopicAttributes\", \"sns:SetTopicAttributes\"],
     \"Resource\": \"${TOPIC_ARN}\"},
    {\"Sid\": \"EventBridgePublishes\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"events.amazonaws.com\"},
     \"Action\": \"sns:Publish\", \"Resource\": \"${TOPIC_ARN}\",
     \"Condition\": {\"ArnEquals\": {\"aws:SourceArn\": \"${RULE_ARN}\"}}}
  ]
}"

# 3. The dead-letter queue first (the main queue's redrive policy names it). It keeps
#    messages for 14 days, the maximum, so a failed event can still be looked at.
echo "3. Dead-letter queue ${DLQ}"
sqs create-queue --queue-name "$DLQ" --attributes MessageRetentionPeriod=1209600 >/dev/null
DLQ_ARN="arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:${DLQ}"

# 4. The work queue. A message the worker fails to process 5 times moves to the DLQ
#    instead of coming back forever. Its policy lets EventBridge send messages, but only
#    on behalf of this rule (aws:SourceArn), not of any rule in any account.
echo "4. Queue ${QUEUE} -> ${DLQ} after 5 receives"
QUEUE_ARN="arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:${QUEUE}"
QUEUE_POLICY="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EventBridgeSends\",\"Effect\":\"Allow\",\
\"Principal\":{\"Service\":\"events.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"${QUEUE_ARN}\",\
\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"${RULE_ARN}\"}}}]}"
REDRIVE="{\"deadLetterTargetArn\":\"${DLQ_ARN}\",\"maxReceiveCount\":\"5\"}"
# --attributes takes a JSON map of strings, and both values are JSON documents
# themselves: escape their quotes.
ATTRIBUTES="{\"Policy\":\"${QUEUE_POLICY//\"/\\\"}\",\"RedrivePolicy\":\"${REDRIVE//\"/\\\"}\"}"
sqs create-queue --queue-name "$QUEUE" --attributes "$ATTRIBUTES" >/dev/null

# 5. Fan out: one rule, two targets. Each target gets the whole event.
echo "5. Targets: ${TOPIC} and ${QUEUE}"
aws events put-targets --rule "$RULE" \
  --targets "Id=alerts,Arn=${TOPIC_ARN}" "Id=tickets,Arn=${QUEUE_ARN}" >/dev/null

echo "Done."
