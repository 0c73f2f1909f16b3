#!/usr/bin/env bash
# Reference solution: a database credential that rotates itself.
#
#   customer managed KMS key (yearly key rotation on)
#   -> Secrets Manager secret {"username", "password", ...} encrypted with it
#   rotation Lambda function (its resource policy lets Secrets Manager invoke it,
#   for this secret only) -> rotation every 30 days
#
# Uses only the AWS CLI (and python3 for the function's zip and the first password).
# Region, credentials and endpoint come from the environment (AWS_REGION /
# AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

SECRET="${SECRET:-labcheck-sec-db-credentials}"   # lab param secret
FUNCTION="labcheck-sec-secret-rotator"
FUNCTION_ROLE="labcheck-sec-secret-rotator-role"
KEY_ALIAS="alias/labcheck-sec-secrets"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. A customer managed key for the secret, with automatic key rotation (new key
#    material every year; old material stays to decrypt older versions).
echo "1. KMS key ${KEY_ALIAS} (rotation on)"
KEY_ARN=$(aws kms create-key --description "Secrets Manager secrets" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "$KEY_ALIAS" --target-key-id "$KEY_ARN"
aws kms enable-key-rotation --key-id "$KEY_ARN"

# 2. The secret, encrypted with that key instead of aws/secretsmanager. The JSON
#    layout (engine, host, username, password...) is the one the AWS rotation
#    templates expect.
echo "2. Secret ${SECRET}"
PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
SECRET_ARN=$(aws secretsmanager create-secret --name "$SECRET" --kms-key-id "$KEY_ARN" \
  --description "Application database credentials" \
  --secret-string "{\"engine\": \"postgres\", \"host\": \"db.internal.example\", \"port\": 5432, \"dbname\": \"app\", \"username\": \"app\", \"password\": \"${PASSWORD}\"}" \
  --query ARN --output text)

# 3. The rotation function: the four steps Secrets Manager calls. For a real RDS
#    database deploy the AWS template instead (Secrets Manager console > Rotation >
#    Create a rotation function, or the Serverless Application Repository's
#    SecretsManagerRDSPostgreSQLRotationSingleUser); its setSecret changes the
#    password in the database. Its role may touch this secret and key only.
echo "3. Rotation function ${FUNCTION}"
cat > "$WORKDIR/trust.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
JSON
cat > "$WORKDIR/role-policy.json" <<JSON
{"Version": "2012-10-17",
 "Statement": [
  {"Effect": "Allow", "Resource": "${SECRET_ARN}",
   "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
              "secretsmanager:UpdateSecretVersionStage"]},
  {"Effect": "Allow", "Action": "secretsmanager:GetRandomPassword", "Resource": "*"},
  {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "${KEY_ARN}"},
  {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}
 ]}
JSON
ROLE_ARN=$(aws iam create-role --role-name "$FUNCTION_ROLE" \
  --assume-role-policy-document "file://$WORKDIR/trust.json" --query Role.Arn --output text)
aws iam put-role-policy --role-name "$FUNCTION_ROLE" --policy-name rotate-one-secret \
  --policy-document "file://$WORKDIR/role-policy.json"
python3 - "$WORKDIR/function.zip" <<'PY'
import sys, zipfile
code = '''import json
import boto3

sm = boto3.client("secretsmanager")

def handler(event, context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    stages = sm.describe_secret(SecretId=arn)["VersionIdsToStages"]
    if "AWSCURRENT" in stages.get(token, []):
        return  # this version is already current
    if step == "createSecret":
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except sm.exceptions.ResourceNotFoundException:
            secret = json.loads(sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
            secret["password"] = sm.get_random_password(PasswordLength=32, ExcludePunctuation=True)["RandomPassword"]
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(secret),
                                VersionStages=["AWSPENDING"])
    elif step == "setSecret":
        pass  # a real function sets the AWSPENDING password in the database here
    elif step == "testSecret":
        pass  # ... and signs in with it here
    elif step == "finishSecret":
        current = next(v for v, s in stages.items() if "AWSCURRENT" in s)
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                       MoveToVersionId=token, RemoveFromVersionId=current)
'''
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("index.py", code)
PY
# A role just created may take a few seconds before Lambda can assume it; retry if told so.
FUNCTION_ARN=$(aws lambda create-function --function-name "$FUNCTION" --runtime python3.12 --handler index.handler \
  --timeout 30 --role "$ROLE_ARN" --zip-file "fileb://$WORKDIR/function.zip" --query FunctionArn --output text)

# 4. The function's resource policy: Secrets Manager may invoke it, on behalf of this
#    secret only (the console adds this when it creates the function for you).
echo "4. Let Secrets Manager invoke ${FUNCTION}"
aws lambda add-permission --function-name "$FUNCTION" --statement-id SecretsManagerRotation \
  --action lambda:InvokeFunction --principal secretsmanager.amazonaws.com --source-arn "$SECRET_ARN" >/dev/null

# 5. Turn rotation on: every 30 days. --no-rotate-immediately only tests the setup
#    now; the first rotation comes at the next scheduled window (rotate now with
#    `aws secretsmanager rotate-secret --secret-id <secret>`).
echo "5. Rotation every 30 days"
aws secretsmanager rotate-secret --secret-id "$SECRET" --rotation-lambda-arn "$FUNCTION_ARN" \
  --rotation-rules AutomaticallyAfterDays=30 --no-rotate-immediately >/dev/null

echo "Done. Check it: aws secretsmanager describe-secret --secret-id ${SECRET}"
