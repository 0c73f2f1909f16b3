#!/usr/bin/env bash
# Reference solution: a developer role with delegated, bounded permissions.
#
#   permissions boundary (customer managed policy): the most the role can ever do;
#     it denies removing itself and touching AWS Organizations or the account
#   developer role: assumable only with MFA, sessions of at most one hour,
#     tagged team=payments, bounded by the policy above
#   ABAC policy attached to the role: act only on resources whose team tag
#     matches the caller's own team tag
#
# Uses only the AWS CLI. Credentials and endpoint come from the environment
# (AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator). IAM is global.
set -euo pipefail

ROLE="${ROLE:-labcheck-sec-developer}"                  # lab param role
ABAC_POLICY="${ABAC_POLICY:-labcheck-sec-team-abac}"    # lab param abac_policy
BOUNDARY="labcheck-sec-developer-boundary"
TEAM="payments"

CALLER_ARN=$(aws sts get-caller-identity --query Arn --output text)
ACCOUNT=$(cut -d: -f5 <<<"$CALLER_ARN")
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")
BOUNDARY_ARN="arn:${PARTITION}:iam::${ACCOUNT}:policy/${BOUNDARY}"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. The permissions boundary. A boundary grants nothing by itself: the role can do
#    only what BOTH its own policies and the boundary allow. It allows the services
#    developers use (and creating roles for their functions), and explicitly denies:
#    - creating or re-bounding a role without this same boundary (no escalation
#      through a new, unbounded role),
#    - deleting a role's or user's boundary, or editing this policy,
#    - anything in AWS Organizations or Account Management.
echo "1. Permissions boundary ${BOUNDARY}"
cat > "$WORKDIR/boundary.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "DeveloperServices", "Effect": "Allow",
   "Action": ["ec2:*", "s3:*", "dynamodb:*", "lambda:*", "logs:*", "cloudwatch:*", "secretsmanager:*", "ssm:*",
              "iam:Get*", "iam:List*", "iam:PassRole", "iam:CreateRole", "iam:TagRole", "iam:AttachRolePolicy",
              "iam:PutRolePermissionsBoundary"],
   "Resource": "*"},
  {"Sid": "NewRolesKeepThisBoundary", "Effect": "Deny",
   "Action": ["iam:CreateRole", "iam:PutRolePermissionsBoundary"], "Resource": "*",
   "Condition": {"StringNotEquals": {"iam:PermissionsBoundary": "${BOUNDARY_ARN}"}}},
  {"Sid": "NoBoundaryRemoval", "Effect": "Deny",
   "Action": ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"], "Resource": "*"},
  {"Sid": "NoBoundaryPolicyEdits", "Effect": "Deny",
   "Action": ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
   "Resource": "${BOUNDARY_ARN}"},
  {"Sid": "NoOrganizationOrAccountChanges", "Effect": "Deny",
   "Action": ["organizations:*", "account:*"], "Resource": "*"}
 ]}
JSON
aws iam create-policy --policy-name "$BOUNDARY" --policy-document "file://$WORKDIR/boundary.json" \
  --description "Permissions boundary for developer roles" >/dev/null

# 2. The role. Humans of this account may assume it, but only after signing in with
#    MFA (Bool, not BoolIfExists: long-term keys carry no MFA key at all, and
#    ...IfExists would let them through). Sessions last at most an hour. The team tag
#    is what the ABAC policy compares resource tags with.
echo "2. Role ${ROLE}"
cat > "$WORKDIR/trust.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:${PARTITION}:iam::${ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}
JSON
aws iam create-role --role-name "$ROLE" \
  --assume-role-policy-document "file://$WORKDIR/trust.json" \
  --max-session-duration 3600 \
  --permissions-boundary "$BOUNDARY_ARN" \
  --tags "Key=team,Value=${TEAM}" >/dev/null

# 3. The ABAC policy: start, stop and read the team's own instances, secrets and
#    parameters, whatever their names, as long as the resource's team tag equals the
#    caller's. Listing and describing cannot be scoped by tag, so those stay open.
echo "3. ABAC policy ${ABAC_POLICY}"
cat > "$WORKDIR/abac.json" <<'JSON'
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "OwnTeamResourcesOnly", "Effect": "Allow",
   "Action": ["ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances",
              "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue",
              "ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"],
   "Resource": "*",
   "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}},
  {"Sid": "DiscoverResources", "Effect": "Allow",
   "Action": ["ec2:DescribeInstances", "secretsmanager:ListSecrets", "ssm:DescribeParameters"],
   "Resource": "*"}
 ]}
JSON
ABAC_ARN=$(aws iam create-policy --policy-name "$ABAC_POLICY" --policy-document "file://$WORKDIR/abac.json" \
  --description "Team resources only (ABAC on the team tag)" --query Policy.Arn --output text)
aws iam attach-role-policy --role-name "$ROLE" --policy-arn "$ABAC_ARN"

echo "Done. Try it: aws sts assume-role --role-arn arn:${PARTITION}:iam::${ACCOUNT}:role/${ROLE} --role-session-name dev \\"
echo "  --serial-number <your MFA device ARN> --token-code <code>"
