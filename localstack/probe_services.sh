#!/usr/bin/env bash
# probe_services.sh — which of the APIs labcheck's labs use does an emulator answer?
#
#   bash localstack/probe_services.sh http://127.0.0.1:4566     # LocalStack
#   bash localstack/probe_services.sh http://127.0.0.1:5000     # extended moto
#
# Sets up a little state through each service's API (the way a lab's solution.sh
# would), reads it back, and prints one line per call: OK, or ERR with the error.
# Uses the AWS CLI from localstack/.venv-moto (run `bash localstack/moto.sh install`).
# Only ever talks to the endpoint given, which must be on this machine.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ENDPOINT=${1:?usage: probe_services.sh http://127.0.0.1:PORT}
[[ $ENDPOINT =~ ^https?://(127\.0\.0\.1|localhost)(:[0-9]+)?/?$ ]] ||
  { echo "refusing a non-local endpoint: $ENDPOINT" >&2; exit 2; }
AWS="$HERE/.venv-moto/bin/aws"
export AWS_ENDPOINT_URL=$ENDPOINT AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_MAX_ATTEMPTS=1
unset AWS_PROFILE AWS_SESSION_TOKEN

ACCOUNT=$("$AWS" sts get-caller-identity --query Account --output text 2>/dev/null || echo 000000000000)
TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["codepipeline.amazonaws.com","config.amazonaws.com","firehose.amazonaws.com","logs.amazonaws.com"]},"Action":"sts:AssumeRole"}]}'
ROLE="arn:aws:iam::$ACCOUNT:role/probe-role"
TEMPLATE='{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}'
# For StackSets a resource without a name: moto derives an SNS topic name from the
# instance's stack name that SNS then rejects, which is not what is probed here.
SET_TEMPLATE='{"Resources":{"Handle":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}}'

p() {
  local label=$1 out
  shift
  if out=$("$AWS" "$@" --cli-read-timeout 30 --cli-connect-timeout 5 2>&1); then
    printf 'OK   %s\n' "$label"
  else
    printf 'ERR  %s :: %s\n' "$label" "$(tr '\n' ' ' <<<"$out" | sed 's/^ *//' | cut -c1-200)"
  fi
}

# check LABEL EXPECTED ARGS...: the call's --output text result must equal EXPECTED.
check() {
  local label=$1 expected=$2 out
  shift 2
  out=$("$AWS" "$@" --output text 2>&1)
  if [[ $out == "$expected" ]]; then
    printf 'OK   %s\n' "$label"
  else
    printf 'ERR  %s :: expected %s, got %s\n' "$label" "$expected" "$(tr '\n' ' ' <<<"$out" | cut -c1-200)"
  fi
}

echo "# $ENDPOINT (account $ACCOUNT)"
p "sts get-caller-identity" sts get-caller-identity
p "iam create-role" iam create-role --role-name probe-role --assume-role-policy-document "$TRUST"
p "iam get-role" iam get-role --role-name probe-role
CREDS=$("$AWS" sts assume-role --role-arn arn:aws:iam::111111111111:role/x --role-session-name probe \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text 2>/dev/null)
read -r KEY SECRET TOKEN <<<"$CREDS"
if [[ -n ${KEY:-} ]]; then
  out=$(AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=$TOKEN \
    "$AWS" sts get-caller-identity --query Account --output text 2>&1)
  [[ $out == 111111111111 ]] && echo "OK   sts assume-role: credentials act in 111111111111" ||
    echo "ERR  sts assume-role: credentials act in 111111111111 :: $out"
else
  echo "ERR  sts assume-role :: no credentials"
fi
p "s3 create-bucket" s3api create-bucket --bucket probe-bucket
p "s3 list-buckets" s3api list-buckets
p "s3 get-bucket-encryption" s3api get-bucket-encryption --bucket probe-bucket
p "sns create-topic" sns create-topic --name probe-topic
p "sns list-topics" sns list-topics
p "kms create-key" kms create-key
p "kms list-keys" kms list-keys
p "ssm put-parameter" ssm put-parameter --name /probe/p --value v --type String --overwrite
p "ssm get-parameter" ssm get-parameter --name /probe/p

p "logs create-log-group" logs create-log-group --log-group-name probe-lg
p "logs put-metric-filter" logs put-metric-filter --log-group-name probe-lg --filter-name errors \
  --filter-pattern ERROR --metric-transformations metricName=Errors,metricNamespace=Probe,metricValue=1
check "logs describe-metric-filters" errors logs describe-metric-filters --log-group-name probe-lg --query 'metricFilters[].filterName'
p "firehose create-delivery-stream (subscription target)" firehose create-delivery-stream \
  --delivery-stream-name probe-stream \
  --s3-destination-configuration "RoleARN=$ROLE,BucketARN=arn:aws:s3:::probe-bucket"
p "logs put-subscription-filter" logs put-subscription-filter --log-group-name probe-lg --filter-name sub \
  --filter-pattern "" --destination-arn "arn:aws:firehose:us-east-1:$ACCOUNT:deliverystream/probe-stream" --role-arn "$ROLE"
check "logs describe-subscription-filters" sub logs describe-subscription-filters --log-group-name probe-lg --query 'subscriptionFilters[].filterName'

