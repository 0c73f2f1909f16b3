#!/usr/bin/env bash
# Reference solution: patch the web fleet with SSM Patch Manager.
#
#   custom patch baseline (Amazon Linux 2023: security updates, Critical + Important,
#     auto-approved after 7 days, non-compliance reported as CRITICAL)
#   -> registered for the patch group "web" (instances tagged PatchGroup=web)
#   -> maintenance window (Sundays 03:00 UTC, 3 hours, no new tasks in the last hour)
#      -> target: instances tagged PatchGroup=web
#      -> task: AWS-RunPatchBaseline, Operation=Install, a quarter of the fleet at a time
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment.
set -euo pipefail

BASELINE="${BASELINE:-labcheck-iac-al2023-security}"        # lab param baseline
OPERATING_SYSTEM="${OPERATING_SYSTEM:-AMAZON_LINUX_2023}"  # lab param operating_system
PATCH_GROUP="${PATCH_GROUP:-web}"                          # lab param patch_group
WINDOW="${WINDOW:-labcheck-iac-patch-web}"                 # lab param window

# 1. The patch baseline. Without --operating-system a baseline is for WINDOWS. The rule
#    approves security updates rated Critical or Important seven days after their
#    release (time to test them elsewhere first); an instance missing one of them is
#    reported non-compliant with severity CRITICAL instead of UNSPECIFIED.
echo "1. Patch baseline ${BASELINE} (${OPERATING_SYSTEM})"
BASELINE_ID=$(aws ssm describe-patch-baselines --filters "Key=NAME_PREFIX,Values=${BASELINE}" \
  --query "BaselineIdentities[?BaselineName=='${BASELINE}'].BaselineId | [0]" --output text)
if [[ "$BASELINE_ID" == "None" || -z "$BASELINE_ID" ]]; then
  BASELINE_ID=$(aws ssm create-patch-baseline \
    --name "$BASELINE" \
    --operating-system "$OPERATING_SYSTEM" \
    --description "Security updates (Critical, Important), approved after 7 days" \
    --approval-rules 'PatchRules=[{PatchFilterGroup={PatchFilters=[{Key=CLASSIFICATION,Values=[Security]},{Key=SEVERITY,Values=[Critical,Important]}]},ApproveAfterDays=7,ComplianceLevel=CRITICAL,EnableNonSecurity=false}]' \
    --query BaselineId --output text)

  # 2. The patch group: AWS-RunPatchBaseline uses this baseline on every instance whose
  #    "PatchGroup" (or "Patch Group") tag is "web"; other instances get the default
  #    baseline of their operating system.
  echo "2. Patch group ${PATCH_GROUP} -> ${BASELINE_ID}"
  aws ssm register-patch-baseline-for-patch-group --baseline-id "$BASELINE_ID" \
    --patch-group "$PATCH_GROUP" >/dev/null
fi

# 3. The maintenance window: Sunday 03:00 UTC for 3 hours; no task starts in the last
#    hour (the cutoff), so patching and reboots end inside the window. Only registered
#    targets can be patched in it.
echo "3. Maintenance window ${WINDOW}"
WINDOW_ID=$(aws ssm describe-maintenance-windows --filters "Key=Name,Values=${WINDOW}" \
  --query 'WindowIdentities[0].WindowId' --output text)
if [[ "$WINDOW_ID" == "None" || -z "$WINDOW_ID" ]]; then
  WINDOW_ID=$(aws ssm create-maintenance-window \
    --name "$WINDOW" \
    --description "Weekly patching of the ${PATCH_GROUP} patch group" \
    --schedule "cron(0 3 ? * SUN *)" \
    --schedule-timezone UTC \
    --duration 3 \
    --cutoff 1 \
    --no-allow-unassociated-targets \
    --query WindowId --output text)

  # 4. Its targets: the instances of the patch group, by tag.
  echo "4. Targets: instances tagged PatchGroup=${PATCH_GROUP}"
  TARGET_ID=$(aws ssm register-target-with-maintenance-window \
    --window-id "$WINDOW_ID" \
    --name "${PATCH_GROUP}-instances" \
    --resource-type INSTANCE \
    --targets "Key=tag:PatchGroup,Values=${PATCH_GROUP}" \
    --query WindowTargetId --output text)

  # 5. The task: Run Command with AWS-RunPatchBaseline, Operation=Install (Scan only
  #    reports), rebooting when a patch needs it. A quarter of the instances at a time,
  #    and the task stops once a second instance fails.
  echo "5. Task AWS-RunPatchBaseline (Install)"
  aws ssm register-task-with-maintenance-window \
    --window-id "$WINDOW_ID" \
    --name "patch-${PATCH_GROUP}" \
    --task-type RUN_COMMAND \
    --task-arn AWS-RunPatchBaseline \
    --targets "Key=WindowTargetIds,Values=${TARGET_ID}" \
    --priority 1 \
    --max-concurrency 25% \
    --max-errors 1 \
    --cutoff-behavior CONTINUE_TASK \
    --task-invocation-parameters '{"RunCommand": {"Parameters": {"Operation": ["Install"], "RebootOption": ["RebootIfNeeded"]}, "TimeoutSeconds": 600}}' \
    >/dev/null
fi

echo "Done. Tag the instances: aws ec2 create-tags --resources <i-...> --tags Key=PatchGroup,Value=${PATCH_GROUP}"
