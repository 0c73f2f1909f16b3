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
# for two CLI calls (~0.7 s each, over 2 s on a loaded 2-core machine) to see the
# first stage still running.
RUN_SECONDS=15
# The pinned CLI; through the AWS CLI server's shim when one is started (tests/run.sh).
if [[ -n ${LABCHECK_AWS_CLI_SOCKET:-} ]] && command -v aws >/dev/null; then
  AWS=$(command -v aws)
else
  AWS="$HERE/.venv-moto/bin/aws"
fi
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

# as_account ID: credentials of a session in account ID.
as_account() {
  use_endpoint "$PORT"
  read -r KEY SECRET TOKEN < <(q sts assume-role --role-arn "arn:aws:iam::$1:role/x" \
    --role-session-name selftest --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text; echo)
  export AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=$TOKEN
}

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

DOC='{"schemaVersion":"2.2","description":"lab","mainSteps":[{"action":"aws:runShellScript","name":"hello","inputs":{"runCommand":["echo hello"]}}]}'
PATCH_RULES='PatchRules=[{PatchFilterGroup={PatchFilters=[{Key=CLASSIFICATION,Values=[Security]},{Key=SEVERITY,Values=[Critical,Important]}]},ApproveAfterDays=7,ComplianceLevel=CRITICAL}]'

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

section "SSM State Manager associations"
ok  "create-association (AWS-RunPatchBaseline, tag targets, cron, tags)" ssm create-association \
    --name AWS-RunPatchBaseline --association-name patch-nightly --targets Key=tag:Patch,Values=yes \
    --schedule-expression "cron(0 2 ? * SUN *)" --parameters Operation=Install \
    --compliance-severity HIGH --sync-compliance AUTO --max-errors 10% --max-concurrency 50% \
    --output-location 'S3Location={OutputS3BucketName=ssm-logs,OutputS3KeyPrefix=patch}' \
    --tags Key=env,Value=lab
ASSOC=$(json 'd["AssociationDescription"]["AssociationId"]' <<<"$OUT" | tr -d '"')
matches "  AssociationId is a uuid" "$ASSOC" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
is  "  AssociationVersion 1, DocumentVersion \$DEFAULT, ApplyOnlyAtCronInterval false" \
    "$(json '[d["AssociationDescription"][k] for k in ("AssociationVersion","DocumentVersion","ApplyOnlyAtCronInterval")]' <<<"$OUT")" \
    '["1", "$DEFAULT", false]'
is  "  Overview Pending/Creating" \
    "$(json '[d["AssociationDescription"]["Overview"][k] for k in ("Status","DetailedStatus")]' <<<"$OUT")" '["Pending", "Creating"]'
is  "  Date and LastUpdateAssociationDate are epoch seconds" \
    "$(json '[type(d["AssociationDescription"][k]).__name__ for k in ("Date","LastUpdateAssociationDate")]' <<<"$OUT")" '["float", "float"]'
is  "  every given field is returned" \
    "$(json '[d["AssociationDescription"][k] for k in ("Name","AssociationName","ScheduleExpression","ComplianceSeverity","SyncCompliance","MaxErrors","MaxConcurrency")] + [d["AssociationDescription"]["Targets"], d["AssociationDescription"]["Parameters"], d["AssociationDescription"]["OutputLocation"]["S3Location"]["OutputS3BucketName"]]' <<<"$OUT")" \
    '["AWS-RunPatchBaseline", "patch-nightly", "cron(0 2 ? * SUN *)", "HIGH", "AUTO", "10%", "50%", [{"Key": "tag:Patch", "Values": ["yes"]}], {"Operation": ["Install"]}, "ssm-logs"]'
is  "list-tags-for-resource --resource-type Association" \
    "$(q ssm list-tags-for-resource --resource-type Association --resource-id "$ASSOC" --query 'TagList[].[Key,Value]' --output text)" "env	lab"
is  "describe-association by id" \
    "$(q ssm describe-association --association-id "$ASSOC" --query 'AssociationDescription.[AssociationName,Name,ScheduleExpression,Overview.Status]' --output text)" \
    "patch-nightly	AWS-RunPatchBaseline	cron(0 2 ? * SUN *)	Pending"
ok  "create-document (Command, schema 2.2)" ssm create-document --name lab-hello --document-type Command --content "$DOC"
ok  "create-association with a document created in the account" ssm create-association \
    --name lab-hello --association-name hello-web --targets Key=InstanceIds,Values=i-0123456789abcdef0 \
    --schedule-expression "rate(1 day)" --document-version 1 --apply-only-at-cron-interval
HELLO=$(json 'd["AssociationDescription"]["AssociationId"]' <<<"$OUT" | tr -d '"')
ok  "create-association, third (AWS-UpdateSSMAgent, no name)" ssm create-association \
    --name AWS-UpdateSSMAgent --targets Key=InstanceIds,Values='*' --schedule-expression "rate(14 days)"
is  "list-associations: all three, summary shape" \
    "$(q ssm list-associations | json 'sorted((a.get("AssociationName", "-"), a["Name"], a["AssociationVersion"], a["Overview"]["Status"], sorted(a)) for a in d["Associations"])')" \
    "$(printf '%s' '[["-", "AWS-UpdateSSMAgent", "1", "Pending", ["AssociationId", "AssociationVersion", "DocumentVersion", "Name", "Overview", "ScheduleExpression", "Targets"]], ["hello-web", "lab-hello", "1", "Pending", ["AssociationId", "AssociationName", "AssociationVersion", "DocumentVersion", "Name", "Overview", "ScheduleExpression", "Targets"]], ["patch-nightly", "AWS-RunPatchBaseline", "1", "Pending", ["AssociationId", "AssociationName", "AssociationVersion", "DocumentVersion", "Name", "Overview", "ScheduleExpression", "Targets"]]]')"
is  "list-associations filtered by AssociationName" \
    "$(q ssm list-associations --association-filter-list key=AssociationName,value=hello-web --query 'Associations[].AssociationId' --output text)" "$HELLO"
is  "list-associations filtered by Name (document)" \
    "$(q ssm list-associations --association-filter-list key=Name,value=AWS-RunPatchBaseline --query 'Associations[].AssociationName' --output text)" "patch-nightly"
