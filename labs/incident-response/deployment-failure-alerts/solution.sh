#!/usr/bin/env bash
# Reference solution: be told when delivery breaks.
#
#   CodePipeline execution FAILED   --\
#   CodeBuild build FAILED          ----> EventBridge rules --> SNS topic --> on-call e-mail
#   Auto Scaling launch unsuccessful --/
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment.
set -euo pipefail

TOPIC="${TOPIC:-labcheck-ir-deploy-alerts}"                  # lab param topic
PIPELINE_RULE="${PIPELINE_RULE:-labcheck-ir-pipeline-failed}" # lab param pipeline_rule
BUILD_RULE="${BUILD_RULE:-labcheck-ir-build-failed}"          # lab param build_rule
ASG_RULE="${ASG_RULE:-labcheck-ir-asg-launch-failed}"         # lab param asg_rule
EMAIL="${EMAIL:-ops@example.com}"                             # lab param email

# 1. The topic people subscribe to. An e-mail subscription must be confirmed from the
#    mail it receives before it gets anything.
echo "1. SNS topic ${TOPIC}, e-mail to ${EMAIL}"
TOPIC_ARN=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)
ACCOUNT=$(cut -d: -f5 <<<"$TOPIC_ARN")
PARTITION=$(cut -d: -f2 <<<"$TOPIC_ARN")
aws sns subscribe --topic-arn "$TOPIC_ARN" --protocol email --notification-endpoint "$EMAIL" >/dev/null

# 2. Its policy: the account keeps its rights, and EventBridge may publish.
echo "2. Topic policy: events.amazonaws.com may publish"
aws sns set-topic-attributes --topic-arn "$TOPIC_ARN" --attribute-name Policy --attribute-value "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [
    {\"Sid\": \"AccountOwns\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:${PARTITION}:iam::${ACCOUNT}:root\"},
     \"Action\": [\"sns:Publish\", \"sns:Subscribe\", \"sns:GetTopicAttributes\", \"sns:SetTopicAttributes\"],
     \"Resource\": \"${TOPIC_ARN}\"},
    {\"Sid\": \"EventBridgePublishes\", \"Effect\": \"Allow\", \"Principal\": {\"Service\": \"events.amazonaws.com\"},
     \"Action\": \"sns:Publish\", \"Resource\": \"${TOPIC_ARN}\",
     \"Condition\": {\"StringEquals\": {\"aws:SourceAccount\": \"${ACCOUNT}\"}}}
  ]
}"

# 3. A pipeline execution that FAILED (not every state change: STARTED and SUCCEEDED
#    would bury the failures). The raw event is a page of JSON; an input transformer
#    turns it into one sentence with the pipeline, the execution and a console link.
echo "3. Rule ${PIPELINE_RULE}: CodePipeline execution FAILED, readable message"
aws events put-rule --name "$PIPELINE_RULE" --state ENABLED \
  --description "CodePipeline executions that failed" \
  --event-pattern '{"source":["aws.codepipeline"],"detail-type":["CodePipeline Pipeline Execution State Change"],"detail":{"state":["FAILED"]}}' \
  >/dev/null
aws events put-targets --rule "$PIPELINE_RULE" --targets "[{
  \"Id\": \"deploy-alerts\",
  \"Arn\": \"${TOPIC_ARN}\",
  \"InputTransformer\": {
    \"InputPathsMap\": {\"pipeline\": \"\$.detail.pipeline\", \"execution\": \"\$.detail.execution-id\",
                        \"region\": \"\$.region\", \"time\": \"\$.time\"},
    \"InputTemplate\": \"\\\"Pipeline <pipeline> FAILED at <time> (execution <execution>). https://<region>.console.aws.amazon.com/codesuite/codepipeline/pipelines/<pipeline>/executions/<execution>/timeline\\\"\"
  }
}]" >/dev/null

# 4. A CodeBuild build that FAILED (builds run by the pipeline and on their own).
echo "4. Rule ${BUILD_RULE}: CodeBuild build FAILED"
aws events put-rule --name "$BUILD_RULE" --state ENABLED \
  --description "CodeBuild builds that failed" \
  --event-pattern '{"source":["aws.codebuild"],"detail-type":["CodeBuild Build State Change"],"detail":{"build-status":["FAILED"]}}' \
  >/dev/null
aws events put-targets --rule "$BUILD_RULE" --targets "Id=deploy-alerts,Arn=${TOPIC_ARN}" >/dev/null

# 5. An Auto Scaling group that could not launch an instance (bad AMI, no capacity,
#    missing instance profile...): new code never reaches a running instance.
echo "5. Rule ${ASG_RULE}: EC2 Auto Scaling launch unsuccessful"
aws events put-rule --name "$ASG_RULE" --state ENABLED \
  --description "EC2 Auto Scaling instance launches that failed" \
  --event-pattern '{"source":["aws.autoscaling"],"detail-type":["EC2 Instance Launch Unsuccessful"]}' \
  >/dev/null
aws events put-targets --rule "$ASG_RULE" --targets "Id=deploy-alerts,Arn=${TOPIC_ARN}" >/dev/null

echo "Done."
