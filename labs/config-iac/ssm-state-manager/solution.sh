#!/usr/bin/env bash
# Reference solution: keep the web fleet's agents in their desired state with
# SSM State Manager.
#
#   association: AWS-UpdateSSMAgent on instances tagged Role=web, every 14 days,
#                compliance severity HIGH, command output to S3
#   association: AWS-ConfigureAWSPackage installs AmazonCloudWatchAgent on them
#   association: AmazonCloudWatch-ManageAgent configures the agent from the
#                SSM parameter AmazonCloudWatch-labcheck-iac-web
#
# Instances need the SSM Agent and an instance profile with AmazonSSMManagedInstanceCore
# and CloudWatchAgentServerPolicy (which may only read parameters named
# AmazonCloudWatch-*). Uses only the AWS CLI. Region, credentials and endpoint come from
# the environment.
set -euo pipefail

UPDATE_ASSOCIATION="${UPDATE_ASSOCIATION:-labcheck-iac-update-ssm-agent}"     # lab param update_association
INSTALL_ASSOCIATION="${INSTALL_ASSOCIATION:-labcheck-iac-install-cwagent}"    # lab param install_association
CONFIG_ASSOCIATION="${CONFIG_ASSOCIATION:-labcheck-iac-configure-cwagent}"    # lab param config_association
CONFIG_PARAMETER="AmazonCloudWatch-labcheck-iac-web"
TARGETS="Key=tag:Role,Values=web"   # every instance with this tag, including future ones

ACCOUNT=$(aws sts get-caller-identity --query Account --output text)
BUCKET="labcheck-iac-ssm-output-${ACCOUNT}"

WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# 1. A private bucket for the command output of every association run: the record of
#    what State Manager did on which instance.
echo "1. Output bucket ${BUCKET}"
aws s3api create-bucket --bucket "$BUCKET" >/dev/null
aws s3api put-public-access-block --bucket "$BUCKET" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true

# 2. Keep the SSM Agent current. The schedule re-applies the association every 14 days
#    (and State Manager applies it at once to instances that get the tag later); the
#    compliance severity is what an instance that failed it is reported as.
echo "2. Association ${UPDATE_ASSOCIATION}: AWS-UpdateSSMAgent"
aws ssm create-association \
  --association-name "$UPDATE_ASSOCIATION" \
  --name AWS-UpdateSSMAgent \
  --targets "$TARGETS" \
  --schedule-expression "rate(14 days)" \
  --compliance-severity HIGH \
  --max-concurrency 25% --max-errors 10% \
  --output-location "S3Location={OutputS3BucketName=${BUCKET},OutputS3KeyPrefix=state-manager/update-ssm-agent/}" \
  >/dev/null

# 3. The CloudWatch agent's configuration, in Parameter Store. The name must start
#    with AmazonCloudWatch-: that is all the managed CloudWatchAgentServerPolicy lets
#    the instances read.
echo "3. Agent configuration ${CONFIG_PARAMETER}"
cat > "$WORKDIR/agent.json" <<'JSON'
{
  "agent": {"metrics_collection_interval": 60, "run_as_user": "cwagent"},
  "metrics": {
    "namespace": "CWAgent",
    "append_dimensions": {"InstanceId": "${aws:InstanceId}", "AutoScalingGroupName": "${aws:AutoScalingGroupName}"},
    "metrics_collected": {
      "mem": {"measurement": ["mem_used_percent"]},
      "disk": {"measurement": ["used_percent"], "resources": ["/"]}
    }
  },
  "logs": {
    "logs_collected": {
      "files": {"collect_list": [
        {"file_path": "/var/log/messages", "log_group_name": "/labcheck-iac/web/messages", "retention_in_days": 30}
      ]}
    }
  }
}
JSON
aws ssm put-parameter --name "$CONFIG_PARAMETER" --type String --overwrite \
  --description "CloudWatch agent configuration for the web fleet" \
  --value "file://$WORKDIR/agent.json" >/dev/null

# 4. Install the agent (a Distributor package), and re-check every 30 days.
echo "4. Association ${INSTALL_ASSOCIATION}: AWS-ConfigureAWSPackage AmazonCloudWatchAgent"
aws ssm create-association \
  --association-name "$INSTALL_ASSOCIATION" \
  --name AWS-ConfigureAWSPackage \
  --targets "$TARGETS" \
  --parameters action=Install,name=AmazonCloudWatchAgent \
  --schedule-expression "rate(30 days)" \
  --compliance-severity MEDIUM \
  --output-location "S3Location={OutputS3BucketName=${BUCKET},OutputS3KeyPrefix=state-manager/install-cwagent/}" \
  >/dev/null

# 5. Configure and (re)start the agent from the parameter. Re-applied daily, it puts
#    back the configuration if someone changes it on an instance.
echo "5. Association ${CONFIG_ASSOCIATION}: AmazonCloudWatch-ManageAgent from ${CONFIG_PARAMETER}"
aws ssm create-association \
  --association-name "$CONFIG_ASSOCIATION" \
  --name AmazonCloudWatch-ManageAgent \
  --targets "$TARGETS" \
  --parameters "action=configure,mode=ec2,optionalConfigurationSource=ssm,optionalConfigurationLocation=${CONFIG_PARAMETER},optionalRestart=yes" \
  --schedule-expression "rate(1 day)" \
  --compliance-severity MEDIUM \
  --output-location "S3Location={OutputS3BucketName=${BUCKET},OutputS3KeyPrefix=state-manager/configure-cwagent/}" \
  >/dev/null

echo "Done. Compliance: aws ssm list-compliance-summaries --filters Key=ComplianceType,Values=Association,Type=EQUAL"