is  "list-associations filtered by Name and AssociationName (both must match)" \
    "$(q ssm list-associations --association-filter-list key=Name,value=lab-hello key=AssociationName,value=patch-nightly --query 'length(Associations)' --output text)" "0"
is  "list-associations --max-results 2: two and a NextToken" \
    "$(q ssm list-associations --max-results 2 --no-paginate | json '[len(d["Associations"]), bool(d.get("NextToken"))]')" '[2, true]'
TOKEN=$(q ssm list-associations --max-results 2 --no-paginate --query NextToken --output text)
is  "list-associations --next-token: the third" \
    "$(q ssm list-associations --max-results 2 --next-token "$TOKEN" --no-paginate | json '[len(d["Associations"]), d.get("NextToken")]')" '[1, null]'
is  "list-associations, CLI paginating by 1: all three" \
    "$(q ssm list-associations --page-size 1 | json 'len(d["Associations"])')" "3"
err "list-associations with a bad NextToken" InvalidNextToken ssm list-associations --next-token nope --no-paginate
err "list-associations with an unknown filter key" ValidationException \
    ssm list-associations --association-filter-list key=Colour,value=red
err "list-associations --max-results 51" ValidationException ssm list-associations --max-results 51 --no-paginate
ok  "update-association (schedule, name kept, version \$LATEST)" ssm update-association --association-id "$ASSOC" \
    --association-version '$LATEST' --association-name patch-nightly --schedule-expression "cron(0 3 ? * SAT *)" \
    --parameters Operation=Scan --compliance-severity CRITICAL
is  "  AssociationVersion 2, new schedule and severity" \
    "$(json '[d["AssociationDescription"][k] for k in ("AssociationVersion","ScheduleExpression","ComplianceSeverity","Name")]' <<<"$OUT")" \
    '["2", "cron(0 3 ? * SAT *)", "CRITICAL", "AWS-RunPatchBaseline"]'
is  "  optional members left out are cleared, as the API reference says" \
    "$(json '[k in d["AssociationDescription"] for k in ("MaxErrors","OutputLocation","SyncCompliance")]' <<<"$OUT")" '[false, false, false]'
is  "  Targets kept" "$(json 'd["AssociationDescription"]["Targets"]' <<<"$OUT")" '[{"Key": "tag:Patch", "Values": ["yes"]}]'
is  "describe-association: latest version" \
    "$(q ssm describe-association --association-id "$ASSOC" --query 'AssociationDescription.[AssociationVersion,Parameters.Operation[0]]' --output text)" "2	Scan"
is  "describe-association --association-version 1: the original" \
    "$(q ssm describe-association --association-id "$ASSOC" --association-version 1 --query 'AssociationDescription.[AssociationVersion,ScheduleExpression,ComplianceSeverity]' --output text)" \
    "1	cron(0 2 ? * SUN *)	HIGH"
is  "list-associations shows the latest version" \
    "$(q ssm list-associations --association-filter-list key=AssociationId,value="$ASSOC" --query 'Associations[0].[AssociationVersion,ScheduleExpression]' --output text)" "2	cron(0 3 ? * SAT *)"
err "describe-association --association-version 9" InvalidAssociationVersion \
    ssm describe-association --association-id "$ASSOC" --association-version 9
err "update-association with a stale AssociationVersion" InvalidAssociationVersion \
    ssm update-association --association-id "$ASSOC" --association-version 1
err "update-association to another association's name" AssociationAlreadyExists \
    ssm update-association --association-id "$HELLO" --association-name patch-nightly
err "update-association of an unknown id" AssociationDoesNotExist \
    ssm update-association --association-id 11111111-2222-3333-4444-555555555555 --schedule-expression "rate(1 day)"
err "create-association with an AssociationName that exists" AssociationAlreadyExists \
    ssm create-association --name AWS-RunShellScript --association-name patch-nightly --targets Key=InstanceIds,Values=i-0123456789abcdef0
err "create-association with a document that does not exist" InvalidDocument \
    ssm create-association --name no-such-doc --targets Key=InstanceIds,Values=i-0123456789abcdef0
err "create-association with a document version that does not exist" InvalidDocumentVersion \
    ssm create-association --name lab-hello --document-version 7 --targets Key=InstanceIds,Values=i-0123456789abcdef0
err "create-association: a Command document needs targets" InvalidTarget ssm create-association --name lab-hello
err "create-association: InstanceId with a schema 2.2 document" InvalidDocument \
    ssm create-association --name lab-hello --instance-id i-0123456789abcdef0
err "create-association with rate(10 minutes) (State Manager's minimum is 30)" InvalidSchedule \
    ssm create-association --name AWS-RunShellScript --targets Key=InstanceIds,Values=i-0123456789abcdef0 --schedule-expression "rate(10 minutes)"
err "create-association with a schedule that is neither cron nor rate" InvalidSchedule \
    ssm create-association --name AWS-RunShellScript --targets Key=InstanceIds,Values=i-0123456789abcdef0 --schedule-expression "daily"
err "create-association with AssociationName 'a b' and ComplianceSeverity URGENT" ValidationException \
    ssm create-association --name AWS-RunShellScript --association-name 'a b' --compliance-severity URGENT --targets Key=InstanceIds,Values=i-0123456789abcdef0
is  "  both violations reported in one message" "$(grep -o '2 validation errors detected' <<<"$ERR")" "2 validation errors detected"
err "create-association with six targets" ValidationException ssm create-association --name AWS-RunShellScript \
    --targets Key=tag:a,Values=1 Key=tag:b,Values=1 Key=tag:c,Values=1 Key=tag:d,Values=1 Key=tag:e,Values=1 Key=tag:f,Values=1
err "describe-association of an unknown id" AssociationDoesNotExist \
    ssm describe-association --association-id 11111111-2222-3333-4444-555555555555
err "describe-association with a malformed id" ValidationException ssm describe-association --association-id not-a-uuid
err "delete-document while an association uses it" InvalidDocumentOperation ssm delete-document --name lab-hello
ok  "delete-association" ssm delete-association --association-id "$HELLO"
err "delete-association again" AssociationDoesNotExist ssm delete-association --association-id "$HELLO"
err "describe-association after delete" AssociationDoesNotExist ssm describe-association --association-id "$HELLO"
ok  "delete-document once no association uses it" ssm delete-document --name lab-hello
is  "list-associations: two left" "$(q ssm list-associations --query 'length(Associations)' --output text)" "2"

