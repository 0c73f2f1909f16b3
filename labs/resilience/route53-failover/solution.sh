#!/usr/bin/env bash
# Reference solution: active-passive DNS failover with Amazon Route 53.
#
#   app.<zone>  --PRIMARY (health-checked)-->  primary.<zone>    (the active Region's endpoint)
#               --SECONDARY---------------->  secondary.<zone>  (the standby Region's endpoint)
#
#   Route 53 health checkers probe https://primary.<zone>/health every 10 s; after 3
#   failures in a row Route 53 answers app.<zone> with the secondary record, and
#   returns to the primary once it passes again. A 60 s TTL lets resolvers follow.
#
# Uses only the AWS CLI. Credentials and endpoint come from the environment (AWS_PROFILE
# or keys, AWS_ENDPOINT_URL for an emulator); Route 53 is a global service.
set -euo pipefail

ZONE="${ZONE:-labcheck-failover.example.com}"                       # lab param zone
RECORD="${RECORD:-app.labcheck-failover.example.com}"                # lab param record
PRIMARY_ENDPOINT="${PRIMARY_ENDPOINT:-primary.labcheck-failover.example.com}"  # lab param primary_endpoint
SECONDARY_ENDPOINT="secondary.${ZONE}"
# Documentation addresses (RFC 5737) stand in for the two Regions' load balancers.
PRIMARY_IP="192.0.2.10"
SECONDARY_IP="198.51.100.20"
REF="labcheck-res-failover-$(date +%s)-$$"   # caller references must be unique

# 1. The public hosted zone that answers for the application's name.
echo "1. Hosted zone ${ZONE}"
ZONE_ID=$(aws route53 create-hosted-zone --name "$ZONE" --caller-reference "${REF}-zone" \
  --hosted-zone-config Comment="labcheck failover lab" --query HostedZone.Id --output text)
ZONE_ID="${ZONE_ID##*/}"   # /hostedzone/Z123 -> Z123

# 2. The health check on the primary endpoint: HTTPS (the endpoint serves TLS, and SNI
#    sends the host name), the application's health path rather than "/", a fast
#    interval and 3 failures, so failover starts within about 30 seconds.
echo "2. Health check https://${PRIMARY_ENDPOINT}/health"
HC_ID=$(aws route53 create-health-check --caller-reference "${REF}-hc" --health-check-config \
  "Type=HTTPS,FullyQualifiedDomainName=${PRIMARY_ENDPOINT},Port=443,ResourcePath=/health,RequestInterval=10,FailureThreshold=3,EnableSNI=true" \
  --query HealthCheck.Id --output text)
aws route53 change-tags-for-resource --resource-type healthcheck --resource-id "$HC_ID" \
  --add-tags Key=Name,Value="${PRIMARY_ENDPOINT}"

# 3. The records, in one change batch: the two endpoints, then the failover pair for
#    the application's name. Only the PRIMARY needs the health check; the SECONDARY is
#    served whenever the primary is unhealthy. TTL 60 so clients do not cache the
#    dead endpoint for long.
echo "3. Failover records for ${RECORD}"
BATCH=$(cat <<JSON
{"Comment": "active-passive failover for ${RECORD}",
 "Changes": [
  {"Action": "CREATE", "ResourceRecordSet": {"Name": "${PRIMARY_ENDPOINT}", "Type": "A", "TTL": 60,
    "ResourceRecords": [{"Value": "${PRIMARY_IP}"}]}},
  {"Action": "CREATE", "ResourceRecordSet": {"Name": "${SECONDARY_ENDPOINT}", "Type": "A", "TTL": 60,
    "ResourceRecords": [{"Value": "${SECONDARY_IP}"}]}},
  {"Action": "CREATE", "ResourceRecordSet": {"Name": "${RECORD}", "Type": "CNAME", "TTL": 60,
    "SetIdentifier": "primary", "Failover": "PRIMARY", "HealthCheckId": "${HC_ID}",
    "ResourceRecords": [{"Value": "${PRIMARY_ENDPOINT}"}]}},
  {"Action": "CREATE", "ResourceRecordSet": {"Name": "${RECORD}", "Type": "CNAME", "TTL": 60,
    "SetIdentifier": "secondary", "Failover": "SECONDARY",
    "ResourceRecords": [{"Value": "${SECONDARY_ENDPOINT}"}]}}
 ]}
JSON
)
aws route53 change-resource-record-sets --hosted-zone-id "$ZONE_ID" --change-batch "$BATCH" >/dev/null

# 4. Test the failover: invert the health check for a minute
#    (aws route53 update-health-check --health-check-id <id> --inverted), then
#    aws route53 test-dns-answer --hosted-zone-id <zone id> --record-name <record> --record-type CNAME
#    answers with the secondary; undo with --no-inverted.
echo "Done. Health check ${HC_ID}; test with: aws route53 test-dns-answer --hosted-zone-id ${ZONE_ID} --record-name ${RECORD} --record-type CNAME"
