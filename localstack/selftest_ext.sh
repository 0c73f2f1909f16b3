#!/usr/bin/env bash
# selftest_ext.sh — prove the extended moto server works, with the AWS CLI.
#
#   bash localstack/selftest_ext.sh
#
# Starts its own servers through moto.sh on spare ports (SELFTEST_PORT, default 5099,
# and SELFTEST_PORT-1 for timed executions), runs every check, stops them, prints
# "N passed, M failed" and exits non-zero if anything failed. Installs moto first if
# needed (about a minute).
#
# The CLI's client-side parameter validation is switched off (a throwaway config file
# with parameter_validation = false) so that, like the Rust SDK, it sends out-of-range
# values and the server's own validation is what gets tested.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${SELFTEST_PORT:-5099}"
TIMED_PORT=$(( PORT - 1 ))
# Run time of an execution on the timed server: a third of it per stage, long enough
# for a CLI call (~0.7 s each) to see the first stage still running.
RUN_SECONDS=6
AWS="$HERE/.venv-moto/bin/aws"
WORK=$(mktemp -d)
PASSED=0
FAILED=0

cleanup() {
  MOTO_PORT=$PORT bash "$HERE/moto.sh" stop >/dev/null 2>&1 || true
  MOTO_PORT=$TIMED_PORT bash "$HERE/moto.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- tiny test framework -------------------------------------------------------------

pass() { PASSED=$(( PASSED + 1 )); printf '  ok    %s\n' "$1"; }
fail() { FAILED=$(( FAILED + 1 )); printf '  FAIL  %s\n        %.400s\n' "$1" "$2"; }
section() { printf '\n%s\n' "$1"; }

# Credentials and endpoint for the default account (123456789012 in moto).
use_endpoint() {
  export AWS_ENDPOINT_URL="http://127.0.0.1:$1"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
  unset AWS_SESSION_TOKEN AWS_PROFILE
}
printf '[default]\nparameter_validation = false\n' >"$WORK/aws-config"
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/none"
export AWS_PAGER="" AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=1

# aws_out ARGS...: run the CLI; stdout to $OUT, stderr to $ERR; returns the CLI's rc.
aws_out() {
  set +e
  "$AWS" "$@" >"$WORK/out" 2>"$WORK/err"
  local rc=$?
  set -e
  OUT=$(<"$WORK/out")
  ERR=$(<"$WORK/err")
  return $rc
}

# ok LABEL ARGS...: the call must succeed.
ok() {
  local label=$1; shift
  if aws_out "$@"; then pass "$label"; else fail "$label" "$ERR"; fi
}

# err LABEL CODE ARGS...: the call must fail with error code CODE.
err() {
  local label=$1 code=$2; shift 2
  if aws_out "$@"; then
    fail "$label" "expected $code, but the call succeeded: $OUT"
  elif [[ $ERR == *"($code)"* ]]; then
    pass "$label"
  else
    fail "$label" "expected $code, got: $ERR"
  fi
}

# is LABEL ACTUAL EXPECTED: equality.
is() {
  if [[ $2 == "$3" ]]; then pass "$1"; else fail "$1" "expected '$3', found '$2'"; fi
}

# matches LABEL ACTUAL REGEX
matches() {
  if [[ $2 =~ $3 ]]; then pass "$1"; else fail "$1" "expected to match /$3/, found '$2'"; fi
}

# json EXPR: evaluate a Python expression over the JSON document on stdin (as d).
json() { "$HERE/.venv-moto/bin/python" -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(eval(sys.argv[1])))' "$1"; }

# q ARGS...: run the CLI and print its stdout (for --query ... --output text).
q() { aws_out "$@" || { printf 'call failed: %s\n' "$ERR" >&2; echo "<error>"; }; printf '%s' "$OUT"; }

# --- fixtures -----------------------------------------------------------------------

RULE='{"ConfigRuleName":"s3-sse","Source":{"Owner":"AWS","SourceIdentifier":"S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"},"Scope":{"ComplianceResourceTypes":["AWS::S3::Bucket"]}}'

remediation() {  # remediation RULE [EXTRA_JSON_MEMBERS]
  printf '{"ConfigRuleName":"%s","TargetType":"SSM_DOCUMENT","TargetId":"AWS-EnableS3BucketEncryption","TargetVersion":"1","ResourceType":"AWS::S3::Bucket","Parameters":{"BucketName":{"ResourceValue":{"Value":"RESOURCE_ID"}},"SSEAlgorithm":{"StaticValue":{"Values":["AES256"]}},"AutomationAssumeRole":{"StaticValue":{"Values":["arn:aws:iam::123456789012:role/remediate"]}}}%s}' "$1" "${2:-}"
}
VALID="[$(remediation s3-sse ',"Automatic":true,"MaximumAutomaticAttempts":5,"RetryAttemptSeconds":60,"ExecutionControls":{"SsmControls":{"ConcurrentExecutionRatePercentage":10,"ErrorPercentage":10}}')]"

TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
pipeline_json() {  # pipeline_json ACCOUNT
  cat <<EOF
{"name":"demo","roleArn":"arn:aws:iam::$1:role/codepipeline-demo","artifactStore":{"type":"S3","location":"artifacts-$1"},
 "stages":[
  {"name":"Source","actions":[{"name":"Source","actionTypeId":{"category":"Source","owner":"AWS","provider":"S3","version":"1"},"configuration":{"S3Bucket":"src-$1","S3ObjectKey":"app.zip"},"outputArtifacts":[{"name":"src"}]}]},
  {"name":"Build","actions":[{"name":"Build","actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"},"configuration":{"ProjectName":"demo"},"inputArtifacts":[{"name":"src"}],"outputArtifacts":[{"name":"out"}]}]},
  {"name":"Deploy","actions":[{"name":"Deploy","actionTypeId":{"category":"Deploy","owner":"AWS","provider":"S3","version":"1"},"configuration":{"BucketName":"site-$1","Extract":"true"},"inputArtifacts":[{"name":"out"}]}]}]}
EOF
}

