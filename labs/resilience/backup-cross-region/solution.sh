#!/usr/bin/env bash
# Reference solution: daily AWS Backup backups, kept 120 days (cold after 30), locked
# against early deletion, and copied to a vault in a second Region.
#
#   KMS key (home Region)  -> vault labcheck-res-backup-vault (vault lock, 7..365 days)
#   KMS key (DR Region)    -> vault labcheck-res-backup-vault-dr in us-west-2
#   backup plan: rule "daily" at 05:00 UTC -> home vault, lifecycle 30 d cold / 120 d delete,
#                copy action -> DR vault, kept 35 days
#   resources: everything tagged backup=daily
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

PLAN="${PLAN:-labcheck-res-daily-backups}"    # lab param plan
VAULT="${VAULT:-labcheck-res-backup-vault}"   # lab param vault
DR_REGION="${DR_REGION:-us-west-2}"           # lab param dr_region
DR_VAULT="${VAULT}-dr"

# 1. Customer managed keys, one per Region (a KMS key never leaves its Region). With
#    your own key you decide who may decrypt the recovery points, and a backup of an
#    encrypted resource can be copied across accounts.
echo "1. KMS keys in the home Region and in ${DR_REGION}"
KEY_ARN=$(aws kms create-key --description "labcheck ${VAULT}" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "alias/${VAULT}" --target-key-id "$KEY_ARN"
DR_KEY_ARN=$(aws kms create-key --region "$DR_REGION" --description "labcheck ${DR_VAULT}" \
  --query KeyMetadata.Arn --output text)
aws kms create-alias --region "$DR_REGION" --alias-name "alias/${DR_VAULT}" --target-key-id "$DR_KEY_ARN"

# 2. The vaults. The encryption key of a vault is chosen at creation and cannot be
#    changed afterwards.
echo "2. Backup vaults ${VAULT} and ${DR_VAULT} (${DR_REGION})"
aws backup create-backup-vault --backup-vault-name "$VAULT" --encryption-key-arn "$KEY_ARN" >/dev/null
DR_VAULT_ARN=$(aws backup create-backup-vault --region "$DR_REGION" --backup-vault-name "$DR_VAULT" \
  --encryption-key-arn "$DR_KEY_ARN" --query BackupVaultArn --output text)

# 3. Vault lock (governance mode: no --changeable-for-days, so it can still be
#    removed by an administrator; add --changeable-for-days 3 for compliance mode,
#    which nobody can undo after those days). Nobody can delete a recovery point
#    younger than 7 days, or keep one longer than a year.
echo "3. Vault lock on ${VAULT}"
aws backup put-backup-vault-lock-configuration --backup-vault-name "$VAULT" \
  --min-retention-days 7 --max-retention-days 365

# 4. The plan: one daily rule at 05:00 UTC; start within an hour, finish within 3.
#    Recovery points move to cold storage after 30 days and are deleted after 120
#    (cold storage needs at least 90 days there). Each recovery point is copied to
#    the DR vault, where the copy is kept 35 days.
echo "4. Backup plan ${PLAN}"
aws backup create-backup-plan --backup-plan "{
  \"BackupPlanName\": \"${PLAN}\",
  \"Rules\": [{
    \"RuleName\": \"daily\",
    \"TargetBackupVaultName\": \"${VAULT}\",
    \"ScheduleExpression\": \"cron(0 5 ? * * *)\",
    \"StartWindowMinutes\": 60,
    \"CompletionWindowMinutes\": 180,
    \"Lifecycle\": {\"MoveToColdStorageAfterDays\": 30, \"DeleteAfterDays\": 120},
    \"CopyActions\": [{
      \"DestinationBackupVaultArn\": \"${DR_VAULT_ARN}\",
      \"Lifecycle\": {\"DeleteAfterDays\": 35}
    }]
  }]
}" >/dev/null

# 5. Assign resources to the plan: everything tagged backup=daily, backed up with a
#    role AWS Backup assumes.
echo "5. Backup selection: resources tagged backup=daily"
ROLE_ARN=$(aws iam get-role --role-name labcheck-res-backup-role --query Role.Arn --output text 2>/dev/null) ||
  ROLE_ARN=$(aws iam create-role --role-name labcheck-res-backup-role --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"backup.amazonaws.com"},"Action":"sts:AssumeRole"}]}' \
    --query Role.Arn --output text)
# Its permissions: the AWS managed policies (which emulators do not carry).
if [[ -z "${AWS_ENDPOINT_URL:-}" ]]; then
  for policy in AWSBackupServiceRolePolicyForBackup AWSBackupServiceRolePolicyForRestores; do
    aws iam attach-role-policy --role-name labcheck-res-backup-role \
      --policy-arn "arn:aws:iam::aws:policy/service-role/${policy}"
  done
fi
PLAN_ID=$(aws backup list-backup-plans --query "BackupPlansList[?BackupPlanName=='${PLAN}'].BackupPlanId | [0]" \
  --output text)
aws backup create-backup-selection --backup-plan-id "$PLAN_ID" --backup-selection \
  "{\"SelectionName\":\"tagged-daily\",\"IamRoleArn\":\"${ROLE_ARN}\",\"ListOfTags\":[{\"ConditionType\":\"STRINGEQUALS\",\"ConditionKey\":\"backup\",\"ConditionValue\":\"daily\"}]}" \
  >/dev/null

echo "Done. Tag a resource with backup=daily, or run a job now: aws backup start-backup-job --backup-vault-name ${VAULT} ..."
