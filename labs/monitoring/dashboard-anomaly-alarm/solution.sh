#!/usr/bin/env bash
# Reference solution: a dashboard for a Lambda service, and an alarm that learns what
# normal traffic looks like.
#
#   AWS/Lambda Invocations --> anomaly detection band (2 standard deviations)
#     --> alarm (outside the band, either side) --> SNS topic
#   dashboard: invocations, errors, throttles, p99 duration, and the alarm's state
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment.
# The function itself is not created here: the metrics are the same whoever made it.
set -euo pipefail

FUNCTION="${FUNCTION:-labcheck-mon-checkout}"                     # lab param function
ALARM="${ALARM:-labcheck-mon-checkout-invocations-anomaly}"       # lab param alarm
DASHBOARD="${DASHBOARD:-labcheck-mon-checkout}"                   # lab param dashboard
TOPIC="labcheck-mon-checkout-alerts"

# 1. Where the alarm sends its notifications.
echo "1. SNS topic ${TOPIC}"
TOPIC_ARN=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)
PARTITION=$(cut -d: -f2 <<<"$TOPIC_ARN")
REGION=$(cut -d: -f4 <<<"$TOPIC_ARN")
ACCOUNT=$(cut -d: -f5 <<<"$TOPIC_ARN")

# 2. The anomaly detection alarm. m1 is the metric (invocations per 5 minutes); ad1 is
#    the band CloudWatch's model expects, 2 standard deviations wide. The alarm compares
#    m1 with the band (ThresholdMetricId) on both sides: a spike (a retry storm, a bot)
#    and a drop (the caller is broken, nothing reaches us) are both incidents. CloudWatch
#    trains the model from the metric's history when the alarm is created.
#    Two of three 5-minute periods outside the band, so one odd datapoint does not page;
#    no data at all (Lambda publishes nothing without invocations) is the worst drop.
echo "2. Anomaly detection alarm ${ALARM}"
aws cloudwatch put-metric-alarm \
  --alarm-name "$ALARM" \
  --alarm-description "Invocations of ${FUNCTION} outside the expected band" \
  --metrics "[
    {\"Id\": \"m1\", \"ReturnData\": true,
     \"MetricStat\": {\"Metric\": {\"Namespace\": \"AWS/Lambda\", \"MetricName\": \"Invocations\",
                                 \"Dimensions\": [{\"Name\": \"FunctionName\", \"Value\": \"${FUNCTION}\"}]},
                     \"Period\": 300, \"Stat\": \"Sum\"}},
    {\"Id\": \"ad1\", \"ReturnData\": true, \"Expression\": \"ANOMALY_DETECTION_BAND(m1, 2)\",
     \"Label\": \"Invocations (expected)\"}
  ]" \
  --threshold-metric-id ad1 \
  --comparison-operator LessThanLowerOrGreaterThanUpperThreshold \
  --evaluation-periods 3 \
  --datapoints-to-alarm 2 \
  --treat-missing-data breaching \
  --alarm-actions "$TOPIC_ARN" \
  --ok-actions "$TOPIC_ARN"
ALARM_ARN="arn:${PARTITION}:cloudwatch:${REGION}:${ACCOUNT}:alarm:${ALARM}"

# 3. The dashboard: the function's key metrics side by side. Duration as p99 (an
#    average hides the slow tail users feel), errors and throttles as sums, and the
#    anomaly alarm's state so the on-call sees at a glance why they were paged.
echo "3. Dashboard ${DASHBOARD}"
aws cloudwatch put-dashboard --dashboard-name "$DASHBOARD" --dashboard-body "{
  \"widgets\": [
    {\"type\": \"metric\", \"x\": 0, \"y\": 0, \"width\": 12, \"height\": 6,
     \"properties\": {\"title\": \"Invocations\", \"region\": \"${REGION}\", \"view\": \"timeSeries\",
       \"stat\": \"Sum\", \"period\": 300,
       \"metrics\": [[\"AWS/Lambda\", \"Invocations\", \"FunctionName\", \"${FUNCTION}\"]]}},
    {\"type\": \"metric\", \"x\": 12, \"y\": 0, \"width\": 12, \"height\": 6,
     \"properties\": {\"title\": \"Errors and throttles\", \"region\": \"${REGION}\", \"view\": \"timeSeries\",
       \"stat\": \"Sum\", \"period\": 60,
       \"metrics\": [[\"AWS/Lambda\", \"Errors\", \"FunctionName\", \"${FUNCTION}\"],
                     [\".\", \"Throttles\", \".\", \".\"]]}},
    {\"type\": \"metric\", \"x\": 0, \"y\": 6, \"width\": 12, \"height\": 6,
     \"properties\": {\"title\": \"Duration p99 (ms)\", \"region\": \"${REGION}\", \"view\": \"timeSeries\",
       \"stat\": \"p99\", \"period\": 60,
       \"metrics\": [[\"AWS/Lambda\", \"Duration\", \"FunctionName\", \"${FUNCTION}\"]]}},
    {\"type\": \"alarm\", \"x\": 12, \"y\": 6, \"width\": 12, \"height\": 6,
     \"properties\": {\"title\": \"Alarms\", \"alarms\": [\"${ALARM_ARN}\"]}}
  ]
}" >/dev/null

echo "Done."
