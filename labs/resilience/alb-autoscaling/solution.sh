#!/usr/bin/env bash
# Reference solution: a web tier that survives the loss of an instance or of an
# Availability Zone, and grows with its load.
#
#   VPC, two public subnets in two AZs, internet gateway
#     -> internet-facing Application Load Balancer in both subnets, HTTP listener
#     -> target group: health check on /health, fast failure detection, short draining
#     <- Auto Scaling group (launch template, 2..6 instances in both subnets,
#        ELB health checks) with a target tracking policy on 50 % average CPU
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

LOAD_BALANCER="${LOAD_BALANCER:-labcheck-res-web-alb}"   # lab param load_balancer
TARGET_GROUP="${TARGET_GROUP:-labcheck-res-web-tg}"      # lab param target_group
ASG="${ASG:-labcheck-res-web-asg}"                       # lab param asg
LAUNCH_TEMPLATE="labcheck-res-web-lt"
TAG_SPEC='Tags=[{Key=Name,Value=labcheck-res-web}]'

# 1. Network: a VPC with one public subnet in each of two Availability Zones. An
#    internet-facing load balancer needs an internet gateway and a route to it.
echo "1. VPC and two public subnets in two Availability Zones"
AZS=$(aws ec2 describe-availability-zones --filters Name=state,Values=available \
  --query 'AvailabilityZones[0:2].ZoneName' --output text)
read -r AZ1 AZ2 <<<"$AZS"
VPC_ID=$(aws ec2 create-vpc --cidr-block 10.20.0.0/16 \
  --tag-specifications "ResourceType=vpc,${TAG_SPEC}" --query Vpc.VpcId --output text)
SUBNET_1=$(aws ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.20.1.0/24 --availability-zone "$AZ1" \
  --query Subnet.SubnetId --output text)
SUBNET_2=$(aws ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.20.2.0/24 --availability-zone "$AZ2" \
  --query Subnet.SubnetId --output text)
IGW_ID=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)
aws ec2 attach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id "$VPC_ID"
RTB_ID=$(aws ec2 create-route-table --vpc-id "$VPC_ID" --query RouteTable.RouteTableId --output text)
aws ec2 create-route --route-table-id "$RTB_ID" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW_ID" >/dev/null
aws ec2 associate-route-table --route-table-id "$RTB_ID" --subnet-id "$SUBNET_1" >/dev/null
aws ec2 associate-route-table --route-table-id "$RTB_ID" --subnet-id "$SUBNET_2" >/dev/null

# 2. Security groups: the world may reach the load balancer on port 80, and only the
#    load balancer may reach the instances.
echo "2. Security groups"
ALB_SG=$(aws ec2 create-security-group --group-name labcheck-res-web-alb-sg --vpc-id "$VPC_ID" \
  --description "labcheck web tier: load balancer" --query GroupId --output text)
aws ec2 authorize-security-group-ingress --group-id "$ALB_SG" --protocol tcp --port 80 --cidr 0.0.0.0/0 >/dev/null
APP_SG=$(aws ec2 create-security-group --group-name labcheck-res-web-app-sg --vpc-id "$VPC_ID" \
  --description "labcheck web tier: instances" --query GroupId --output text)
aws ec2 authorize-security-group-ingress --group-id "$APP_SG" --protocol tcp --port 80 --source-group "$ALB_SG" >/dev/null

# 3. The load balancer, internet-facing, with a node in each subnet (each AZ).
echo "3. Application Load Balancer ${LOAD_BALANCER}"
LB=$(aws elbv2 create-load-balancer --name "$LOAD_BALANCER" --type application --scheme internet-facing \
  --subnets "$SUBNET_1" "$SUBNET_2" --security-groups "$ALB_SG" \
  --query 'LoadBalancers[0].[LoadBalancerArn,DNSName]' --output text)
read -r LB_ARN LB_DNS <<<"$LB"

