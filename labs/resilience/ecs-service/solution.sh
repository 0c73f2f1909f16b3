#!/usr/bin/env bash
# Reference solution: a Fargate service that keeps two tasks in two Availability
# Zones, rolls back a deployment that cannot start, never drops below full capacity
# while deploying, scales on CPU, and reports its metrics through Container Insights.
#
#   VPC, two public subnets in two AZs
#   ECS cluster (Container Insights on)
#     -> Fargate service: 2 tasks, both subnets, rolling updates at 100 % / 200 %,
#        deployment circuit breaker with rollback
#     -> Application Auto Scaling: DesiredCount 2..10, target tracking at 60 % CPU
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

CLUSTER="${CLUSTER:-labcheck-res-web}"        # lab param cluster
SERVICE="${SERVICE:-labcheck-res-web-svc}"    # lab param service
FAMILY="labcheck-res-web"

# 1. Network: a public subnet in each of two Availability Zones. The tasks get public
#    addresses to pull their image from the internet (in production: private
#    subnets with a NAT gateway or VPC endpoints).
echo "1. VPC and two public subnets in two Availability Zones"
AZS=$(aws ec2 describe-availability-zones --filters Name=state,Values=available \
  --query 'AvailabilityZones[0:2].ZoneName' --output text)
read -r AZ1 AZ2 <<<"$AZS"
VPC_ID=$(aws ec2 create-vpc --cidr-block 10.40.0.0/16 --query Vpc.VpcId --output text)
SUBNET_1=$(aws ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.40.1.0/24 --availability-zone "$AZ1" \
  --query Subnet.SubnetId --output text)
SUBNET_2=$(aws ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.40.2.0/24 --availability-zone "$AZ2" \
  --query Subnet.SubnetId --output text)
IGW_ID=$(aws ec2 create-internet-gateway --query InternetGateway.InternetGatewayId --output text)
aws ec2 attach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id "$VPC_ID"
RTB_ID=$(aws ec2 create-route-table --vpc-id "$VPC_ID" --query RouteTable.RouteTableId --output text)
aws ec2 create-route --route-table-id "$RTB_ID" --destination-cidr-block 0.0.0.0/0 --gateway-id "$IGW_ID" >/dev/null
aws ec2 associate-route-table --route-table-id "$RTB_ID" --subnet-id "$SUBNET_1" >/dev/null
aws ec2 associate-route-table --route-table-id "$RTB_ID" --subnet-id "$SUBNET_2" >/dev/null
# The tasks' security group: no inbound rule (nothing calls them directly), all outbound.
SG_ID=$(aws ec2 create-security-group --group-name labcheck-res-web-tasks --vpc-id "$VPC_ID" \
  --description "labcheck web service tasks" --query GroupId --output text)

# 2. The cluster, with Container Insights: per-service and per-task CPU, memory,
#    network and task counts in CloudWatch, what you look at when tasks keep dying.
echo "2. Cluster ${CLUSTER} (Container Insights)"
aws ecs create-cluster --cluster-name "$CLUSTER" --settings name=containerInsights,value=enabled >/dev/null

# 3. The task definition: one nginx container on Fargate (0.25 vCPU, 512 MiB).
echo "3. Task definition ${FAMILY}"
aws ecs register-task-definition --family "$FAMILY" --requires-compatibilities FARGATE \
  --network-mode awsvpc --cpu 256 --memory 512 --container-definitions \
  '[{"name":"web","image":"public.ecr.aws/nginx/nginx:stable","essential":true,"portMappings":[{"containerPort":80}]}]' \
  >/dev/null

# 4. The service. Two tasks spread over both subnets (ECS balances tasks across AZs).
#    Rolling updates start the new tasks before stopping old ones (100 % / 200 %), and
#    the circuit breaker stops a deployment whose tasks keep failing and rolls back to
#    the last working one instead of retrying forever.
echo "4. Fargate service ${SERVICE} (2 tasks, circuit breaker with rollback)"
DEPLOYMENT_CONFIG='deploymentCircuitBreaker={enable=true,rollback=true},minimumHealthyPercent=100,maximumPercent=200'
aws ecs create-service --cluster "$CLUSTER" --service-name "$SERVICE" --task-definition "$FAMILY" \
  --desired-count 2 --launch-type FARGATE \
  --network-configuration "awsvpcConfiguration={subnets=[${SUBNET_1},${SUBNET_2}],securityGroups=[${SG_ID}],assignPublicIp=ENABLED}" \
  --deployment-configuration "$DEPLOYMENT_CONFIG" >/dev/null
# (Some emulators drop the deployment configuration of create-service; setting the
# same one again changes nothing on AWS.)
aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --deployment-configuration "$DEPLOYMENT_CONFIG" >/dev/null

# 5. Service auto scaling: between 2 and 10 tasks, keeping average CPU near 60 %.
echo "5. Service auto scaling: 2..10 tasks, target 60 % CPU"
aws application-autoscaling register-scalable-target --service-namespace ecs \
  --resource-id "service/${CLUSTER}/${SERVICE}" --scalable-dimension ecs:service:DesiredCount \
  --min-capacity 2 --max-capacity 10 >/dev/null
aws application-autoscaling put-scaling-policy --service-namespace ecs \
  --resource-id "service/${CLUSTER}/${SERVICE}" --scalable-dimension ecs:service:DesiredCount \
  --policy-name "${SERVICE}-cpu60" --policy-type TargetTrackingScaling \
  --target-tracking-scaling-policy-configuration \
  '{"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"},"TargetValue":60.0,"ScaleOutCooldown":60,"ScaleInCooldown":300}' \
  >/dev/null

echo "Done. Watch the deployment: aws ecs describe-services --cluster ${CLUSTER} --services ${SERVICE} --query 'services[0].deployments'"