p "cloudwatch put-metric-alarm (JSON)" cloudwatch put-metric-alarm --alarm-name probe-alarm --metric-name Errors \
  --namespace Probe --statistic Sum --period 60 --evaluation-periods 1 --threshold 1 \
  --comparison-operator GreaterThanOrEqualToThreshold
check "cloudwatch describe-alarms (JSON)" probe-alarm cloudwatch describe-alarms --query 'MetricAlarms[].AlarmName'
cbor=$("$HERE/.venv-moto/bin/python" - "$ENDPOINT" <<'PY' 2>&1
import sys, botocore.model, boto3
botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("smithy-rpc-v2-cbor",)
cw = boto3.client("cloudwatch", endpoint_url=sys.argv[1])
print(",".join(a["AlarmName"] for a in cw.describe_alarms()["MetricAlarms"]))
PY
)
[[ $cbor == probe-alarm ]] && echo "OK   cloudwatch describe-alarms (CBOR, as the Rust SDK sends it)" ||
  echo "ERR  cloudwatch describe-alarms (CBOR, as the Rust SDK sends it) :: $(tail -n1 <<<"$cbor" | cut -c1-200)"

p "config put-configuration-recorder" configservice put-configuration-recorder \
  --configuration-recorder "name=default,roleARN=$ROLE"
check "config describe-configuration-recorders" default configservice describe-configuration-recorders --query 'ConfigurationRecorders[].name'
p "config put-delivery-channel" configservice put-delivery-channel --delivery-channel name=default,s3BucketName=probe-bucket
p "config start-configuration-recorder" configservice start-configuration-recorder --configuration-recorder-name default
check "config describe-configuration-recorder-status" True configservice describe-configuration-recorder-status --query 'ConfigurationRecordersStatus[].recording'
p "config put-config-rule" configservice put-config-rule --config-rule \
  '{"ConfigRuleName":"s3-sse","Source":{"Owner":"AWS","SourceIdentifier":"S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"}}'
check "config describe-config-rules" s3-sse configservice describe-config-rules --query 'ConfigRules[].ConfigRuleName'
p "config put-remediation-configurations" configservice put-remediation-configurations --remediation-configurations \
  '[{"ConfigRuleName":"s3-sse","TargetType":"SSM_DOCUMENT","TargetId":"AWS-EnableS3BucketEncryption","Automatic":true,"MaximumAutomaticAttempts":5,"RetryAttemptSeconds":60,"Parameters":{"BucketName":{"ResourceValue":{"Value":"RESOURCE_ID"}}}}]'
check "config describe-remediation-configurations" AWS-EnableS3BucketEncryption configservice describe-remediation-configurations --config-rule-names s3-sse --query 'RemediationConfigurations[].TargetId'
p "config describe-compliance-by-config-rule" configservice describe-compliance-by-config-rule

p "cloudformation create-stack" cloudformation create-stack --stack-name probe-stack --template-body "$TEMPLATE"
sleep 2
check "cloudformation describe-stacks" CREATE_COMPLETE cloudformation describe-stacks --stack-name probe-stack --query 'Stacks[0].StackStatus'
p "cloudformation create-stack-set" cloudformation create-stack-set --stack-set-name probe-ss --template-body "$SET_TEMPLATE"
check "cloudformation list-stack-sets" probe-ss cloudformation list-stack-sets --query 'Summaries[].StackSetName'
check "cloudformation describe-stack-set" probe-ss cloudformation describe-stack-set --stack-set-name probe-ss --query 'StackSet.StackSetName'
p "cloudformation create-stack-instances (2 Regions)" cloudformation create-stack-instances --stack-set-name probe-ss \
  --accounts "$ACCOUNT" --regions us-east-1 us-west-2
sleep 2
check "cloudformation list-stack-instances" "2" cloudformation list-stack-instances --stack-set-name probe-ss --query 'length(Summaries)'

p "codepipeline create-pipeline" codepipeline create-pipeline --pipeline "{\"name\":\"probe\",\"roleArn\":\"$ROLE\",\"artifactStore\":{\"type\":\"S3\",\"location\":\"probe-bucket\"},\"stages\":[{\"name\":\"Source\",\"actions\":[{\"name\":\"Source\",\"actionTypeId\":{\"category\":\"Source\",\"owner\":\"AWS\",\"provider\":\"S3\",\"version\":\"1\"},\"configuration\":{\"S3Bucket\":\"probe-bucket\",\"S3ObjectKey\":\"a.zip\"},\"outputArtifacts\":[{\"name\":\"src\"}]}]},{\"name\":\"Deploy\",\"actions\":[{\"name\":\"Deploy\",\"actionTypeId\":{\"category\":\"Deploy\",\"owner\":\"AWS\",\"provider\":\"S3\",\"version\":\"1\"},\"configuration\":{\"BucketName\":\"probe-bucket\",\"Extract\":\"true\"},\"inputArtifacts\":[{\"name\":\"src\"}]}]}]}"
p "codepipeline list-pipelines" codepipeline list-pipelines
p "codepipeline start-pipeline-execution" codepipeline start-pipeline-execution --name probe
check "codepipeline list-pipeline-executions" Succeeded codepipeline list-pipeline-executions --pipeline-name probe --query 'pipelineExecutionSummaries[0].status'
check "codepipeline get-pipeline-state" "Source	Deploy" codepipeline get-pipeline-state --name probe --query 'stageStates[].stageName'
