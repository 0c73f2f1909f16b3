#!/usr/bin/env bash
# Reference solution: threat detection that reaches a human.
#
#   GuardDuty detector (enabled, findings exported every 15 minutes, S3 protection)
#   Security Hub (new controls enabled automatically)
#   EventBridge rule: GuardDuty findings with severity >= 7 -> SNS topic -> on-call
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
# Optional: NOTIFY_EMAIL=you@example.com subscribes that address to the topic.
set -euo pipefail

RULE="${RULE:-labcheck-sec-guardduty-high-severity}"   # lab param rule
TOPIC="${TOPIC:-labcheck-sec-security-alerts}"         # lab param topic

CALLER_ARN=$(aws sts get-caller-identity --query Arn --output text)
ACCOUNT=$(cut -d: -f5 <<<"$CALLER_ARN")
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. GuardDuty: one detector per Region. New findings reach EventBridge at once;
#    updates to existing findings (the same activity going on) are exported at the
#    publishing frequency, every 15 minutes instead of the default 6 hours.
#    S3 protection watches CloudTrail S3 data events for suspicious object access.
echo "1. GuardDuty detector"
aws guardduty create-detector --enable --finding-publishing-frequency FIFTEEN_MINUTES \
  --features '[{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}]' >/dev/null

# 2. Security Hub, with the default standards (AWS Foundational Security Best
#    Practices, CIS). New controls of enabled standards are turned on as AWS adds
#    them (AutoEnableControls, the default), and GuardDuty findings flow in.
echo "2. Security Hub"
aws securityhub enable-security-hub --enable-default-standards --control-finding-generator SECURITY_CONTROL

# 3. The topic on-call subscribes to. Its policy must let EventBridge publish: a rule
#    whose target cannot publish fails silently (FailedInvocations metric only).
echo "3. SNS topic ${TOPIC}"
TOPIC_ARN=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)
cat > "$WORKDIR/topic-policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "OwnerManages", "Effect": "Allow", "Principal": {"AWS": "arn:${PARTITION}:iam::${ACCOUNT}:root"},
   "Action": ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish",
              "sns:ListSubscriptionsByTopic", "sns:DeleteTopic"],
   "Resource": "${TOPIC_ARN}"},
  {"Sid": "EventBridgePublishes", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
   "Action": "sns:Publish", "Resource": "${TOPIC_ARN}",
   "Condition": {"StringEquals": {"aws:SourceAccount": "${ACCOUNT}"}}}
 ]}
JSON
aws sns set-topic-attributes --topic-arn "$TOPIC_ARN" --attribute-name Policy \
  --attribute-value "file://$WORKDIR/topic-policy.json"
if [[ -n "${NOTIFY_EMAIL:-}" ]]; then
  aws sns subscribe --topic-arn "$TOPIC_ARN" --protocol email --notification-endpoint "$NOTIFY_EMAIL" >/dev/null
fi

# 4. The rule: GuardDuty findings of High (7.0-8.9) or Critical (9.0-10.0) severity.
#    Severities are decimals (7.2, 8.5...), so match a numeric range, not a list of
#    values.
echo "4. EventBridge rule ${RULE} -> ${TOPIC}"
aws events put-rule --name "$RULE" --description "GuardDuty findings of severity 7 and above" \
  --event-pattern '{"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"],
                    "detail": {"severity": [{"numeric": [">=", 7]}]}}' >/dev/null
aws events put-targets --rule "$RULE" --targets "Id=security-alerts,Arn=${TOPIC_ARN}" >/dev/null

echo "Done. Try it: aws guardduty create-sample-findings --detector-id <id> --finding-types Recon:EC2/PortProbeUnprotectedPort"