section "SSM GetPatchBaseline"
ok  "create-patch-baseline (AMAZON_LINUX_2, approval rule, approved and rejected patches)" ssm create-patch-baseline \
    --name lab-al2 --operating-system AMAZON_LINUX_2 --description "lab baseline" \
    --approval-rules "$PATCH_RULES" --global-filters 'PatchFilters=[{Key=PRODUCT,Values=[AmazonLinux2]}]' \
    --approved-patches kernel-5.10 --approved-patches-compliance-level HIGH \
    --rejected-patches telnet --rejected-patches-action BLOCK --tags Key=env,Value=lab
BASELINE=$(json 'd["BaselineId"]' <<<"$OUT" | tr -d '"')
ok  "register-patch-baseline-for-patch-group web" ssm register-patch-baseline-for-patch-group --baseline-id "$BASELINE" --patch-group web
ok  "register-patch-baseline-for-patch-group db" ssm register-patch-baseline-for-patch-group --baseline-id "$BASELINE" --patch-group db
ok  "get-patch-baseline" ssm get-patch-baseline --baseline-id "$BASELINE"
is  "  id, name, OS, description" \
    "$(json '[d[k] for k in ("BaselineId","Name","OperatingSystem","Description")]' <<<"$OUT")" "[\"$BASELINE\", \"lab-al2\", \"AMAZON_LINUX_2\", \"lab baseline\"]"
is  "  ApprovalRules as given" \
    "$(json '[(r["ApproveAfterDays"], r["ComplianceLevel"], r["EnableNonSecurity"], [(f["Key"], f["Values"]) for f in r["PatchFilterGroup"]["PatchFilters"]]) for r in d["ApprovalRules"]["PatchRules"]]' <<<"$OUT")" \
    '[[7, "CRITICAL", false, [["CLASSIFICATION", ["Security"]], ["SEVERITY", ["Critical", "Important"]]]]]'
is  "  GlobalFilters" "$(json 'd["GlobalFilters"]' <<<"$OUT")" '{"PatchFilters": [{"Key": "PRODUCT", "Values": ["AmazonLinux2"]}]}'
is  "  approved and rejected patches" \
    "$(json '[d[k] for k in ("ApprovedPatches","ApprovedPatchesComplianceLevel","ApprovedPatchesEnableNonSecurity","RejectedPatches","RejectedPatchesAction","Sources")]' <<<"$OUT")" \
    '[["kernel-5.10"], "HIGH", false, ["telnet"], "BLOCK", []]'
is  "  PatchGroups from register-patch-baseline-for-patch-group" "$(json 'd["PatchGroups"]' <<<"$OUT")" '["web", "db"]'
is  "  CreatedDate and ModifiedDate are epoch seconds" \
    "$(json '[type(d[k]).__name__ for k in ("CreatedDate","ModifiedDate")]' <<<"$OUT")" '["float", "float"]'
ok  "create-patch-baseline with only a name and OS" ssm create-patch-baseline --name lab-min --operating-system WINDOWS
MINIMAL=$(json 'd["BaselineId"]' <<<"$OUT" | tr -d '"')
is  "  get-patch-baseline fills AWS's defaults" \
    "$(q ssm get-patch-baseline --baseline-id "$MINIMAL" | json '[d[k] for k in ("GlobalFilters","ApprovalRules","ApprovedPatches","ApprovedPatchesComplianceLevel","RejectedPatchesAction","PatchGroups")]')" \
    '[{"PatchFilters": []}, {"PatchRules": []}, [], "UNSPECIFIED", "ALLOW_AS_DEPENDENCY", []]'
is  "get-patch-baseline by the baseline's ARN" \
    "$(q ssm get-patch-baseline --baseline-id "arn:aws:ssm:us-east-1:123456789012:patchbaseline/$BASELINE" --query Name --output text)" "lab-al2"
is  "list-tags-for-resource --resource-type PatchBaseline (moto alone rejects it)" \
    "$(q ssm list-tags-for-resource --resource-type PatchBaseline --resource-id "$BASELINE" --query 'TagList[].[Key,Value]' --output text)" "env	lab"
err "get-patch-baseline of an unknown id" DoesNotExistException ssm get-patch-baseline --baseline-id pb-0123456789abcdef0
err "get-patch-baseline with an id shorter than 20" ValidationException ssm get-patch-baseline --baseline-id pb-123
err "get-patch-baseline with a malformed id" InvalidResourceId ssm get-patch-baseline --baseline-id not-a-patch-baseline-id
ok  "delete-patch-baseline" ssm delete-patch-baseline --baseline-id "$MINIMAL"
err "get-patch-baseline after delete" DoesNotExistException ssm get-patch-baseline --baseline-id "$MINIMAL"

section "SSM maintenance windows: AllowUnassociatedTargets, GetMaintenanceWindowTask"
ok  "create-maintenance-window --allow-unassociated-targets" ssm create-maintenance-window --name lab-open \
    --schedule "cron(0 3 ? * SUN *)" --duration 3 --cutoff 1 --allow-unassociated-targets
OPEN=$(json 'd["WindowId"]' <<<"$OUT" | tr -d '"')
ok  "create-maintenance-window --no-allow-unassociated-targets" ssm create-maintenance-window --name lab-closed \
    --schedule "cron(0 3 ? * SUN *)" --duration 3 --cutoff 1 --no-allow-unassociated-targets
CLOSED=$(json 'd["WindowId"]' <<<"$OUT" | tr -d '"')
is  "get-maintenance-window answers the setting (true)" \
    "$(q ssm get-maintenance-window --window-id "$OPEN" --query AllowUnassociatedTargets --output text)" "True"
is  "get-maintenance-window answers the setting (false)" \
    "$(q ssm get-maintenance-window --window-id "$CLOSED" --query AllowUnassociatedTargets --output text)" "False"
