#!/usr/bin/env bash
# Reference solution: a private ECR repository for the team's custom build image.
#
#   KMS key (customer managed, rotated)
#     -> ECR repository: scan on push, immutable tags, encrypted with the key
#        lifecycle policy: untagged images expire after 7 days, only the last 20
#                          tagged images are kept
#        repository policy: CodeBuild (this account's projects only) may pull, nobody may push
#
# Uses only the AWS CLI. Region, credentials and endpoint come from the environment
# (AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE or keys, AWS_ENDPOINT_URL for an emulator).
set -euo pipefail

REPOSITORY="${REPOSITORY:-labcheck-sdlc-build-image}"   # lab param repository

read -r ACCOUNT CALLER_ARN < <(aws sts get-caller-identity --query '[Account, Arn]' --output text)
PARTITION=$(cut -d: -f2 <<<"$CALLER_ARN")   # aws, aws-cn or aws-us-gov
REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"

# 1. A customer managed KMS key for the images, rotated every year. Its key policy
#    (the default) lets IAM policies in this account grant its use; ECR uses it
#    through a grant it creates when the repository is created.
echo "1. KMS key for the repository"
KEY_ARN=$(aws kms create-key --description "labcheck ${REPOSITORY} images" --query KeyMetadata.Arn --output text)
aws kms create-alias --alias-name "alias/${REPOSITORY}" --target-key-id "$KEY_ARN"
aws kms enable-key-rotation --key-id "$KEY_ARN"

# 2. The repository. Encryption can only be chosen at creation time. Immutable tags:
#    `1.4.2` always means the same image, so a deployment can be trusted and rolled
#    back. Scan on push: every new image is checked for known vulnerabilities.
echo "2. Repository ${REPOSITORY}"
aws ecr create-repository --repository-name "$REPOSITORY" \
  --image-tag-mutability IMMUTABLE \
  --image-scanning-configuration scanOnPush=true \
  --encryption-configuration "encryptionType=KMS,kmsKey=${KEY_ARN}" >/dev/null

# 3. The lifecycle policy. Untagged images (left behind by rebuilt layers and failed
#    pushes) expire a week after they were pushed; of the tagged images only the 20
#    newest are kept, so an image still deployed is never deleted for its age.
echo "3. Lifecycle policy"
aws ecr put-lifecycle-policy --repository-name "$REPOSITORY" --lifecycle-policy-text '{
  "rules": [
    {"rulePriority": 1, "description": "Expire untagged images after 7 days",
     "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
     "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "Keep only the last 20 tagged images",
     "selection": {"tagStatus": "tagged", "tagPatternList": ["*"], "countType": "imageCountMoreThan", "countNumber": 20},
     "action": {"type": "expire"}}
  ]}' >/dev/null

# 4. The repository policy. CodeBuild pulls a custom build image with its own
#    credentials (imagePullCredentialsType CODEBUILD), so the policy names the
#    CodeBuild service, only for this account's projects (no other account can make
#    CodeBuild pull it for them), and only the read actions: images are pushed by
#    the release process through IAM, never through this policy.
echo "4. Repository policy: CodeBuild may pull"
aws ecr set-repository-policy --repository-name "$REPOSITORY" --policy-text "{
  \"Version\": \"2012-10-17\",
  \"Statement\": [{
    \"Sid\": \"CodeBuildPullOnly\",
    \"Effect\": \"Allow\",
    \"Principal\": {\"Service\": \"codebuild.amazonaws.com\"},
    \"Action\": [\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\", \"ecr:BatchCheckLayerAvailability\"],
    \"Condition\": {
      \"StringEquals\": {\"aws:SourceAccount\": \"${ACCOUNT}\"},
      \"ArnLike\": {\"aws:SourceArn\": \"arn:${PARTITION}:codebuild:${REGION}:${ACCOUNT}:project/*\"}
    }
  }]}" >/dev/null

echo "Done. Push an image: aws ecr get-login-password | docker login --username AWS --password-stdin ${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com"
