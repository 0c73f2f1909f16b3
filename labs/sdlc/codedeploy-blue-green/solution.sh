#!/usr/bin/env bash
# Reference solution: blue/green deployments with CodeDeploy for an Auto Scaling group
# behind an Application Load Balancer.
#
#   ALB -> listener :80 -> target group <- Auto Scaling group (launch template,
#     CodeDeploy agent installed at boot, ELB health checks)
#   CloudWatch alarm: the target group answers with 5xx errors
#   CodeDeploy application (EC2/On-premises) + deployment group:
#     BLUE_GREEN with traffic control: a copy of the ASG (green) gets the new revision,
#     the load balancer moves traffic to it, the old fleet (blue) is terminated an
#     hour later; rollback when a deployment fails or the alarm goes off
#
# Needs the Region's default VPC (every new account has one). Uses only the AWS CLI.
# Region, credentials and endpoint come from the environment (AWS_REGION /
# AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

APPLICATION="${APPLICATION:-labcheck-sdlc-bg-web}"                 # lab param application
DEPLOYMENT_GROUP="${DEPLOYMENT_GROUP:-labcheck-sdlc-bg-web-prod}"  # lab param deployment_group
TARGET_GROUP="${TARGET_GROUP:-labcheck-sdlc-bg-web-tg}"            # lab param target_group
ALARM="${ALARM:-labcheck-sdlc-bg-web-5xx}"                         # lab param alarm
ASG="${AUTO_SCALING_GROUP:-labcheck-sdlc-bg-web-asg}"           # lab param auto_scaling_group
LB="labcheck-sdlc-bg-web-alb"
TEMPLATE="labcheck-sdlc-bg-web-lt"
DEPLOY_ROLE="labcheck-sdlc-bg-codedeploy-role"
INSTANCE_ROLE="labcheck-sdlc-bg-web-instance-role"

REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"
WORKDIR=$(mktemp -d)
trap 'rm -rf "$WORKDIR"' EXIT

# IAM is eventually consistent: a role or instance profile created a moment ago may be
# refused ("... is not authorized", "Invalid IamInstanceProfile"). Retry such a call
# for up to a minute; fail at once on any other error.
retry_iam() {
  local attempt=1 out
  until out=$("$@" 2>&1); do
    if (( attempt >= 10 )) || ! grep -qiE 'assumerole|not authorized|role|profile|permission' <<<"$out"; then
      echo "$out" >&2
      return 1
    fi
    echo "   (the new role is not usable yet; retrying in 6s)"
    sleep 6
    attempt=$((attempt + 1))
  done
}

# 1. The CodeDeploy service role: trusted by codedeploy.amazonaws.com only. Its
#    permissions are those of the AWS managed policy AWSCodeDeployRole (attach that one
#    instead if you prefer), plus what a blue/green deployment needs to copy a group
#    that uses a launch template: start instances, tag them, pass their role.
echo "1. CodeDeploy service role ${DEPLOY_ROLE}"
DEPLOY_ROLE_ARN=$(aws iam create-role --role-name "$DEPLOY_ROLE" --query Role.Arn --output text \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}]}')
aws iam put-role-policy --role-name "$DEPLOY_ROLE" --policy-name codedeploy-ec2-blue-green \
  --policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
    "autoscaling:CompleteLifecycleAction", "autoscaling:DeleteLifecycleHook", "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLifecycleHooks", "autoscaling:PutLifecycleHook",
    "autoscaling:RecordLifecycleActionHeartbeat", "autoscaling:CreateAutoScalingGroup", "autoscaling:CreateOrUpdateTags",
    "autoscaling:UpdateAutoScalingGroup", "autoscaling:EnableMetricsCollection", "autoscaling:DescribePolicies",
    "autoscaling:DescribeScheduledActions", "autoscaling:DescribeNotificationConfigurations",
    "autoscaling:SuspendProcesses", "autoscaling:ResumeProcesses", "autoscaling:AttachLoadBalancers",
    "autoscaling:AttachLoadBalancerTargetGroups", "autoscaling:PutScalingPolicy",
    "autoscaling:PutScheduledUpdateGroupAction", "autoscaling:PutNotificationConfiguration", "autoscaling:PutWarmPool",
    "autoscaling:DescribeScalingActivities", "autoscaling:DeleteAutoScalingGroup",
    "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:TerminateInstances", "ec2:RunInstances", "ec2:CreateTags",
    "iam:PassRole", "tag:GetResources", "sns:Publish", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm",
    "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeInstanceHealth",
    "elasticloadbalancing:RegisterInstancesWithLoadBalancer", "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]}]}'

# 2. The instances' role: the CodeDeploy agent downloads revisions from the release bucket.
echo "2. Instance role and profile ${INSTANCE_ROLE}"
aws iam create-role --role-name "$INSTANCE_ROLE" >/dev/null \
  --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}'