ok  "register-task-with-maintenance-window with invocation parameters" ssm register-task-with-maintenance-window \
    --window-id "$CLOSED" --task-type RUN_COMMAND --task-arn AWS-RunPatchBaseline --max-concurrency 25% --max-errors 1 \
    --targets Key=tag:PatchGroup,Values=web \
    --task-invocation-parameters '{"RunCommand": {"Parameters": {"Operation": ["Install"]}, "TimeoutSeconds": 600}}'
TASK=$(json 'd["WindowTaskId"]' <<<"$OUT" | tr -d '"')
ok  "get-maintenance-window-task" ssm get-maintenance-window-task --window-id "$CLOSED" --window-task-id "$TASK"
is  "  type, document, rate controls" \
    "$(json '[d[k] for k in ("WindowId","WindowTaskId","TaskType","TaskArn","MaxConcurrency","MaxErrors")]' <<<"$OUT")" \
    "[\"$CLOSED\", \"$TASK\", \"RUN_COMMAND\", \"AWS-RunPatchBaseline\", \"25%\", \"1\"]"
is  "  TaskInvocationParameters as registered" \
    "$(json 'd["TaskInvocationParameters"]' <<<"$OUT")" '{"RunCommand": {"Parameters": {"Operation": ["Install"]}, "TimeoutSeconds": 600}}'
err "get-maintenance-window-task of an unknown task" DoesNotExistException ssm get-maintenance-window-task \
    --window-id "$CLOSED" --window-task-id 11111111-2222-3333-4444-555555555555
err "get-maintenance-window-task in an unknown window" DoesNotExistException ssm get-maintenance-window-task \
    --window-id mw-0123456789abcdef0 --window-task-id "$TASK"

section "KMS keys behind reserved aliases are AWS managed"
is  "describe-key alias/aws/s3" "$(q kms describe-key --key-id alias/aws/s3 --query KeyMetadata.KeyManager --output text)" "AWS"
ok  "create-key" kms create-key --description lab
is  "  a key of one's own is customer managed" "$(json 'd["KeyMetadata"]["KeyManager"]' <<<"$OUT" | tr -d '"')" "CUSTOMER"

section "CodeBuild encryptionKey (moto answers alias/aws/s3 whatever was given)"
CB_ROLE=arn:aws:iam::123456789012:role/codebuild
CB_SOURCE='type=S3,location=lab-src/app.zip,buildspec=version: 0.2'
ok  "create-project with a key alias" codebuild create-project --name lab-cb-alias --service-role "$CB_ROLE" \
    --source "$CB_SOURCE" --artifacts type=NO_ARTIFACTS --environment type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL \
    --encryption-key alias/lab-artifacts
is  "  batch-get-projects answers it" "$(q codebuild batch-get-projects --names lab-cb-alias --query 'projects[0].encryptionKey' --output text)" "alias/lab-artifacts"
ok  "create-project without a key" codebuild create-project --name lab-cb-default --service-role "$CB_ROLE" \
    --source "$CB_SOURCE" --artifacts type=NO_ARTIFACTS --environment type=LINUX_CONTAINER,image=aws/codebuild/standard:7.0,computeType=BUILD_GENERAL1_SMALL
is  "  answers the AWS managed key" "$(q codebuild batch-get-projects --names lab-cb-default --query 'projects[0].encryptionKey' --output text)" \
    "arn:aws:kms:us-east-1:123456789012:alias/aws/s3"

section "CodeDeploy alarmConfiguration (moto answers it empty) and autoScalingGroups (names, not objects)"
ok  "create-application" deploy create-application --application-name lab-app
ok  "create-deployment-group with an alarm configuration" deploy create-deployment-group --application-name lab-app \
    --deployment-group-name lab-dg --service-role-arn arn:aws:iam::123456789012:role/codedeploy \
    --alarm-configuration '{"enabled": true, "alarms": [{"name": "web-5xx"}, {"name": "web-latency"}]}'
is  "get-deployment-group answers it" \
    "$(q deploy get-deployment-group --application-name lab-app --deployment-group-name lab-dg | json 'd["deploymentGroupInfo"]["alarmConfiguration"]')" \
    '{"enabled": true, "ignorePollAlarmFailure": false, "alarms": [{"name": "web-5xx"}, {"name": "web-latency"}]}'
ok  "create-deployment-group without one" deploy create-deployment-group --application-name lab-app \
    --deployment-group-name lab-bare --service-role-arn arn:aws:iam::123456789012:role/codedeploy
is  "  answers an empty configuration" \
    "$(q deploy get-deployment-group --application-name lab-app --deployment-group-name lab-bare | json 'd["deploymentGroupInfo"]["alarmConfiguration"]')" '{}'
ok  "create-deployment-group for two Auto Scaling groups" deploy create-deployment-group --application-name lab-app \
    --deployment-group-name lab-asg --service-role-arn arn:aws:iam::123456789012:role/codedeploy \
    --auto-scaling-groups web-blue web-spare
is  "  answers them as AutoScalingGroup objects" \
    "$(q deploy get-deployment-group --application-name lab-app --deployment-group-name lab-asg | json 'd["deploymentGroupInfo"]["autoScalingGroups"]')" \
    '[{"name": "web-blue"}, {"name": "web-spare"}]'

section "AWS Backup backup selections"
ok  "create-backup-plan" backup create-backup-plan --backup-plan \
    '{"BackupPlanName":"lab-plan","Rules":[{"RuleName":"daily","TargetBackupVaultName":"Default","ScheduleExpression":"cron(0 5 ? * * *)"}]}'
PLAN_ID=$(json 'd["BackupPlanId"]' <<<"$OUT" | tr -d '"')
ok  "create-backup-selection by tag" backup create-backup-selection --backup-plan-id "$PLAN_ID" --backup-selection \
    '{"SelectionName":"tagged","IamRoleArn":"arn:aws:iam::123456789012:role/backup","ListOfTags":[{"ConditionType":"STRINGEQUALS","ConditionKey":"backup","ConditionValue":"daily"}]}'
SELECTION=$(json 'd["SelectionId"]' <<<"$OUT" | tr -d '"')
is  "  answers the plan id" "$(json 'd["BackupPlanId"]' <<<"$OUT" | tr -d '"')" "$PLAN_ID"
is  "list-backup-selections" \
    "$(q backup list-backup-selections --backup-plan-id "$PLAN_ID" | json '[(s["SelectionId"], s["SelectionName"], s["IamRoleArn"]) for s in d["BackupSelectionsList"]]')" \
    "[[\"$SELECTION\", \"tagged\", \"arn:aws:iam::123456789012:role/backup\"]]"