# --- start ------------------------------------------------------------------------------

section "starting moto on ports $PORT and $TIMED_PORT"
MOTO_PORT=$PORT bash "$HERE/moto.sh" start
LABCHECK_MOTO_EXECUTION_SECONDS=$RUN_SECONDS MOTO_PORT=$TIMED_PORT bash "$HERE/moto.sh" start
use_endpoint "$PORT"

section "AWS Config remediation configurations"
ok  "put-config-rule (managed S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED)" \
    configservice put-config-rule --config-rule "$RULE"
ok  "put-remediation-configurations (valid, automatic)" \
    configservice put-remediation-configurations --remediation-configurations "$VALID"
is  "  FailedBatches is empty" "$(json 'd.get("FailedBatches")' <<<"$OUT")" "[]"
DESCRIBE=(configservice describe-remediation-configurations --config-rule-names s3-sse no-such-rule)
is  "describe: only the existing rule is returned" \
    "$(q "${DESCRIBE[@]}" --query 'length(RemediationConfigurations)' --output text)" "1"
is  "describe: target, type, version, resource type" \
    "$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].[TargetType,TargetId,TargetVersion,ResourceType]' --output text)" \
    "SSM_DOCUMENT	AWS-EnableS3BucketEncryption	1	AWS::S3::Bucket"
is  "describe: Automatic, MaximumAutomaticAttempts, RetryAttemptSeconds" \
    "$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].[Automatic,MaximumAutomaticAttempts,RetryAttemptSeconds]' --output text)" \
    "True	5	60"
is  "describe: ExecutionControls.SsmControls" \
    "$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].ExecutionControls.SsmControls.[ConcurrentExecutionRatePercentage,ErrorPercentage]' --output text)" \
    "10	10"
is  "describe: Parameters (ResourceValue and StaticValue)" \
    "$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].Parameters.[BucketName.ResourceValue.Value,SSEAlgorithm.StaticValue.Values[0]]' --output text)" \
    "RESOURCE_ID	AES256"
