#!/usr/bin/env bash
# Reference solution: guardrails for a sandbox OU with AWS Organizations and SCPs.
#
#   organization (ALL features) -> root with SERVICE_CONTROL_POLICY enabled
#     -> OU "Sandbox" -> SCP: deny leaving the organization, deny other Regions
#
# Run it in the account that becomes the organization's management account. SCPs never
# restrict the management account itself, only the member accounts below the OU.
# Optional: MEMBER_ACCOUNT_EMAIL=dev@example.com creates a member account and moves it
# into the OU (on AWS, closing an account later takes effort: leave it unset to skip).
set -euo pipefail

OU="${OU:-Sandbox}"                                  # lab param ou
SCP="${SCP:-labcheck-sandbox-guardrails}"            # lab param scp
APPROVED_REGION="${APPROVED_REGION:-us-east-1}"      # lab param approved_region
SECOND_REGION="us-west-2"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. The organization, with all features: consolidated billing alone has no SCPs.
echo "1. Organization (feature set ALL)"
aws organizations describe-organization >/dev/null 2>&1 \
  || aws organizations create-organization --feature-set ALL >/dev/null

# 2. SCPs are a policy type that is off until it is enabled on the root. Enabling it
#    attaches the AWS managed FullAWSAccess SCP to the root, every OU and every account:
#    it stays, and our SCP only takes permissions away (a deny list).
ROOT_ID=$(aws organizations list-roots --query 'Roots[0].Id' --output text)
echo "2. Service control policies on root ${ROOT_ID}"
SCP_STATUS=$(aws organizations list-roots \
  --query "Roots[0].PolicyTypes[?Type=='SERVICE_CONTROL_POLICY'].Status | [0]" --output text)
if [[ "$SCP_STATUS" != "ENABLED" ]]; then
  aws organizations enable-policy-type --root-id "$ROOT_ID" --policy-type SERVICE_CONTROL_POLICY >/dev/null
fi

# 3. The OU the sandbox accounts live in. A guardrail attached to an OU applies to every
#    account in it, including accounts moved there later.
echo "3. Organizational unit ${OU}"
OU_ID=$(aws organizations list-organizational-units-for-parent --parent-id "$ROOT_ID" \
  --query "OrganizationalUnits[?Name=='${OU}'].Id | [0]" --output text)
if [[ "$OU_ID" == "None" || -z "$OU_ID" ]]; then
  OU_ID=$(aws organizations create-organizational-unit --parent-id "$ROOT_ID" --name "$OU" \
    --query OrganizationalUnit.Id --output text)
fi

# 4. The SCP. Two deny statements:
#    - nobody in a sandbox account may take the account out of the organization;
#    - nothing may be done outside the approved Regions. Global services (IAM,
#      Organizations, STS, CloudFront, Route 53, Support, ...) are served from us-east-1
#      whatever Region the caller uses, so they are exempted with NotAction.
echo "4. SCP ${SCP}"
cat > "$WORKDIR/scp.json" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyLeavingTheOrganization",
      "Effect": "Deny",
      "Action": "organizations:LeaveOrganization",
      "Resource": "*"
    },
    {
      "Sid": "DenyOutsideApprovedRegions",
      "Effect": "Deny",
      "NotAction": [
        "iam:*", "organizations:*", "sts:*", "support:*", "account:*",
        "cloudfront:*", "route53:*", "route53domains:*", "waf:*", "budgets:*",
        "ce:*", "health:*", "trustedadvisor:*", "globalaccelerator:*", "shield:*"
      ],
      "Resource": "*",
      "Condition": {
        "StringNotEquals": {"aws:RequestedRegion": ["${APPROVED_REGION}", "${SECOND_REGION}"]}
      }
    }
  ]
}
JSON
POLICY_ID=$(aws organizations list-policies --filter SERVICE_CONTROL_POLICY \
  --query "Policies[?Name=='${SCP}'].Id | [0]" --output text)
if [[ "$POLICY_ID" == "None" || -z "$POLICY_ID" ]]; then
  POLICY_ID=$(aws organizations create-policy --name "$SCP" --type SERVICE_CONTROL_POLICY \
    --description "Sandbox guardrails: stay in the organization and in the approved Regions" \
    --content "file://$WORKDIR/scp.json" --query Policy.PolicySummary.Id --output text)
else
  aws organizations update-policy --policy-id "$POLICY_ID" --content "file://$WORKDIR/scp.json" >/dev/null
fi

# 5. Attach it to the OU (not the root: the root's SCPs would reach every account,
#    production included).
echo "5. Attach ${SCP} to ${OU} (${OU_ID})"
ATTACHED=$(aws organizations list-targets-for-policy --policy-id "$POLICY_ID" \
  --query "Targets[?TargetId=='${OU_ID}'] | length(@)" --output text)
[[ "$ATTACHED" != "0" ]] || aws organizations attach-policy --policy-id "$POLICY_ID" --target-id "$OU_ID"

# 6. Optional: a member account in the OU. On AWS, create-account is asynchronous.
if [[ -n "${MEMBER_ACCOUNT_EMAIL:-}" ]]; then
  echo "6. Member account for ${MEMBER_ACCOUNT_EMAIL}"
  REQUEST_ID=$(aws organizations create-account --email "$MEMBER_ACCOUNT_EMAIL" \
    --account-name labcheck-sandbox-dev --query CreateAccountStatus.Id --output text)
  until STATE=$(aws organizations describe-create-account-status --create-account-request-id "$REQUEST_ID" \
      --query CreateAccountStatus.State --output text) && [[ "$STATE" != "IN_PROGRESS" ]]; do sleep 10; done
  [[ "$STATE" == "SUCCEEDED" ]] || { echo "create-account: $STATE" >&2; exit 1; }
  ACCOUNT_ID=$(aws organizations describe-create-account-status --create-account-request-id "$REQUEST_ID" \
    --query CreateAccountStatus.AccountId --output text)
  aws organizations move-account --account-id "$ACCOUNT_ID" --source-parent-id "$ROOT_ID" \
    --destination-parent-id "$OU_ID"
fi

echo "Done."