is  "get-backup-selection answers the selection as created" \
    "$(q backup get-backup-selection --backup-plan-id "$PLAN_ID" --selection-id "$SELECTION" | json '[d["BackupPlanId"], d["BackupSelection"]["ListOfTags"]]')" \
    "[\"$PLAN_ID\", [{\"ConditionType\": \"STRINGEQUALS\", \"ConditionKey\": \"backup\", \"ConditionValue\": \"daily\"}]]"
is  "get-backup-plan still answers the plan" "$(q backup get-backup-plan --backup-plan-id "$PLAN_ID" --query BackupPlan.BackupPlanName --output text)" "lab-plan"
err "create-backup-selection without a role" InvalidParameterValueException backup create-backup-selection \
    --backup-plan-id "$PLAN_ID" --backup-selection '{"SelectionName":"x","IamRoleArn":"","Resources":["*"]}'
err "list-backup-selections of an unknown plan" ResourceNotFoundException backup list-backup-selections --backup-plan-id 00000000-0000-0000-0000-000000000000
ok  "delete-backup-selection" backup delete-backup-selection --backup-plan-id "$PLAN_ID" --selection-id "$SELECTION"
err "get-backup-selection after delete" ResourceNotFoundException backup get-backup-selection --backup-plan-id "$PLAN_ID" --selection-id "$SELECTION"

section "STS assume-role into account 111111111111 (state per account)"
as_account 111111111111
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
is  "associations of the default account are not visible" \
    "$(q ssm list-associations --query 'length(Associations)' --output text)" "0"
err "describe-association: the association does not exist in this account" AssociationDoesNotExist \
    ssm describe-association --association-id "$ASSOC"
err "get-patch-baseline: the baseline does not exist in this account" DoesNotExistException \
    ssm get-patch-baseline --baseline-id "$BASELINE"
ok  "create-association patch-nightly in 111111111111 (names are per account)" ssm create-association \
    --name AWS-RunPatchBaseline --association-name patch-nightly --targets Key=tag:Patch,Values=yes
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
is  "the default account still sees its own association, version 2" \
    "$(q ssm describe-association --association-id "$ASSOC" --query 'AssociationDescription.AssociationVersion' --output text)" "2"
is  "another Region of the default account has no associations" \
    "$(q ssm list-associations --region eu-west-1 --query 'length(Associations)' --output text)" "0"

section "S3 GetBucketVersioning, rooted as S3 roots it"
ok  "create-bucket" s3api create-bucket --bucket labcheck-versioning
is  "never versioned: an empty <VersioningConfiguration>" \
    "$(curl -s "$AWS_ENDPOINT_URL/labcheck-versioning?versioning" | tail -n 1)" \
    '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></VersioningConfiguration>'
ok  "put-bucket-versioning Enabled" s3api put-bucket-versioning --bucket labcheck-versioning \
    --versioning-configuration Status=Enabled
is  "get-bucket-versioning: Enabled" "$(q s3api get-bucket-versioning --bucket labcheck-versioning --query Status --output text)" "Enabled"
is  "the answer's root element" \
    "$(curl -s "$AWS_ENDPOINT_URL/labcheck-versioning?versioning" | tail -n 1)" \
    '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>'

section "S3 GetBucketReplication with the rules as put"
ok  "create-bucket" s3api create-bucket --bucket labcheck-replicated
ok  "put-bucket-versioning" s3api put-bucket-versioning --bucket labcheck-replicated --versioning-configuration Status=Enabled
ok  "put-bucket-replication, a V2 rule and a V1 rule" s3api put-bucket-replication --bucket labcheck-replicated \
    --replication-configuration '{"Role":"arn:aws:iam::123456789012:role/replication","Rules":[
      {"ID":"all","Priority":2,"Status":"Enabled","Filter":{},"DeleteMarkerReplication":{"Status":"Enabled"},
       "Destination":{"Bucket":"arn:aws:s3:::labcheck-dest","StorageClass":"STANDARD_IA"}},
      {"ID":"logs","Priority":1,"Status":"Enabled","Filter":{"And":{"Prefix":"logs/","Tags":[{"Key":"k","Value":"v"}]}},
       "DeleteMarkerReplication":{"Status":"Disabled"},"Destination":{"Bucket":"arn:aws:s3:::labcheck-dest"}}]}'
is  "get-bucket-replication answers each rule's filter and delete-marker setting" \
    "$(q s3api get-bucket-replication --bucket labcheck-replicated | json '[(r["ID"], r.get("Filter"), r["DeleteMarkerReplication"]["Status"], r["Destination"].get("StorageClass")) for r in d["ReplicationConfiguration"]["Rules"]]')" \
    '[["all", {}, "Enabled", "STANDARD_IA"], ["logs", {"And": {"Prefix": "logs/", "Tags": [{"Key": "k", "Value": "v"}]}}, "Disabled", null]]'
ok  "put-bucket-replication, one V1 rule" s3api put-bucket-replication --bucket labcheck-replicated \
    --replication-configuration '{"Role":"arn:aws:iam::123456789012:role/replication","Rules":[
      {"ID":"v1","Prefix":"","Status":"Enabled","Destination":{"Bucket":"arn:aws:s3:::labcheck-dest"}}]}'
is  "  answers its Prefix and no Filter" \
    "$(q s3api get-bucket-replication --bucket labcheck-replicated | json '[(r["ID"], r.get("Prefix"), "Filter" in r) for r in d["ReplicationConfiguration"]["Rules"]]')" \
    '[["v1", "", false]]'