ARN=$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].Arn' --output text)
matches "describe: Arn is arn:aws:config:<region>:<account>:remediation-configuration/<rule>/<uuid>" \
    "$ARN" '^arn:aws:config:us-east-1:123456789012:remediation-configuration/s3-sse/[0-9a-f-]{36}$'
is  "describe: CreatedByService is absent" \
    "$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].CreatedByService' --output text)" "None"
ok  "put again (manual) updates in place" configservice put-remediation-configurations \
    --remediation-configurations "[$(remediation s3-sse)]"
is  "  Automatic now false, Arn unchanged" \
    "$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].[Automatic,Arn]' --output text)" "False	$ARN"
is  "describe with only unknown names returns an empty list" \
    "$(q configservice describe-remediation-configurations --config-rule-names nope --query 'length(RemediationConfigurations)' --output text)" "0"

err "put for a rule that does not exist" NoSuchConfigRuleException \
    configservice put-remediation-configurations --remediation-configurations "[$(remediation no-such-rule)]"
err "put with TargetType LAMBDA" ValidationException \
    configservice put-remediation-configurations --remediation-configurations \
    '[{"ConfigRuleName":"s3-sse","TargetType":"LAMBDA","TargetId":"x"}]'
err "put with Automatic but no MaximumAutomaticAttempts/RetryAttemptSeconds" InvalidParameterValueException \
    configservice put-remediation-configurations --remediation-configurations "[$(remediation s3-sse ',"Automatic":true')]"
err "put with MaximumAutomaticAttempts 26" ValidationException \
    configservice put-remediation-configurations --remediation-configurations \
    "[$(remediation s3-sse ',"Automatic":true,"MaximumAutomaticAttempts":26,"RetryAttemptSeconds":60')]"
err "put with MaximumAutomaticAttempts 0" ValidationException \
    configservice put-remediation-configurations --remediation-configurations \
    "[$(remediation s3-sse ',"Automatic":true,"MaximumAutomaticAttempts":0,"RetryAttemptSeconds":60')]"
err "put with RetryAttemptSeconds 2678001" ValidationException \
    configservice put-remediation-configurations --remediation-configurations \
    "[$(remediation s3-sse ',"Automatic":true,"MaximumAutomaticAttempts":5,"RetryAttemptSeconds":2678001')]"
err "put with a parameter that is both ResourceValue and StaticValue" InvalidParameterValueException \
    configservice put-remediation-configurations --remediation-configurations \
    '[{"ConfigRuleName":"s3-sse","TargetType":"SSM_DOCUMENT","TargetId":"x","Parameters":{"P":{"ResourceValue":{"Value":"RESOURCE_ID"},"StaticValue":{"Values":["a"]}}}}]'
MANY=""
for _ in $(seq 1 26); do MANY+="${MANY:+,}$(remediation s3-sse)"; done
err "put with 26 configurations in one call" ValidationException \
    configservice put-remediation-configurations --remediation-configurations "[$MANY]"
is  "failed puts changed nothing (still manual)" \
    "$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].Automatic' --output text)" "False"
is  "describe-remediation-execution-status is empty" \
    "$(q configservice describe-remediation-execution-status --config-rule-name s3-sse --query 'length(RemediationExecutionStatuses)' --output text)" "0"
err "delete-config-rule while a remediation exists" ResourceInUseException \
    configservice delete-config-rule --config-rule-name s3-sse
ok  "delete-remediation-configuration" \
    configservice delete-remediation-configuration --config-rule-name s3-sse
err "delete-remediation-configuration again" NoSuchRemediationConfigurationException \
    configservice delete-remediation-configuration --config-rule-name s3-sse
is  "describe after delete is empty" \
    "$(q "${DESCRIBE[@]}" --query 'length(RemediationConfigurations)' --output text)" "0"
ok  "put again for the account checks below" \
    configservice put-remediation-configurations --remediation-configurations "$VALID"
ARN=$(q "${DESCRIBE[@]}" --query 'RemediationConfigurations[0].Arn' --output text)

