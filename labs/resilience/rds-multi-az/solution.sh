#!/usr/bin/env bash
# Reference solution: a PostgreSQL database that survives the loss of an Availability
# Zone, can be restored to any point of the last 7 days, and grows its own storage.
#
#   KMS key (customer managed) -> encrypted storage
#   VPC with two private subnets in two AZs -> DB subnet group
#   RDS for PostgreSQL: Multi-AZ (synchronous standby in the other AZ), 7 days of
#   automated backups, deletion protection, storage autoscaling 20 -> 100 GiB,
#   no public address, logs exported to CloudWatch Logs, password in Secrets Manager
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

DB_INSTANCE="${DB_INSTANCE:-labcheck-res-orders-db}"   # lab param db_instance
SUBNET_GROUP="labcheck-res-orders-db-subnets"
# AWS CLI v1 sends RDS calls in us-east-1 to its own endpoint even when AWS_ENDPOINT_URL
# is set; pass the emulator's endpoint explicitly (nothing changes on AWS).
rds() { aws rds ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} "$@"; }

# 1. A customer managed key for the database's storage, snapshots and backups: its
#    key policy and grants are yours to control (and to share with another account
#    or copy snapshots with), unlike the AWS managed aws/rds key.
echo "1. KMS key for the database"
KEY_ARN=$(aws kms create-key --description "labcheck ${DB_INSTANCE} storage" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "alias/${DB_INSTANCE}" --target-key-id "$KEY_ARN"
aws kms enable-key-rotation --key-id "$KEY_ARN"

# 2. Network: two private subnets (no internet gateway) in two Availability Zones.
#    Multi-AZ places the standby in the subnet group's other AZ.
echo "2. VPC, two private subnets, DB subnet group"
AZS=$(aws ec2 describe-availability-zones --filters Name=state,Values=available \
  --query 'AvailabilityZones[0:2].ZoneName' --output text)
read -r AZ1 AZ2 <<<"$AZS"
VPC_ID=$(aws ec2 create-vpc --cidr-block 10.30.0.0/16 --query Vpc.VpcId --output text)
SUBNET_1=$(aws ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.30.1.0/24 --availability-zone "$AZ1" \
  --query Subnet.SubnetId --output text)
SUBNET_2=$(aws ec2 create-subnet --vpc-id "$VPC_ID" --cidr-block 10.30.2.0/24 --availability-zone "$AZ2" \
  --query Subnet.SubnetId --output text)
rds create-db-subnet-group --db-subnet-group-name "$SUBNET_GROUP" \
  --db-subnet-group-description "labcheck orders database" --subnet-ids "$SUBNET_1" "$SUBNET_2" >/dev/null

# 3. The database. Each setting answers a failure:
#    --multi-az                      an AZ or the primary fails: automatic failover to the standby
#    --backup-retention-period 7     bad data: restore to any second of the last 7 days
#    --deletion-protection           a wrong identifier in delete-db-instance fails
#    --max-allocated-storage 100     the disk fills up: RDS grows it, no outage
#    --storage-encrypted --kms-key-id   data at rest under our key
#    --no-publicly-accessible        reachable only from inside the VPC
#    --enable-cloudwatch-logs-exports   the engine's logs survive the instance
#    --manage-master-user-password   the password lives in Secrets Manager, rotated
echo "3. RDS for PostgreSQL ${DB_INSTANCE} (Multi-AZ)"
rds create-db-instance --db-instance-identifier "$DB_INSTANCE" \
  --engine postgres --db-instance-class db.t4g.micro \
  --allocated-storage 20 --max-allocated-storage 100 --storage-type gp3 \
  --master-username orders_admin --manage-master-user-password \
  --db-subnet-group-name "$SUBNET_GROUP" --no-publicly-accessible \
  --multi-az \
  --backup-retention-period 7 --preferred-backup-window 03:00-03:30 --copy-tags-to-snapshot \
  --deletion-protection \
  --storage-encrypted --kms-key-id "$KEY_ARN" \
  --enable-cloudwatch-logs-exports postgresql upgrade \
  --tags Key=app,Value=labcheck-orders >/dev/null

# 4. Creating a Multi-AZ instance takes 10 to 20 minutes on AWS. Once it is
#    available, test the failover: the endpoint's DNS name moves to the standby.
#      aws rds reboot-db-instance --db-instance-identifier <id> --force-failover
echo "Done. Watch it come up: aws rds describe-db-instances --db-instance-identifier ${DB_INSTANCE} --query 'DBInstances[0].DBInstanceStatus'"