aws iam put-role-policy --role-name "$INSTANCE_ROLE" --policy-name read-revisions \
  --policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::labcheck-sdlc-bg-releases-*/*"}]}'
aws iam create-instance-profile --instance-profile-name "$INSTANCE_ROLE" >/dev/null
aws iam add-role-to-instance-profile --instance-profile-name "$INSTANCE_ROLE" --role-name "$INSTANCE_ROLE"

# 3. The load balancer in two subnets of the default VPC, a target group with a
#    health check, and a listener that forwards to it.
echo "3. Load balancer ${LB} -> target group ${TARGET_GROUP}"
read -r VPC_ID SUBNET_1 SUBNET_2 < <(aws ec2 describe-subnets --filters Name=default-for-az,Values=true \
  --query 'Subnets | sort_by(@, &AvailabilityZone) | [[0].VpcId, [0].SubnetId, [1].SubnetId]' --output text)
TG_ARN=$(aws elbv2 create-target-group --name "$TARGET_GROUP" --protocol HTTP --port 80 --vpc-id "$VPC_ID" \
  --health-check-path / --healthy-threshold-count 2 --query 'TargetGroups[0].TargetGroupArn' --output text)
LB_ARN=$(aws elbv2 create-load-balancer --name "$LB" --subnets "$SUBNET_1" "$SUBNET_2" \
  --query 'LoadBalancers[0].LoadBalancerArn' --output text)
aws elbv2 create-listener --load-balancer-arn "$LB_ARN" --protocol HTTP --port 80 \
  --default-actions "Type=forward,TargetGroupArn=${TG_ARN}" >/dev/null

# 4. The fleet: a launch template (latest Amazon Linux 2023, CodeDeploy agent installed
#    at boot) and an Auto Scaling group registered with the target group, replacing
#    instances the load balancer finds unhealthy.
echo "4. Launch template ${TEMPLATE} and Auto Scaling group ${ASG}"
cat > "$WORKDIR/user-data.sh" <<SH
#!/bin/bash
dnf install -y ruby wget httpd
systemctl enable --now httpd
cd /tmp && wget https://aws-codedeploy-${REGION}.s3.${REGION}.amazonaws.com/latest/install && chmod +x install && ./install auto
SH
USER_DATA=$(base64 < "$WORKDIR/user-data.sh" | tr -d '\n')
retry_iam aws ec2 create-launch-template --launch-template-name "$TEMPLATE" --launch-template-data "{
  \"ImageId\": \"resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\",
  \"InstanceType\": \"t3.micro\",
  \"IamInstanceProfile\": {\"Name\": \"${INSTANCE_ROLE}\"},
  \"UserData\": \"${USER_DATA}\"}"
aws autoscaling create-auto-scaling-group --auto-scaling-group-name "$ASG" \
  --launch-template "LaunchTemplateName=${TEMPLATE},Version=\$Latest" \
  --min-size 2 --max-size 4 --desired-capacity 2 --vpc-zone-identifier "${SUBNET_1},${SUBNET_2}" \
  --target-group-arns "$TG_ARN" --health-check-type ELB --health-check-grace-period 300

# 5. The alarm that stops a bad release: the targets answer with 5xx errors (more
#    than 5 a minute, two minutes in a row).
echo "5. Alarm ${ALARM}"
aws cloudwatch put-metric-alarm --alarm-name "$ALARM" \
  --alarm-description "5xx errors from ${TARGET_GROUP}: stops and rolls back a CodeDeploy deployment" \
  --namespace AWS/ApplicationELB --metric-name HTTPCode_Target_5XX_Count \
  --dimensions "Name=LoadBalancer,Value=${LB_ARN#*:loadbalancer/}" "Name=TargetGroup,Value=${TG_ARN##*:}" \
  --statistic Sum --period 60 --evaluation-periods 2 --threshold 5 \
  --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching

# 6. The application and its blue/green deployment group. Green instances come from
#    a copy of the Auto Scaling group; traffic moves as soon as they are healthy; the
#    blue instances stay an hour (time to reroute back by hand) and are then
#    terminated. A failed deployment, or the alarm going off, rolls back.
echo "6. CodeDeploy application ${APPLICATION}, deployment group ${DEPLOYMENT_GROUP}"
aws deploy create-application --application-name "$APPLICATION" --compute-platform Server >/dev/null
retry_iam aws deploy create-deployment-group --application-name "$APPLICATION" \
  --deployment-group-name "$DEPLOYMENT_GROUP" \
  --service-role-arn "$DEPLOY_ROLE_ARN" \
  --auto-scaling-groups "$ASG" \
  --deployment-config-name CodeDeployDefault.HalfAtATime \
  --deployment-style deploymentType=BLUE_GREEN,deploymentOption=WITH_TRAFFIC_CONTROL \
  --blue-green-deployment-configuration '{
    "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 60},
    "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT"},
    "greenFleetProvisioningOption": {"action": "COPY_AUTO_SCALING_GROUP"}}' \
  --load-balancer-info "{\"targetGroupInfoList\": [{\"name\": \"${TARGET_GROUP}\"}]}" \
  --alarm-configuration "{\"enabled\": true, \"alarms\": [{\"name\": \"${ALARM}\"}]}" \
  --auto-rollback-configuration enabled=true,events=DEPLOYMENT_FAILURE,DEPLOYMENT_STOP_ON_ALARM

echo "Done. Deploy a revision: aws deploy create-deployment --application-name ${APPLICATION} --deployment-group-name ${DEPLOYMENT_GROUP} --s3-location bucket=<bucket>,key=<app.zip>,bundleType=zip"