section "CodePipeline"
err "create-pipeline with a role that does not exist (moto checks the role)" InvalidStructureException \
    codepipeline create-pipeline --pipeline "$(pipeline_json 123456789012)"
ok  "iam create-role trusted by codepipeline.amazonaws.com" \
    iam create-role --role-name codepipeline-demo --assume-role-policy-document "$TRUST"
ok  "create-pipeline (Source, Build, Deploy)" codepipeline create-pipeline --pipeline "$(pipeline_json 123456789012)"
ok  "iam create-role whose trust policy lists several services" iam create-role --role-name multi \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":["config.amazonaws.com","codepipeline.amazonaws.com"]},"Action":["sts:AssumeRole"]}}'
ok  "create-pipeline accepts that role (moto alone rejects it)" codepipeline create-pipeline \
    --pipeline "$(pipeline_json 123456789012 | sed 's/"name":"demo"/"name":"demo2"/; s#role/codepipeline-demo#role/multi#')"
ok  "delete-pipeline" codepipeline delete-pipeline --name demo2
ok  "iam create-role trusted by another service only" iam create-role --role-name not-cp \
    --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
err "create-pipeline rejects a role that does not trust CodePipeline" InvalidStructureException codepipeline create-pipeline \
    --pipeline "$(pipeline_json 123456789012 | sed 's/"name":"demo"/"name":"demo3"/; s#role/codepipeline-demo#role/not-cp#')"
is  "get-pipeline-state: name and version" \
    "$(q codepipeline get-pipeline-state --name demo --query '[pipelineName,pipelineVersion]' --output text)" "demo	1"
is  "get-pipeline-state: stages in order" \
    "$(q codepipeline get-pipeline-state --name demo --query 'stageStates[].stageName' --output text)" "Source	Build	Deploy"
is  "get-pipeline-state: actions per stage" \
    "$(q codepipeline get-pipeline-state --name demo --query 'stageStates[].actionStates[0].actionName' --output text)" "Source	Build	Deploy"
is  "get-pipeline-state: no latestExecution before any run" \
    "$(q codepipeline get-pipeline-state --name demo --query 'length(stageStates[?latestExecution])' --output text)" "0"
is  "get-pipeline-state: created and updated are epoch seconds, as on AWS" \
    "$(q codepipeline get-pipeline-state --name demo | json '[type(d["created"]).__name__, type(d["updated"]).__name__]')" \
    '["float", "float"]'
err "get-pipeline-state for an unknown pipeline" PipelineNotFoundException \
    codepipeline get-pipeline-state --name nope
FIRST=$(q codepipeline start-pipeline-execution --name demo --query pipelineExecutionId --output text)
matches "start-pipeline-execution returns an id" "$FIRST" '^[0-9a-f-]{36}$'
is  "get-pipeline-execution: Succeeded" \
    "$(q codepipeline get-pipeline-execution --pipeline-name demo --pipeline-execution-id "$FIRST" --query pipelineExecution.status --output text)" "Succeeded"
SECOND=$(q codepipeline start-pipeline-execution --name demo --query pipelineExecutionId --output text)
is  "list-pipeline-executions: newest first" \
    "$(q codepipeline list-pipeline-executions --pipeline-name demo --query 'pipelineExecutionSummaries[].pipelineExecutionId' --output text)" "$SECOND	$FIRST"
is  "list-pipeline-executions: statuses" \
    "$(q codepipeline list-pipeline-executions --pipeline-name demo --query 'pipelineExecutionSummaries[].status' --output text)" "Succeeded	Succeeded"
is  "list-pipeline-executions: startTime and lastUpdateTime present" \
    "$(q codepipeline list-pipeline-executions --pipeline-name demo --query 'length(pipelineExecutionSummaries[?startTime && lastUpdateTime])' --output text)" "2"
is  "list-pipeline-executions --max-results 1: the newest" \
    "$(q codepipeline list-pipeline-executions --pipeline-name demo --max-results 1 --no-paginate --query 'pipelineExecutionSummaries[].pipelineExecutionId' --output text)" "$SECOND"