section "EventBridge TestEventPattern (examples from the EventBridge user guide)"
EC2_EVENT='{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"111122223333","time":"2017-12-22T18:43:48Z","region":"us-west-1","resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],"detail":{"instance-id":"i-1234567890abcdef0","state":"terminated","c-count":5,"source-ip":"10.0.0.8"}}'
# pattern_result LABEL PATTERN EXPECTED: TestEventPattern on the EC2 event above.
pattern_result() {
  is "$1" "$(q events test-event-pattern --event-pattern "$2" --event "$EC2_EVENT" --query Result --output text)" "$3"
}
pattern_result "exact values match"          '{"source":["aws.ec2"],"detail":{"state":["terminated","stopped"]}}' True
pattern_result "another state does not"      '{"source":["aws.ec2"],"detail":{"state":["running"]}}' False
pattern_result "prefix"                      '{"detail-type":[{"prefix":"EC2 Instance"}]}' True
pattern_result "anything-but excludes"       '{"detail":{"state":[{"anything-but":["terminated"]}]}}' False
pattern_result "numeric range"               '{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}' True
pattern_result "numeric out of range"        '{"detail":{"c-count":[{"numeric":[">",5]}]}}' False
pattern_result "exists: false on a present field" '{"detail":{"state":[{"exists":false}]}}' False
pattern_result "exists: false on an absent field" '{"detail":{"nope":[{"exists":false}]}}' True
pattern_result "cidr"                        '{"detail":{"source-ip":[{"cidr":"10.0.0.0/24"}]}}' True
pattern_result "\$or of two branches"        '{"source":["aws.ec2"],"$or":[{"detail":{"state":["running"]}},{"detail":{"c-count":[5]}}]}' True
err "a pattern that is not JSON" InvalidEventPatternException events test-event-pattern --event-pattern '{' --event "$EC2_EVENT"
err "a pattern value that is a string" InvalidEventPatternException \
    events test-event-pattern --event-pattern '{"source":"aws.ec2"}' --event "$EC2_EVENT"
err "an event without its envelope" ValidationException \
    events test-event-pattern --event-pattern '{"source":["aws.ec2"]}' --event '{"source":"aws.ec2"}'

section "account copies: POST /_labcheck/clone-account (selftest's near misses start from one)"
# clone SOURCE TARGET: print the HTTP status and the body.
clone() {
  curl -s -w ' %{http_code}' -X POST "$AWS_ENDPOINT_URL/_labcheck/clone-account" \
    -H 'content-type: application/json' -d "{\"source\": \"$1\", \"target\": \"$2\"}"
}
as_account 222222222222
matches "222222222222 is copied from 111111111111: the services it has state in" \
    "$(clone 111111111111 222222222222)" '"codepipeline".*"config".*"iam".*"ssm".* 200$'
is  "the copy's own credentials still say 222222222222" \
    "$(q sts get-caller-identity --query Account --output text)" "222222222222"
is  "the role, its ARN naming 222222222222" \
    "$(q iam get-role --role-name codepipeline-demo --query Role.Arn --output text)" "arn:aws:iam::222222222222:role/codepipeline-demo"
matches "the remediation configuration, its Arn naming 222222222222" \
    "$(q configservice describe-remediation-configurations --config-rule-names s3-sse --query 'RemediationConfigurations[0].Arn' --output text)" \
    '^arn:aws:config:us-east-1:222222222222:remediation-configuration/s3-sse/'
is  "the pipeline" "$(q codepipeline get-pipeline --name demo --query pipeline.name --output text)" "demo"
is  "the association" "$(q ssm list-associations --query 'Associations[0].AssociationName' --output text)" "patch-nightly"
ok  "delete-role in the copy" iam delete-role --role-name codepipeline-demo
err "the copy no longer has the role" NoSuchEntity iam get-role --role-name codepipeline-demo
as_account 111111111111
is  "111111111111's credentials still say 111111111111" \
    "$(q sts get-caller-identity --query Account --output text)" "111111111111"
is  "111111111111 keeps its role" \
    "$(q iam get-role --role-name codepipeline-demo --query Role.Arn --output text)" "arn:aws:iam::111111111111:role/codepipeline-demo"
as_account 333333333333
matches "the default account copied: its buckets too" "$(clone 123456789012 333333333333)" '"s3".* 200$'
is  "the copy's bucket keeps its versioning" \
    "$(q s3api get-bucket-versioning --bucket labcheck-versioning --query Status --output text)" "Enabled"
use_endpoint "$PORT"
matches "refused: the same account" "$(clone 111111111111 111111111111)" 'same account.* 400$'
matches "refused: not an account id" "$(clone 1111 222222222222)" 'source must be a 12-digit account id.* 400$'
matches "refused: a GET" "$(curl -s -w ' %{http_code}' "$AWS_ENDPOINT_URL/_labcheck/clone-account")" ' 405$'

section "reset"
if MOTO_PORT=$PORT bash "$HERE/moto.sh" reset >/dev/null; then pass "moto.sh reset"; else fail "moto.sh reset" "failed"; fi
is  "remediation configurations are gone" \
    "$(q configservice describe-remediation-configurations --config-rule-names s3-sse --query 'length(RemediationConfigurations)' --output text)" "0"
is  "config rules are gone" \
    "$(q configservice describe-config-rules --query 'length(ConfigRules)' --output text)" "0"
err "pipelines are gone" PipelineNotFoundException codepipeline get-pipeline-state --name demo
is  "associations are gone" "$(q ssm list-associations --query 'length(Associations)' --output text)" "0"
err "patch baselines are gone" DoesNotExistException ssm get-patch-baseline --baseline-id "$BASELINE"

