#!/usr/bin/env bash
# Reference solution: a CodeBuild project that gets its secrets at build time.
#
#   KMS key (customer managed) -> Secrets Manager secret  (registry token, JSON key "token")
#   SSM Parameter Store SecureString                       (code analysis token)
#   CodeBuild project: REGISTRY_TOKEN from Secrets Manager, SONAR_TOKEN from Parameter
#     Store, only non-secret settings as plaintext
#   service role: reads exactly that secret and that parameter, decrypts with that key
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

PROJECT="${PROJECT:-labcheck-sdlc-secrets-build}"                # lab param project
SECRET="${SECRET:-labcheck-sdlc/build/registry-token}"          # lab param secret
PARAMETER="${PARAMETER:-/labcheck-sdlc/build/sonar-token}"      # lab param parameter
ROLE="${PROJECT}-role"

read -r ACCOUNT CALLER_ARN < <(aws sts get-caller-identity --query '[Account, Arn]' --output text)
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")   # aws, aws-cn or aws-us-gov
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# IAM is eventually consistent: CodeBuild may refuse a role created a second ago.
# Retry such a call for up to a minute; fail at once on any other error.
retry_iam() {
  local attempt=1 out
  until out=$("$@" 2>&1); do
    if (( attempt >= 10 )) || ! grep -qiE 'assumerole|not authorized|role' <<<"$out"; then
      echo "$out" >&2
      return 1
    fi
    echo "   (the new role is not usable yet; retrying in 6s)"
    sleep 6
    attempt=$((attempt + 1))
  done
}

# 1. A customer managed key for the build secrets: its key policy and the role's
#    kms:Decrypt decide who can read them, and every use is logged in CloudTrail.
echo "1. KMS key for build secrets"
KEY_ARN=$(aws kms create-key --description "labcheck build secrets" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "alias/labcheck-sdlc-build-secrets" --target-key-id "$KEY_ARN"

# 2. The secrets. Real values are set out of band (console, or put-secret-value /
#    put-parameter --overwrite from a trusted machine); never in a script or buildspec.
echo "2. Secret ${SECRET} and SecureString ${PARAMETER}"
SECRET_ARN=$(aws secretsmanager create-secret --name "$SECRET" --kms-key-id "$KEY_ARN" \
  --description "Package registry token for CI builds" \
  --secret-string '{"token":"replace-me"}' --query ARN --output text)
aws ssm put-parameter --name "$PARAMETER" --type SecureString --key-id "$KEY_ARN" \
  --description "Code analysis token for CI builds" --value "replace-me" >/dev/null

# 3. The service role: trusted by CodeBuild only; reads exactly this secret and this
#    parameter, and may decrypt with the key only through those two services.
echo "3. Service role ${ROLE}"
cat > "$WORKDIR/trust.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
JSON
cat > "$WORKDIR/policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "ReadBuildSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
   "Resource": "${SECRET_ARN}"},
  {"Sid": "ReadBuildParameter", "Effect": "Allow", "Action": "ssm:GetParameters",
   "Resource": "arn:${PARTITION}:ssm:${REGION}:${ACCOUNT}:parameter${PARAMETER}"},
  {"Sid": "DecryptBuildSecrets", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "${KEY_ARN}",
   "Condition": {"StringEquals": {"kms:ViaService": ["secretsmanager.${REGION}.amazonaws.com", "ssm.${REGION}.amazonaws.com"]}}}
 ]}
JSON
# What every build needs (its logs) in a customer managed policy the team's build
# roles share; the secrets inline, for this project only.
cat > "$WORKDIR/logs.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "WriteBuildLogs", "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
   "Resource": "arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:/aws/codebuild/${PROJECT}*"}
 ]}
JSON
ROLE_ARN=$(aws iam create-role --role-name "$ROLE" \
  --assume-role-policy-document "file://$WORKDIR/trust.json" --query Role.Arn --output text)
LOGS_POLICY_ARN=$(aws iam create-policy --policy-name "${PROJECT}-build-logs" \
  --policy-document "file://$WORKDIR/logs.json" --query Policy.Arn --output text)
aws iam attach-role-policy --role-name "$ROLE" --policy-arn "$LOGS_POLICY_ARN"
aws iam put-role-policy --role-name "$ROLE" --policy-name build-secrets-access \
  --policy-document "file://$WORKDIR/policy.json"

# 4. The project (a pipeline's build step: source and artifacts come from
#    CodePipeline). CodeBuild resolves SECRETS_MANAGER and PARAMETER_STORE variables
#    when the build starts and masks their values in the build log; the secret's
#    variable reads the "token" key of its JSON value.
echo "4. CodeBuild project ${PROJECT}"
cat > "$WORKDIR/project.json" <<JSON
{
  "name": "${PROJECT}",
  "source": {"type": "CODEPIPELINE", "location": "${PROJECT}",
             "buildspec": "version: 0.2\nphases:\n  build:\n    commands:\n      - npm config set //registry.npmjs.org/:_authToken \"\$REGISTRY_TOKEN\"\n      - npm ci && npm test\n      - npx sonar-scanner -Dsonar.token=\"\$SONAR_TOKEN\"\n"},
  "artifacts": {"type": "CODEPIPELINE", "location": "${PROJECT}"},
  "environment": {
    "type": "LINUX_CONTAINER", "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
    "computeType": "BUILD_GENERAL1_SMALL",
    "environmentVariables": [
      {"name": "REGISTRY_TOKEN", "type": "SECRETS_MANAGER", "value": "${SECRET}:token"},
      {"name": "SONAR_TOKEN", "type": "PARAMETER_STORE", "value": "${PARAMETER}"},
      {"name": "APP_ENV", "type": "PLAINTEXT", "value": "ci"}
    ]
  },
  "serviceRole": "${ROLE_ARN}",
  "timeoutInMinutes": 20
}
JSON
retry_iam aws codebuild create-project --cli-input-json "file://$WORKDIR/project.json" >/dev/null

echo "Done. Set the real values, e.g. aws secretsmanager put-secret-value --secret-id ${SECRET} --secret-string file://token.json"
