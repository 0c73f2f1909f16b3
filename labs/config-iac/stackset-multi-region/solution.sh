#!/usr/bin/env bash
# Reference solution: one CloudFormation template, deployed by a StackSet to two Regions.
#
#   SELF_MANAGED (default, works in a single account):
#     AWSCloudFormationStackSetAdministrationRole  (assumed by CloudFormation in the admin account)
#       -> AWSCloudFormationStackSetExecutionRole  (in each target account; here the same account)
#       -> a stack instance in REGION_1 and REGION_2
#   SERVICE_MANAGED (needs AWS Organizations, run in the management account):
#     trusted access for StackSets -> instances in every account of TARGET_OU_ID, auto-deployed
#
# The template is a small regional baseline: an SNS topic for operations alerts and an
# SSM parameter recording the baseline version.
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator);
# the stack set lives in that Region (the administrator Region).
set -euo pipefail

STACK_SET="${STACK_SET:-labcheck-baseline}"            # lab param stack_set
PERMISSION_MODEL="${PERMISSION_MODEL:-SELF_MANAGED}"   # lab param permission_model
REGION_1="${REGION_1:-us-east-1}"                      # lab param region_1
REGION_2="${REGION_2:-us-west-2}"                      # lab param region_2
ADMIN_ROLE="AWSCloudFormationStackSetAdministrationRole"
EXECUTION_ROLE="AWSCloudFormationStackSetExecutionRole"

ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
PARTITION=$(aws sts get-caller-identity --query Arn --output text | cut -d: -f2)

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# Create an IAM role unless it already exists (the StackSet roles are shared by all
# the stack sets of an account).
ensure_role() {   # name, trust policy file
  if ! aws iam get-role --role-name "$1" >/dev/null 2>&1; then
    aws iam create-role --role-name "$1" --assume-role-policy-document "file://$2" >/dev/null
  fi
}

# 1. The template every stack instance is built from. Names are per Region, so the
#    same names can exist in both Regions (an IAM role, being global, could not).
echo "1. Template"
cat > "$WORKDIR/baseline.yaml" <<'EOF'
AWSTemplateFormatVersion: "2010-09-09"
Description: labcheck regional baseline, deployed by a StackSet
Parameters:
  BaselineVersion:
    Type: String
    Default: "1"
Resources:
  OpsAlertsTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: labcheck-ops-alerts
      DisplayName: Operations alerts
  BaselineVersionParameter:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /labcheck/baseline/version
      Type: String
      Value: !Ref BaselineVersion
Outputs:
  OpsAlertsTopicArn:
    Value: !Ref OpsAlertsTopic
EOF

if [[ "$PERMISSION_MODEL" == "SELF_MANAGED" ]]; then
  # 2a. Self-managed permissions: the administration role, which CloudFormation assumes
  #     and which may only assume the execution role in target accounts...
  echo "2. StackSet roles (self-managed permissions)"
  cat > "$WORKDIR/admin-trust.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudformation.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EOF
  cat > "$WORKDIR/admin-policy.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                "Resource": "arn:${PARTITION}:iam::*:role/${EXECUTION_ROLE}"}]}
EOF
  ensure_role "$ADMIN_ROLE" "$WORKDIR/admin-trust.json"
  aws iam put-role-policy --role-name "$ADMIN_ROLE" --policy-name assume-execution-role \
    --policy-document "file://$WORKDIR/admin-policy.json"

  # 2b. ...and the execution role in each target account (here: this account), which
  #     trusts the administrator account and may create what the template holds.
  cat > "$WORKDIR/execution-trust.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:${PARTITION}:iam::${ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]}
EOF
  cat > "$WORKDIR/execution-policy.json" <<EOF
{"Version": "2012-10-17",
 "Statement": [
  {"Effect": "Allow", "Action": ["cloudformation:*", "s3:GetObject", "sns:*"], "Resource": "*"},
  {"Effect": "Allow",
   "Action": ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:GetParameter", "ssm:GetParameters",
              "ssm:DescribeParameters", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource",
              "ssm:ListTagsForResource"],
   "Resource": "*"}
 ]}