is  "get-pipeline-state: every stage's latestExecution is the newest, Succeeded" \
    "$(q codepipeline get-pipeline-state --name demo --query 'stageStates[].latestExecution.[pipelineExecutionId,status]' --output text | sort -u)" "$SECOND	Succeeded"
is  "get-pipeline-state: every action Succeeded" \
    "$(q codepipeline get-pipeline-state --name demo --query 'stageStates[].actionStates[].latestExecution.status' --output text)" "Succeeded	Succeeded	Succeeded"

section "timed executions (LABCHECK_MOTO_EXECUTION_SECONDS=$RUN_SECONDS, port $TIMED_PORT)"
use_endpoint "$TIMED_PORT"
aws_out iam create-role --role-name codepipeline-demo --assume-role-policy-document "$TRUST" || true
ok  "create-pipeline" codepipeline create-pipeline --pipeline "$(pipeline_json 123456789012)"
RUN1=$(q codepipeline start-pipeline-execution --name demo --query pipelineExecutionId --output text)
is  "just started: InProgress" \
    "$(q codepipeline get-pipeline-execution --pipeline-name demo --pipeline-execution-id "$RUN1" --query pipelineExecution.status --output text)" "InProgress"
is  "just started: first stage InProgress, later stages not reached" \
    "$(q codepipeline get-pipeline-state --name demo --query 'stageStates[].[stageName,latestExecution.status]' --output text | tr '\n' ' ')" \
    "Source	InProgress Build	None Deploy	None"
RUN2=$(q codepipeline start-pipeline-execution --name demo --query pipelineExecutionId --output text)
is  "a second start supersedes the first" \
    "$(q codepipeline list-pipeline-executions --pipeline-name demo --query 'pipelineExecutionSummaries[].[pipelineExecutionId,status]' --output text | tr '\n' ' ')" \
    "$RUN2	InProgress $RUN1	Superseded"
sleep "$RUN_SECONDS"
is  "after $RUN_SECONDS s: Succeeded" \
    "$(q codepipeline list-pipeline-executions --pipeline-name demo --query 'pipelineExecutionSummaries[0].status' --output text)" "Succeeded"
is  "after $RUN_SECONDS s: every stage Succeeded with the newest execution" \
    "$(q codepipeline get-pipeline-state --name demo --query 'stageStates[].latestExecution.[pipelineExecutionId,status]' --output text | sort -u)" "$RUN2	Succeeded"
use_endpoint "$PORT"

section "CloudWatch over JSON (AWS CLI) and Smithy RPC v2 CBOR (the Rust SDK's protocol)"
ok  "put-metric-alarm (CLI, JSON 1.0)" cloudwatch put-metric-alarm --alarm-name errors-high \
    --namespace LabApp --metric-name Errors --statistic Sum --period 60 --evaluation-periods 1 \
    --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold
