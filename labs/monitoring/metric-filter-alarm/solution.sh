#!/usr/bin/env bash
# Reference solution: turn application errors into an alarm.
#
# log group (with retention) -> metric filter (ERROR / 5xx -> custom metric)
#   -> CloudWatch alarm (Sum >= 1 per minute) -> SNS topic -> you
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
# Optional: NOTIFY_EMAIL=you@example.com subscribes that address to the topic.
set -euo pipefail

LOG_GROUP="${LOG_GROUP:-/labcheck/app}"   # lab param log_group
FILTER_NAME="app-errors"
METRIC_NAME="ApplicationErrors"
METRIC_NAMESPACE="LabCheck/App"         # a namespace of our own; AWS/ is reserved for AWS services
TOPIC_NAME="labcheck-app-alerts"
ALARM_NAME="labcheck-app-errors"

# 1. The log group, and how long it keeps logs. A log group without a retention
#    policy keeps everything forever; 30 days is plenty for application logs.
echo "1. Log group ${LOG_GROUP} with 30 days retention"
existing=$(aws logs describe-log-groups --log-group-name-prefix "$LOG_GROUP" \
  --query "logGroups[?logGroupName=='${LOG_GROUP}'] | length(@)" --output text)
if [[ "$existing" == "0" ]]; then
  aws logs create-log-group --log-group-name "$LOG_GROUP"
fi
aws logs put-retention-policy --log-group-name "$LOG_GROUP" --retention-in-days 30

# 2. The metric filter. The application logs JSON, so a JSON pattern can test the
#    fields themselves: an ERROR level OR an HTTP status of 500 and above. Each
#    matching line publishes the value 1; minutes without a match publish 0 (the
#    default value), so the alarm sees "no errors" rather than "no data".
#    (For plain-text logs the pattern could simply be: ERROR)
echo "2. Metric filter ${FILTER_NAME} -> ${METRIC_NAMESPACE}/${METRIC_NAME}"
FILTER_PATTERN='{ $.level = "ERROR" || $.status >= 500 }'
aws logs put-metric-filter \
  --log-group-name "$LOG_GROUP" \
  --filter-name "$FILTER_NAME" \
  --filter-pattern "$FILTER_PATTERN" \
  --metric-transformations \
    "metricName=${METRIC_NAME},metricNamespace=${METRIC_NAMESPACE},metricValue=1,defaultValue=0,unit=Count"

# 3. The SNS topic the alarm notifies. create-topic is idempotent: it returns the
#    existing topic's ARN if the topic is already there.
echo "3. SNS topic ${TOPIC_NAME}"
TOPIC_ARN=$(aws sns create-topic --name "$TOPIC_NAME" --query TopicArn --output text)
if [[ -n "${NOTIFY_EMAIL:-}" ]]; then
  # The address receives a confirmation mail; notifications start once it is confirmed.
  aws sns subscribe --topic-arn "$TOPIC_ARN" --protocol email --notification-endpoint "$NOTIFY_EMAIL" >/dev/null
fi

# 4. The alarm, on exactly the metric the filter publishes. Sum (not Average: every
#    data point is 1, so the average is always 1) over one minute, in ALARM as soon
#    as one error is counted. Missing data counts as "not breaching".
echo "4. Alarm ${ALARM_NAME} -> ${TOPIC_ARN}"
aws cloudwatch put-metric-alarm \
  --alarm-name "$ALARM_NAME" \
  --alarm-description "Application errors in ${LOG_GROUP}" \
  --namespace "$METRIC_NAMESPACE" \
  --metric-name "$METRIC_NAME" \
  --statistic Sum \
  --period 60 \
  --evaluation-periods 1 \
  --threshold 1 \
  --comparison-operator GreaterThanOrEqualToThreshold \
  --treat-missing-data notBreaching \
  --alarm-actions "$TOPIC_ARN" \
  --ok-actions "$TOPIC_ARN"

# 5. Try it: write one good and one failing request to the log group. Within a
#    minute or two the metric shows 1 and the alarm goes to ALARM
#    (aws cloudwatch describe-alarms --alarm-names labcheck-app-errors).
echo "5. Sample log events"
STREAM="labcheck-sample-$(date +%s)"
aws logs create-log-stream --log-group-name "$LOG_GROUP" --log-stream-name "$STREAM"
NOW_MS=$(( $(date +%s) * 1000 ))
aws logs put-log-events --log-group-name "$LOG_GROUP" --log-stream-name "$STREAM" \
  --log-events \
    "timestamp=${NOW_MS},message='{\"level\":\"INFO\",\"status\":200,\"path\":\"/\",\"msg\":\"ok\"}'" \
    "timestamp=${NOW_MS},message='{\"level\":\"ERROR\",\"status\":503,\"path\":\"/checkout\",\"msg\":\"upstream timed out\"}'" \
  >/dev/null

echo "Done."