# 4. The target group. The health check asks the application itself (/health), not
#    just the web server's front page: an instance whose app is broken leaves the
#    rotation after 2 failed checks 15 s apart, and comes back after 3 good ones.
#    Draining waits 30 s instead of 300 s for in-flight requests on scale-in, and
#    cross-zone load balancing spreads requests evenly over both AZs' instances.
echo "4. Target group ${TARGET_GROUP} (health check /health)"
TG_ARN=$(aws elbv2 create-target-group --name "$TARGET_GROUP" --protocol HTTP --port 80 --vpc-id "$VPC_ID" \
  --target-type instance --health-check-protocol HTTP --health-check-path /health \
  --health-check-interval-seconds 15 --health-check-timeout-seconds 5 \
  --healthy-threshold-count 3 --unhealthy-threshold-count 2 --matcher HttpCode=200 \
  --query 'TargetGroups[0].TargetGroupArn' --output text)
aws elbv2 modify-target-group-attributes --target-group-arn "$TG_ARN" --attributes \
  Key=deregistration_delay.timeout_seconds,Value=30 Key=load_balancing.cross_zone.enabled,Value=true >/dev/null

# 5. The listener: HTTP on port 80, forwarding to the target group.
echo "5. Listener HTTP:80 -> ${TARGET_GROUP}"
aws elbv2 create-listener --load-balancer-arn "$LB_ARN" --protocol HTTP --port 80 \
  --default-actions "Type=forward,TargetGroupArn=${TG_ARN}" >/dev/null

# 6. The launch template: the latest Amazon Linux 2023 (EC2 resolves the public SSM
#    parameter at launch), and a tiny web server that answers / and /health on port 80.
echo "6. Launch template ${LAUNCH_TEMPLATE}"
AMI_ID="resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
USER_DATA=$(base64 -w0 <<'SCRIPT'
#!/bin/bash
mkdir -p /srv/www && cd /srv/www
echo "hello from $(hostname)" > index.html
echo ok > health
nohup python3 -m http.server 80 >/var/log/web.log 2>&1 &
SCRIPT
)
aws ec2 create-launch-template --launch-template-name "$LAUNCH_TEMPLATE" --launch-template-data \
  "{\"ImageId\":\"${AMI_ID}\",\"InstanceType\":\"t3.micro\",\"SecurityGroupIds\":[\"${APP_SG}\"],\"UserData\":\"${USER_DATA}\"}" \
  >/dev/null

# 7. The Auto Scaling group: at least 2 instances, spread over both subnets, so one
#    instance or one AZ can fail. ELB health checks replace an instance the load
#    balancer finds unhealthy (EC2 checks only see a stopped machine); the grace
#    period gives a new instance 5 minutes to boot before it is judged.
echo "7. Auto Scaling group ${ASG} (2..6 instances, ELB health checks)"
aws autoscaling create-auto-scaling-group --auto-scaling-group-name "$ASG" \
  --launch-template "LaunchTemplateName=${LAUNCH_TEMPLATE},Version=\$Latest" \
  --min-size 2 --max-size 6 --desired-capacity 2 \
  --vpc-zone-identifier "${SUBNET_1},${SUBNET_2}" \
  --target-group-arns "$TG_ARN" \
  --health-check-type ELB --health-check-grace-period 300

# 8. Target tracking: keep the group's average CPU near 50 %; Auto Scaling creates
#    and manages the CloudWatch alarms itself.
echo "8. Target tracking policy: ASGAverageCPUUtilization 50"
aws autoscaling put-scaling-policy --auto-scaling-group-name "$ASG" --policy-name cpu50-target-tracking \
  --policy-type TargetTrackingScaling --estimated-instance-warmup 120 \
  --target-tracking-configuration \
  '{"PredefinedMetricSpecification":{"PredefinedMetricType":"ASGAverageCPUUtilization"},"TargetValue":50.0}' \
  >/dev/null

echo "Done. Open http://${LB_DNS}/ once the targets are healthy (about 5 minutes)."