# botocore prefers JSON; forcing its CBOR support on sends what the Rust SDK sends:
# POST /service/GraniteServiceVersion20100801/operation/<Op>, application/cbor.
cbor() {
  "$HERE/.venv-moto/bin/python" - "$AWS_ENDPOINT_URL" <<'PY' 2>&1
import sys, botocore.model, boto3
botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("smithy-rpc-v2-cbor",)
cw = boto3.client("cloudwatch", endpoint_url=sys.argv[1])
assert cw.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
alarm = cw.describe_alarms(AlarmNames=["errors-high"])["MetricAlarms"][0]
print("describe", alarm["AlarmName"], alarm["Threshold"], alarm["AlarmConfigurationUpdatedTimestamp"].year > 2000)
cw.put_metric_alarm(AlarmName="via-cbor", Namespace="LabApp", MetricName="Errors", Statistic="Sum",
                    Period=60, EvaluationPeriods=1, Threshold=5, ComparisonOperator="GreaterThanThreshold")
try:
    cw.set_alarm_state(AlarmName="no-such-alarm", StateValue="OK", StateReason="test")
except cw.exceptions.ResourceNotFound as e:
    print("error", e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-query-error"))
PY
}
CBOR_OUT=$(cbor)
is  "CBOR describe-alarms sees the alarm, timestamps decode" "$(sed -n 1p <<<"$CBOR_OUT")" "describe errors-high 1.0 True"
is  "CBOR errors carry the code and x-amzn-query-error" "$(sed -n 2p <<<"$CBOR_OUT")" "error ResourceNotFound ResourceNotFound;Sender"
is  "an alarm put over CBOR is visible over JSON" \
    "$(q cloudwatch describe-alarms --alarm-names via-cbor --query 'MetricAlarms[0].Threshold' --output text)" "5.0"

section "STS assume-role into account 111111111111 (state per account)"
read -r KEY SECRET TOKEN < <(q sts assume-role --role-arn arn:aws:iam::111111111111:role/x \
  --role-session-name selftest --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text; echo)
export AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=$TOKEN
is  "get-caller-identity: account 111111111111" \
    "$(q sts get-caller-identity --query Account --output text)" "111111111111"
is  "alarms of the default account are not visible" \
    "$(q cloudwatch describe-alarms --query 'length(MetricAlarms)' --output text)" "0"
is  "config rules of the default account are not visible" \
    "$(q configservice describe-config-rules --query 'length(ConfigRules)' --output text)" "0"
is  "remediation configurations of the default account are not visible" \
    "$(q configservice describe-remediation-configurations --config-rule-names s3-sse --query 'length(RemediationConfigurations)' --output text)" "0"
err "put-remediation-configurations: the rule does not exist in this account" NoSuchConfigRuleException \
    configservice put-remediation-configurations --remediation-configurations "$VALID"
err "get-pipeline-state: the pipeline does not exist in this account" PipelineNotFoundException \
    codepipeline get-pipeline-state --name demo
ok  "put-config-rule in 111111111111" configservice put-config-rule --config-rule "$RULE"
ok  "put-remediation-configurations in 111111111111" \
    configservice put-remediation-configurations --remediation-configurations "$VALID"
matches "its Arn names account 111111111111" \
    "$(q configservice describe-remediation-configurations --config-rule-names s3-sse --query 'RemediationConfigurations[0].Arn' --output text)" \
    '^arn:aws:config:us-east-1:111111111111:remediation-configuration/s3-sse/'
ok  "iam create-role in 111111111111" \
    iam create-role --role-name codepipeline-demo --assume-role-policy-document "$TRUST"
ok  "create-pipeline in 111111111111" codepipeline create-pipeline --pipeline "$(pipeline_json 111111111111)"
is  "get-pipeline-state there has no executions" \
    "$(q codepipeline get-pipeline-state --name demo --query 'length(stageStates[?latestExecution])' --output text)" "0"
use_endpoint "$PORT"
is  "the default account still sees its own remediation Arn" \
    "$(q configservice describe-remediation-configurations --config-rule-names s3-sse --query 'RemediationConfigurations[0].Arn' --output text)" "$ARN"
is  "the default account still sees its own executions" \
    "$(q codepipeline get-pipeline-state --name demo --query 'stageStates[0].latestExecution.pipelineExecutionId' --output text)" "$SECOND"
is  "another Region of the default account is empty" \
    "$(q configservice describe-remediation-configurations --region eu-west-1 --config-rule-names s3-sse --query 'length(RemediationConfigurations)' --output text)" "0"

section "reset"
if MOTO_PORT=$PORT bash "$HERE/moto.sh" reset >/dev/null; then pass "moto.sh reset"; else fail "moto.sh reset" "failed"; fi
is  "remediation configurations are gone" \
    "$(q configservice describe-remediation-configurations --config-rule-names s3-sse --query 'length(RemediationConfigurations)' --output text)" "0"
is  "config rules are gone" \
    "$(q configservice describe-config-rules --query 'length(ConfigRules)' --output text)" "0"
err "pipelines are gone" PipelineNotFoundException codepipeline get-pipeline-state --name demo

printf '\nselftest_ext: %d passed, %d failed\n' "$PASSED" "$FAILED"
(( FAILED == 0 ))