section "CloudWatch Logs TestMetricFilter (examples from the filter pattern syntax page)"
# json_array ARGS...: the arguments as one JSON array (the CLI would read a single
# message starting with [ or { as JSON itself).
json_array() { "$HERE/.venv-moto/bin/python" -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@"; }
# test_filter PATTERN MESSAGE...: call TestMetricFilter; the answer in $OUT, the CLI's rc.
test_filter() {
  local pattern=$1; shift
  aws_out logs test-metric-filter --filter-pattern="$pattern" --log-event-messages "$(json_array "$@")"
}
# matched LABEL PATTERN EXPECTED MESSAGE...: the 1-based numbers of the matched messages,
# space-separated ("" for none), must be EXPECTED.
matched() {
  local label=$1 pattern=$2 expected=$3; shift 3
  if ! test_filter "$pattern" "$@"; then fail "$label" "$ERR"; return; fi
  is "$label" "$(json '" ".join(str(m["eventNumber"]) for m in d["matches"])' <<<"$OUT" | tr -d '"')" "$expected"
}
# extracted LABEL PATTERN MESSAGE EXPECTED_JSON: the extractedValues of the one message.
extracted() {
  if ! test_filter "$2" "$3"; then fail "$1" "$ERR"; return; fi
  is "$1" "$(json 'dict(sorted(d["matches"][0]["extractedValues"].items()))' <<<"$OUT")" "$4"
}
E400='[ERROR 400] BAD REQUEST' E401='[ERROR 401] UNAUTHORIZED REQUEST'
E419='[ERROR 419] MISSING ARGUMENTS' E420='[ERROR 420] INVALID ARGUMENTS'
TRAIL='{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111","arrayKey":["value","another value"],"objectList":[{"name":"a","id":1},{"name":"b","id":2}],"SomeObject":null,"cluster.name":"c","ThisFlag":true}'
USERS='{"user":{"id":1,"email":"John.Stiles@example.com"},"users":[{"id":2,"email":"John.Doe@example.com"},{"id":3,"email":"Jane.Doe@example.com"}],"actions":["GET","PUT","DELETE"],"coordinates":[[0,1,2],[4,5,6],[7,8,9]]}'
ACCESS='127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534'
SERVICE=('INFO 09/25/2014 12:00:00 GET /service/resource/67 1200'
  'INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310'
  'WARNING 09/25/2014 12:00:02 Invalid user request'
  'ERROR 09/25/2014 12:00:02 Failed to process request')
# Regex patterns.
matched "%AUTHORIZED% finds the regex inside UNAUTHORIZED too" '%AUTHORIZED%' "1 2" \
  "$E401" '[SUCCESS 200] AUTHORIZED REQUEST' '[INFO] nothing'
matched "%^[hc]at% is anchored at the start" '%^[hc]at%' "1 2" 'hat trick' 'cat nap' 'that'
matched "%colou?r%: an optional character" '%colou?r%' "1 2" 'color' 'colour' 'colr'
matched "%a{3, 5}% (the page's {m, n} with a space)" '%a{3, 5}%' "2" 'baab' 'baaab'
# Term patterns.
matched "ERROR: a single term, case-sensitive" 'ERROR' "1 2 3 4" "$E400" "$E401" "$E419" "$E420" '[error] lower case'
matched "ERROR matches inside ERRORCODE (substring)" 'ERROR' "1" 'Exiting with ERRORCODE: -1' 'Exiting'
matched "ERROR ARGUMENTS: every term must occur" 'ERROR ARGUMENTS' "3 4" "$E400" "$E401" "$E419" "$E420"
matched "?ERROR ?ARGUMENTS: either term" '?ERROR ?ARGUMENTS' "1 3 4" "$E400" '[INFO] ok' "$E419" '[WARN] ARGUMENTS'
matched "?ERROR ?ARGUMENTS REQUEST: ? terms are ignored beside a plain term" '?ERROR ?ARGUMENTS REQUEST' "1 2 3" \
  '[INFO] REQUEST FAILED' '[WARN] UNAUTHORIZED REQUEST' '[ERROR] 400 BAD REQUEST' '[ERROR] MISSING ARGUMENTS'
matched '"INTERNAL SERVER ERROR": an exact phrase' '"INTERNAL SERVER ERROR"' "1" \
  '[ERROR 500] INTERNAL SERVER ERROR' '[ERROR 500] SERVER ERROR (INTERNAL)'
matched "ERROR -ARGUMENTS: exclusion" 'ERROR -ARGUMENTS' "1 2" "$E400" "$E401" "$E419" "$E420"
matched '"ERROR" - "Exiting": exclusion with quoted terms' '"ERROR" - "Exiting"' "1" \
  '[ERROR] A fatal exception has occurred' 'Exiting with ERRORCODE: -1'
matched "ERROR -WARN, ?ERROR ?WARN, ERROR WARN on the OR example" 'ERROR -WARN' "2" 'ERROR WARN message' 'ERROR message' 'WARN message'
matched "  ?ERROR ?WARN" '?ERROR ?WARN' "1 2 3" 'ERROR WARN message' 'ERROR message' 'WARN message' 'INFO message'
matched "  ERROR WARN" 'ERROR WARN' "1" 'ERROR WARN message' 'ERROR message' 'WARN message'
matched '" " matches everything' '" "' "1 2" 'x' 'a line'
matched "an empty pattern matches everything" '' "1 2" 'x' 'a line'
matched "a term pattern on a JSON line is a substring match" 'UpdateTrail' "1" "$TRAIL"
# JSON patterns, on the page's sample events.
matched '{ $.eventType = "UpdateTrail" }; a line that is not JSON never matches' '{ $.eventType = "UpdateTrail" }' "1" \
  "$TRAIL" 'eventType UpdateTrail'
matched '{ $.sourceIPAddress != 123.123.* }' '{ $.sourceIPAddress != 123.123.* }' "1" "$TRAIL"
matched '{ $.sourceIPAddress != 111.111.* } does not match' '{ $.sourceIPAddress != 111.111.* }' "" "$TRAIL"
matched '{ $.arrayKey[0] = "value" }' '{ $.arrayKey[0] = "value" }' "1" "$TRAIL"
matched '{ $.objectList[1].id = 2 }' '{ $.objectList[1].id = 2 }' "1" "$TRAIL"
matched '{ $.eventType = %Trail% }' '{ $.eventType = %Trail% }' "1" "$TRAIL"
matched '{ $.arrayKey[*] = %val.{2}% }' '{ $.arrayKey[*] = %val.{2}% }' "1" "$TRAIL"
matched '{ $.* = %111\.111\.111\.1[0-9]{1,2}% }' '{ $.* = %111\.111\.111\.1[0-9]{1,2}% }' "1" "$TRAIL"
matched "{ \$.['cluster.name'] = \"c\" }" "{ \$.['cluster.name'] = \"c\" }" "1" "$TRAIL"
matched '{ $.SomeObject IS NULL }, not on a field that is a string' '{ $.SomeObject IS NULL || $.eventType IS NULL }' "1" "$TRAIL" '{"eventType":"x"}'
matched '{ $.SomeOtherObject NOT EXISTS }, not on a null field' '{ $.SomeOtherObject NOT EXISTS }' "1" "$TRAIL" '{"SomeOtherObject":null}'
matched '{ $.ThisFlag IS TRUE } / IS FALSE' '{ $.ThisFlag IS TRUE }' "1" "$TRAIL" '{"ThisFlag":false}' '{"ThisFlag":"true"}'
matched '{ $.missing != 5 }: != on a missing field does not match' '{ $.missing != 5 }' "" "$TRAIL"
matched '{ $.arrayKey != 1 }: a selector on an array matches neither = nor !=' '{ $.arrayKey != 1 || $.arrayKey = 1 }' "" "$TRAIL"
matched '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }' \
  '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }' "1" "$USERS"
matched '{ a || b && c }: && binds tighter than ||' \
  '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }' "1" "$USERS"
matched '{ (a || b) && c } does not match' \
  '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }' "" "$USERS"
matched '{ (a && b) || c } does not match' '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }' "" "$USERS"
matched '{$.foo = bar || $.foo = baz }, unquoted strings' '{$.foo = bar || $.foo = baz }' "1 2" '{"foo": "bar"}' '{"foo": "baz"}' '{"foo": "qux"}'
matched '{ $.latency > 50 }: numbers compare as numbers' '{ $.latency > 50 }' "1 3" '{"latency": 100}' '{"latency": 7}' '{"latency": "100"}'
matched '{ $.errorCode = 400 } and 400.0; != 500' '{ $.errorCode = 400 && $.errorCode != 500 }' "1 2" '{"errorCode": 400}' '{"errorCode": 400.0}' '{"errorCode": 404}'
matched '{ $.number[0] = 1e+3 }, scientific notation' '{ $.number[0] = 1e+3 }' "1" '{"number": [1000]}' '{"number": [100]}'
matched '{ $.latency = * }: any value, but the field must exist' '{ $.latency = * }' "1" '{"latency": 12}' '{"other": 1}'
matched '{ $.eventName = *Event } (wildcard first)' '{ $.eventName = *Event }' "1" '{"eventName": "PutEvent"}' '{"eventName": "EventId"}'
matched '{ $.eventName = Event* } (wildcard last)' '{ $.eventName = Event* }' "2" '{"eventName": "PutEvent"}' '{"eventName": "EventId"}'
matched '{ $.eventName = "Ev*ent" }: a * in the middle is literal' '{ $.eventName = "Ev*ent" }' "2" '{"eventName": "Event"}' '{"eventName": "Ev*ent"}'
# Space-delimited patterns, on the page's sample events.
matched "[ip=%regex%, ..., request =*.html*, status_code = 4*, bytes]" \
  '[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]' "1" \
  "$ACCESS" "${ACCESS/ 404 / 200 }" "${ACCESS/127.0.0.1/10.0.0.1}"
matched "[..., request =*.html*, status_code = 4*, bytes]" '[..., request =*.html*, status_code = 4*, bytes]' "1" "$ACCESS" "${ACCESS/index.html/index.php}"
matched "status_code = 404 || status_code = 410" \
  '[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]' "1 2" \
  "$ACCESS" "${ACCESS/ 404 / 410 }" "${ACCESS/ 404 / 403 }"
matched "bytes > 1000 (numeric)" '[ip, user, username, timestamp, request, status_code, bytes > 1000]' "1" "$ACCESS" "${ACCESS/1534/999}"
matched "more fields in the pattern than in the line: no match" '[a, b, c, d, e, f, g, h]' "" "$ACCESS"
matched "[w1=ERROR, w2]: the last field takes the rest of the line" '[w1=ERROR, w2]' "4" "${SERVICE[@]}"
matched "[w1=ERROR || w1=WARNING, w2]" '[w1=ERROR || w1=WARNING, w2]' "3 4" "${SERVICE[@]}"
matched "[w1!=ERROR && w1!=WARNING, w2]" '[w1!=ERROR && w1!=WARNING, w2]' "1 2" "${SERVICE[@]}"
matched "top level item of a resource URI (regex)" \
  '[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]' "1" "${SERVICE[@]}"
matched "child level item of a resource URI (regex)" \
  '[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]' "2" "${SERVICE[@]}"
# Extracted values.
extracted "extractedValues: \$name for named fields, \$N for the others (the page's example)" \
  '[..., request=*.html*, status_code=4*,]' "$ACCESS" \
  '{"$1": "127.0.0.1", "$2": "Prod", "$3": "frank", "$4": "10/Oct/2000:13:25:15 -0700", "$7": "1534", "$request": "GET /index.html HTTP/1.0", "$status_code": "404"}'
extracted "extractedValues: the last field's rest of the line" '[w1=ERROR, w2]' "${SERVICE[3]}" \
  '{"$w1": "ERROR", "$w2": "09/25/2014 12:00:02 Failed to process request"}'
extracted "extractedValues of a JSON pattern: by selector" '{ $.latency > 50 && $.user = * }' '{"latency": 100.50, "user": "bob"}' \
  '{"$.latency": "100.50", "$.user": "bob"}'
is  "  eventMessage is the message" "$(json 'd["matches"][0]["eventMessage"]' <<<"$OUT")" '"{\"latency\": 100.50, \"user\": \"bob\"}"'
# Invalid patterns and requests.
err "a JSON comparison without a value" InvalidParameterException logs test-metric-filter --filter-pattern '{ $.x = }' --log-event-messages x
err "an unquoted term with a colon" InvalidParameterException logs test-metric-filter --filter-pattern 'ERROR:' --log-event-messages x
err "a regex with parentheses" InvalidParameterException logs test-metric-filter --filter-pattern '%a(b)%' --log-event-messages x
err "IS NOT NULL (documented as unsupported)" InvalidParameterException logs test-metric-filter --filter-pattern '{ $.x IS NOT NULL }' --log-event-messages x
err "a condition on a field the pattern does not name" InvalidParameterException \
    logs test-metric-filter --filter-pattern '[a, b = 1 && c = 2]' --log-event-messages x
err "no messages" InvalidParameterException logs test-metric-filter --filter-pattern x --log-event-messages '[]'
err "51 messages" InvalidParameterException logs test-metric-filter --filter-pattern x --log-event-messages "$(json_array $(seq 1 51))"

printf '\nselftest_ext: %d passed, %d failed\n' "$PASSED" "$FAILED"
(( FAILED == 0 ))