EOF
  ensure_role "$EXECUTION_ROLE" "$WORKDIR/execution-trust.json"
  aws iam put-role-policy --role-name "$EXECUTION_ROLE" --policy-name stackset-baseline \
    --policy-document "file://$WORKDIR/execution-policy.json"
  # New IAM roles take a few seconds to be usable everywhere (not needed on an emulator).
  [[ -n "${AWS_ENDPOINT_URL:-}" ]] || sleep 15

  # 3. The stack set, with self-managed permissions.
  echo "3. Stack set ${STACK_SET} (SELF_MANAGED)"
  aws cloudformation create-stack-set \
    --stack-set-name "$STACK_SET" \
    --description "labcheck regional baseline" \
    --template-body "file://$WORKDIR/baseline.yaml" \
    --permission-model SELF_MANAGED \
    --administration-role-arn "arn:${PARTITION}:iam::${ACCOUNT}:role/${ADMIN_ROLE}" \
    --execution-role-name "$EXECUTION_ROLE" >/dev/null

  # 4. Stack instances: this account, two Regions, both Regions at once; stop at the
  #    first failure.
  echo "4. Stack instances in ${REGION_1} and ${REGION_2}"
  OPERATION_ID=$(aws cloudformation create-stack-instances \
    --stack-set-name "$STACK_SET" \
    --accounts "$ACCOUNT" \
    --regions "$REGION_1" "$REGION_2" \
    --operation-preferences RegionConcurrencyType=PARALLEL,MaxConcurrentCount=2,FailureToleranceCount=0 \
    --query OperationId --output text)
else
  # 2-4. Service-managed permissions: StackSets creates the roles itself in every
  #      account of the organizational unit, and deploys to accounts that join it later.
  : "${TARGET_OU_ID:?SERVICE_MANAGED deploys to an organizational unit: set TARGET_OU_ID=ou-...}"
  echo "2. Trusted access for StackSets in AWS Organizations"
  aws cloudformation activate-organizations-access \
    || echo "   (could not activate trusted access; it may be on already)"
  echo "3. Stack set ${STACK_SET} (SERVICE_MANAGED)"
  aws cloudformation create-stack-set \
    --stack-set-name "$STACK_SET" \
    --description "labcheck regional baseline" \
    --template-body "file://$WORKDIR/baseline.yaml" \
    --permission-model SERVICE_MANAGED \
    --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false >/dev/null
  echo "4. Stack instances in ${TARGET_OU_ID}, ${REGION_1} and ${REGION_2}"
  OPERATION_ID=$(aws cloudformation create-stack-instances \
    --stack-set-name "$STACK_SET" \
    --deployment-targets "OrganizationalUnitIds=${TARGET_OU_ID}" \
    --regions "$REGION_1" "$REGION_2" \
    --operation-preferences RegionConcurrencyType=PARALLEL,MaxConcurrentCount=2,FailureToleranceCount=0 \
    --query OperationId --output text)
fi

# 5. Wait for the operation. On AWS it takes a minute or two; a failure is explained
#    per instance by list-stack-set-operation-results.
echo "5. Waiting for operation ${OPERATION_ID}"
for _ in $(seq 1 60); do
  STATUS=$(aws cloudformation describe-stack-set-operation --stack-set-name "$STACK_SET" \
    --operation-id "$OPERATION_ID" --query StackSetOperation.Status --output text)
  case "$STATUS" in RUNNING|QUEUED|STOPPING) sleep 10 ;; *) break ;; esac
done
echo "   ${STATUS}"
if [[ "$STATUS" != "SUCCEEDED" ]]; then
  echo "   Why: aws cloudformation list-stack-set-operation-results --stack-set-name ${STACK_SET} --operation-id ${OPERATION_ID}" >&2
  exit 1
fi
aws cloudformation list-stack-instances --stack-set-name "$STACK_SET" \
  --query 'Summaries[].[Account, Region, Status]' --output text
