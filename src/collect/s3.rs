//! S3: a bucket's protection and data management settings, one kind per setting
//! (versioning, default encryption, public access block, policy, lifecycle,
//! replication, event notifications), each read with its own Get call.

use super::fact::ToFact;
use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_s3::types::*;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::FutureExt;
use serde_json::{Value, json};

pub static KINDS: &[&Kind] = &[
    &BUCKET_VERSIONING,
    &BUCKET_ENCRYPTION,
    &PUBLIC_ACCESS_BLOCK,
    &BUCKET_POLICY,
    &LIFECYCLE,
    &REPLICATION,
    &NOTIFICATION,
];

const BUCKET: &[SelectorKey] = &[SelectorKey::required("bucket", "bucket name")];
const NO_BUCKET: &str = "NoSuchBucket";

/// The S3 operations' IAM actions, where the two names differ. The kinds declare the
/// IAM names; [`super::record`] translates what the SDK sends.
pub const IAM_ACTIONS: &[(&str, &str)] = &[
    ("GetBucketEncryption", "GetEncryptionConfiguration"),
    ("GetPublicAccessBlock", "GetBucketPublicAccessBlock"),
    ("GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"),
    ("GetBucketReplication", "GetReplicationConfiguration"),
    ("GetBucketNotificationConfiguration", "GetBucketNotification"),
];

pub static BUCKET_VERSIONING: Kind = Kind {
    name: "s3.bucket_versioning",
    description: "A bucket's versioning state (Status: Enabled or Suspended; absent if never enabled) and MFA delete.",
    selector: BUCKET,
    one_of: &[],
    operations: &["s3:GetBucketLocation", "s3:GetBucketVersioning"],
    unnamed_only: &[],
    cli: "aws s3api get-bucket-versioning --bucket B",
    collect: |ctx, sel| collect_versioning(ctx, sel).boxed(),
};

pub static BUCKET_ENCRYPTION: Kind = Kind {
    name: "s3.bucket_encryption",
    description: "A bucket's default encryption rules: algorithm, KMS key, bucket key.",
    selector: BUCKET,
    one_of: &[],
    operations: &["s3:GetBucketLocation", "s3:GetEncryptionConfiguration"],
    unnamed_only: &[],
    cli: "aws s3api get-bucket-encryption --bucket B --query ServerSideEncryptionConfiguration",
    collect: |ctx, sel| collect_encryption(ctx, sel).boxed(),
};

pub static PUBLIC_ACCESS_BLOCK: Kind = Kind {
    name: "s3.public_access_block",
    description: "The Block Public Access in effect on a bucket: each of the four flags is on when the bucket's own setting (Bucket) or the account's (Account) turns it on.",
    selector: BUCKET,
    one_of: &[],
    operations: &[
        "s3:GetBucketLocation",
        "s3:GetBucketPublicAccessBlock",
        "sts:GetCallerIdentity",
        "s3:GetAccountPublicAccessBlock",
    ],
    unnamed_only: &[],
    cli: "aws s3api get-public-access-block --bucket B --query PublicAccessBlockConfiguration",
    collect: |ctx, sel| collect_public_access_block(ctx, sel).boxed(),
};

pub static BUCKET_POLICY: Kind = Kind {
    name: "s3.bucket_policy",
    description: "A bucket's policy, decoded (Policy).",
    selector: BUCKET,
    one_of: &[],
    operations: &["s3:GetBucketLocation", "s3:GetBucketPolicy"],
    unnamed_only: &[],
    cli: "aws s3api get-bucket-policy --bucket B",
    collect: |ctx, sel| collect_policy(ctx, sel).boxed(),
};

pub static LIFECYCLE: Kind = Kind {
    name: "s3.lifecycle",
    description: "A bucket's lifecycle rules: filters, transitions, expiration, noncurrent versions.",
    selector: BUCKET,
    one_of: &[],
    operations: &["s3:GetBucketLocation", "s3:GetLifecycleConfiguration"],
    unnamed_only: &[],
    cli: "aws s3api get-bucket-lifecycle-configuration --bucket B",
    collect: |ctx, sel| collect_lifecycle(ctx, sel).boxed(),
};

pub static REPLICATION: Kind = Kind {
    name: "s3.replication",
    description: "A bucket's replication configuration: role and rules (destination, filters, delete markers).",
    selector: BUCKET,
    one_of: &[],
    operations: &["s3:GetBucketLocation", "s3:GetReplicationConfiguration"],
    unnamed_only: &[],
    cli: "aws s3api get-bucket-replication --bucket B --query ReplicationConfiguration",
    collect: |ctx, sel| collect_replication(ctx, sel).boxed(),
};

pub static NOTIFICATION: Kind = Kind {
    name: "s3.notification",
    description: "A bucket's event notifications to SNS, SQS, Lambda and EventBridge.",
    selector: BUCKET,
    one_of: &[],
    operations: &["s3:GetBucketLocation", "s3:GetBucketNotification"],
    unnamed_only: &[],
    cli: "aws s3api get-bucket-notification-configuration --bucket B",
    collect: |ctx, sel| collect_notification(ctx, sel).boxed(),
};

/// One memoised Get on `bucket`, sent to the bucket's own Region (S3 answers a request
/// for a bucket of another Region with a redirect): its fact, or nothing when the
/// bucket or the setting does not exist (`not_found`).
async fn bucket_fact<T, E, Fut>(
    ctx: &Ctx,
    sel: &Selector,
    operation: &'static str,
    not_found: &[&str],
    send: impl FnOnce(aws_sdk_s3::Client, String) -> Fut,
    to_fact: impl FnOnce(T) -> Value,
) -> Result<Vec<Resource>, CollectError>
where
    Fut: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let bucket = sel.str("bucket").unwrap_or_default().to_string();
    let Some(region) = bucket_region(ctx, &bucket).await? else { return Ok(vec![]) };
    let fact = ctx
        .call(operation, &bucket, || async {
            match send(ctx.clients.s3_in(&region), bucket.clone()).await {
                Ok(out) => Ok(to_fact(out)),
                Err(err) => CollectError::classify(operation, err, not_found).map(|()| Value::Null),
            }
        })
        .await?;
    Ok(found(bucket, fact))
}

/// The Region a bucket is in (GetBucketLocation, memoised), or None when there is no
/// such bucket.
async fn bucket_region(ctx: &Ctx, bucket: &str) -> Result<Option<String>, CollectError> {
    let op = "s3:GetBucketLocation";
    let location = ctx
        .call(op, bucket, || async {
            match ctx.clients.s3().get_bucket_location().bucket(bucket).send().await {
                Ok(out) => Ok(json!({ "LocationConstraint": out.location_constraint().map(|c| c.as_str()) })),
                Err(err) => CollectError::classify(op, err, &[NO_BUCKET]).map(|()| Value::Null),
            }
        })
        .await?;
    Ok((!location.is_null()).then(|| region_of(location["LocationConstraint"].as_str())))
}

/// A bucket's Region from its location constraint: none (or empty) is us-east-1, and `EU`
/// the old name of eu-west-1.
fn region_of(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(region) => region.to_string(),
    }
}

async fn collect_versioning(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    bucket_fact(
        ctx,
        sel,
        "s3:GetBucketVersioning",
        &[NO_BUCKET],
        |s3, b| s3.get_bucket_versioning().bucket(b).send(),
        |out| fact! { "Status" => out.status(), "MFADelete" => out.mfa_delete() },
    )
    .await
}

async fn collect_encryption(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    bucket_fact(
        ctx,
        sel,
        "s3:GetEncryptionConfiguration",
        &[NO_BUCKET, "ServerSideEncryptionConfigurationNotFoundError"],
        |s3, b| s3.get_bucket_encryption().bucket(b).send(),
        |out| {
            let rules = out.server_side_encryption_configuration().map(|c| c.rules().to_fact());
            json!({ "Rules": rules.unwrap_or(json!([])) })
        },
    )
    .await
}

/// The Block Public Access in effect on a bucket: S3 applies the most restrictive
/// combination of the bucket's and the account's settings, so each flag is on when
/// either level turns it on. `Bucket` and `Account` keep each level's own flags (`null`
/// where that level has no configuration).
async fn collect_public_access_block(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let bucket_level = bucket_fact(
        ctx,
        sel,
        "s3:GetBucketPublicAccessBlock",
        &[NO_BUCKET],
        |s3, b| async move {
            match s3.get_public_access_block().bucket(b).send().await {
                Ok(out) => Ok(out.public_access_block_configuration().map(ToFact::to_fact)),
                // A bucket with no configuration of its own.
                Err(err) if err.code() == Some("NoSuchPublicAccessBlockConfiguration") => Ok(None),
                Err(err) => Err(err),
            }
        },
        // Wrapped: a bucket without a configuration of its own is still a bucket (a
        // null fact would read as no bucket at all).
        |own: Option<Value>| json!({ "Bucket": own }),
    )
    .await?;
    let Some(Resource { id: bucket, fact: bucket_level }) = bucket_level.into_iter().next() else { return Ok(vec![]) };
    let bucket_level = bucket_level["Bucket"].clone();
    let account_level = match super::s3control::account_public_access_block(ctx).await {
        // An endpoint without S3 Control (an emulator) can hold no account-level setting.
        Err(err) if err.cause == super::Cause::NotImplemented => Value::Null,
        other => other?,
    };
    let on = |flag: &str| Some(bucket_level[flag] == true || account_level[flag] == true);
    let mut fact = public_access_flags(PUBLIC_ACCESS_FLAGS.map(on));
    fact["Bucket"] = bucket_level;
    fact["Account"] = account_level;
    Ok(found(bucket, fact))
}

async fn collect_policy(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    bucket_fact(
        ctx,
        sel,
        "s3:GetBucketPolicy",
        &[NO_BUCKET, "NoSuchBucketPolicy"],
        |s3, b| s3.get_bucket_policy().bucket(b).send(),
        |out| fact! { "Policy" => out.policy().map(super::fact::json_document) },
    )
    .await
}

async fn collect_lifecycle(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    bucket_fact(
        ctx,
        sel,
        "s3:GetLifecycleConfiguration",
        &[NO_BUCKET, "NoSuchLifecycleConfiguration"],
        |s3, b| s3.get_bucket_lifecycle_configuration().bucket(b).send(),
        |out| fact! { "Rules" => out.rules() },
    )
    .await
}

async fn collect_replication(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    bucket_fact(
        ctx,
        sel,
        "s3:GetReplicationConfiguration",
        &[NO_BUCKET, "ReplicationConfigurationNotFoundError"],
        |s3, b| s3.get_bucket_replication().bucket(b).send(),
        |out| out.replication_configuration().to_fact(),
    )
    .await
}

async fn collect_notification(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    bucket_fact(
        ctx,
        sel,
        "s3:GetBucketNotification",
        &[NO_BUCKET],
        |s3, b| s3.get_bucket_notification_configuration().bucket(b).send(),
        |out| {
            fact! {
                "TopicConfigurations" => out.topic_configurations(),
                "QueueConfigurations" => out.queue_configurations(),
                "LambdaFunctionConfigurations" => out.lambda_function_configurations(),
                "EventBridgeConfiguration" => out.event_bridge_configuration(),
            }
        },
    )
    .await
}

enum_facts!(BucketVersioningStatus, MfaDeleteStatus);

enum_facts!(
    DeleteMarkerReplicationStatus,
    EncryptionType,
    Event,
    ExistingObjectReplicationStatus,
    ExpirationStatus,
    FilterRuleName,
    MetricsStatus,
    OwnerOverride,
    ReplicaModificationsStatus,
    ReplicationRuleStatus,
    ReplicationTimeStatus,
    ServerSideEncryption,
    SseKmsEncryptedObjectsStatus,
    StorageClass,
    TransitionStorageClass
);

impl ToFact for ServerSideEncryptionRule {
    fn to_fact(&self) -> Value {
        fact! {
            "ApplyServerSideEncryptionByDefault" => self.apply_server_side_encryption_by_default(),
            "BucketKeyEnabled" => self.bucket_key_enabled(),
            "BlockedEncryptionTypes" => self.blocked_encryption_types(),
        }
    }
}

impl ToFact for PublicAccessBlockConfiguration {
    fn to_fact(&self) -> Value {
        let c = self;
        public_access_flags([
            c.block_public_acls(),
            c.ignore_public_acls(),
            c.block_public_policy(),
            c.restrict_public_buckets(),
        ])
    }
}

/// The four Block Public Access flags, in [`PUBLIC_ACCESS_FLAGS`] order, as a fact (a
/// flag AWS leaves out is off).
pub(super) fn public_access_flags(flags: [Option<bool>; 4]) -> Value {
    let pairs = PUBLIC_ACCESS_FLAGS.iter().zip(flags);
    Value::Object(pairs.map(|(name, on)| (name.to_string(), Value::Bool(on.unwrap_or(false)))).collect())
}

const PUBLIC_ACCESS_FLAGS: [&str; 4] = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];

// `Prefix` is deprecated in favour of `Filter` but still answered for older rules.
#[allow(deprecated)]
impl ToFact for LifecycleRule {
    fn to_fact(&self) -> Value {
        fact! {
            "Expiration" => self.expiration(),
            "ID" => self.id(),
            "Prefix" => self.prefix(),
            "Filter" => self.filter(),
            "Status" => self.status(),
            "Transitions" => self.transitions(),
            "NoncurrentVersionTransitions" => self.noncurrent_version_transitions(),
            "NoncurrentVersionExpiration" => self.noncurrent_version_expiration(),
            "AbortIncompleteMultipartUpload" => self.abort_incomplete_multipart_upload(),
        }
    }
}

impl ToFact for ReplicationConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "Role" => self.role(),
            "Rules" => self.rules(),
        }
    }
}

impl ToFact for TopicConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "Id" => self.id(),
            "TopicArn" => self.topic_arn(),
            "Events" => self.events(),
            "Filter" => self.filter(),
        }
    }
}

impl ToFact for QueueConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "Id" => self.id(),
            "QueueArn" => self.queue_arn(),
            "Events" => self.events(),
            "Filter" => self.filter(),
        }
    }
}

impl ToFact for LambdaFunctionConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "Id" => self.id(),
            "LambdaFunctionArn" => self.lambda_function_arn(),
            "Events" => self.events(),
            "Filter" => self.filter(),
        }
    }
}

impl ToFact for EventBridgeConfiguration {
    fn to_fact(&self) -> Value {
        fact! {}
    }
}

impl ToFact for ServerSideEncryptionByDefault {
    fn to_fact(&self) -> Value {
        fact! {
            "SSEAlgorithm" => self.sse_algorithm(),
            "KMSMasterKeyID" => self.kms_master_key_id(),
        }
    }
}

impl ToFact for BlockedEncryptionTypes {
    fn to_fact(&self) -> Value {
        fact! {
            "EncryptionType" => self.encryption_type(),
        }
    }
}

impl ToFact for LifecycleExpiration {
    fn to_fact(&self) -> Value {
        fact! {
            "Date" => self.date(),
            "Days" => self.days(),
            "ExpiredObjectDeleteMarker" => self.expired_object_delete_marker(),
        }
    }
}

impl ToFact for LifecycleRuleFilter {
    fn to_fact(&self) -> Value {
        fact! {
            "Prefix" => self.prefix(),
            "Tag" => self.tag(),
            "ObjectSizeGreaterThan" => self.object_size_greater_than(),
            "ObjectSizeLessThan" => self.object_size_less_than(),
            "And" => self.and(),
        }
    }
}

impl ToFact for Transition {
    fn to_fact(&self) -> Value {
        fact! {
            "Date" => self.date(),
            "Days" => self.days(),
            "StorageClass" => self.storage_class(),
        }
    }
}

impl ToFact for NoncurrentVersionTransition {
    fn to_fact(&self) -> Value {
        fact! {
            "NoncurrentDays" => self.noncurrent_days(),
            "StorageClass" => self.storage_class(),
            "NewerNoncurrentVersions" => self.newer_noncurrent_versions(),
        }
    }
}

impl ToFact for NoncurrentVersionExpiration {
    fn to_fact(&self) -> Value {
        fact! {
            "NoncurrentDays" => self.noncurrent_days(),
            "NewerNoncurrentVersions" => self.newer_noncurrent_versions(),
        }
    }
}

impl ToFact for AbortIncompleteMultipartUpload {
    fn to_fact(&self) -> Value {
        fact! {
            "DaysAfterInitiation" => self.days_after_initiation(),
        }
    }
}

// `Prefix` is deprecated in favour of `Filter` but still answered for older rules.
#[allow(deprecated)]
impl ToFact for ReplicationRule {
    fn to_fact(&self) -> Value {
        fact! {
            "ID" => self.id(),
            "Priority" => self.priority(),
            "Prefix" => self.prefix(),
            "Filter" => self.filter(),
            "Status" => self.status(),
            "SourceSelectionCriteria" => self.source_selection_criteria(),
            "ExistingObjectReplication" => self.existing_object_replication(),
            "Destination" => self.destination(),
            "DeleteMarkerReplication" => self.delete_marker_replication(),
        }
    }
}

impl ToFact for NotificationConfigurationFilter {
    fn to_fact(&self) -> Value {
        fact! {
            "Key" => self.key(),
        }
    }
}

impl ToFact for Tag {
    fn to_fact(&self) -> Value {
        fact! {
            "Key" => self.key(),
            "Value" => self.value(),
        }
    }
}

impl ToFact for LifecycleRuleAndOperator {
    fn to_fact(&self) -> Value {
        fact! {
            "Prefix" => self.prefix(),
            "Tags" => self.tags(),
            "ObjectSizeGreaterThan" => self.object_size_greater_than(),
            "ObjectSizeLessThan" => self.object_size_less_than(),
        }
    }
}

impl ToFact for ReplicationRuleFilter {
    fn to_fact(&self) -> Value {
        fact! {
            "Prefix" => self.prefix(),
            "Tag" => self.tag(),
            "And" => self.and(),
        }
    }
}

impl ToFact for SourceSelectionCriteria {
    fn to_fact(&self) -> Value {
        fact! {
            "SseKmsEncryptedObjects" => self.sse_kms_encrypted_objects(),
            "ReplicaModifications" => self.replica_modifications(),
        }
    }
}

impl ToFact for ExistingObjectReplication {
    fn to_fact(&self) -> Value {
        fact! {
            "Status" => self.status(),
        }
    }
}

impl ToFact for Destination {
    fn to_fact(&self) -> Value {
        fact! {
            "Bucket" => self.bucket(),
            "Account" => self.account(),
            "StorageClass" => self.storage_class(),
            "AccessControlTranslation" => self.access_control_translation(),
            "EncryptionConfiguration" => self.encryption_configuration(),
            "ReplicationTime" => self.replication_time(),
            "Metrics" => self.metrics(),
        }
    }
}

impl ToFact for DeleteMarkerReplication {
    fn to_fact(&self) -> Value {
        fact! {
            "Status" => self.status(),
        }
    }
}

impl ToFact for S3KeyFilter {
    fn to_fact(&self) -> Value {
        fact! {
            "FilterRules" => self.filter_rules(),
        }
    }
}

impl ToFact for ReplicationRuleAndOperator {
    fn to_fact(&self) -> Value {
        fact! {
            "Prefix" => self.prefix(),
            "Tags" => self.tags(),
        }
    }
}

impl ToFact for SseKmsEncryptedObjects {
    fn to_fact(&self) -> Value {
        fact! {
            "Status" => self.status(),
        }
    }
}

impl ToFact for ReplicaModifications {
    fn to_fact(&self) -> Value {
        fact! {
            "Status" => self.status(),
        }
    }
}

impl ToFact for AccessControlTranslation {
    fn to_fact(&self) -> Value {
        fact! {
            "Owner" => self.owner(),
        }
    }
}

impl ToFact for EncryptionConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "ReplicaKmsKeyID" => self.replica_kms_key_id(),
        }
    }
}

impl ToFact for ReplicationTime {
    fn to_fact(&self) -> Value {
        fact! {
            "Status" => self.status(),
            "Time" => self.time(),
        }
    }
}

impl ToFact for Metrics {
    fn to_fact(&self) -> Value {
        fact! {
            "Status" => self.status(),
            "EventThreshold" => self.event_threshold(),
        }
    }
}

impl ToFact for FilterRule {
    fn to_fact(&self) -> Value {
        fact! {
            "Name" => self.name(),
            "Value" => self.value(),
        }
    }
}

impl ToFact for ReplicationTimeValue {
    fn to_fact(&self) -> Value {
        fact! {
            "Minutes" => self.minutes(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_buckets_region_from_its_location_constraint() {
        assert_eq!(super::region_of(None), "us-east-1");
        assert_eq!(super::region_of(Some("")), "us-east-1");
        assert_eq!(super::region_of(Some("EU")), "eu-west-1");
        assert_eq!(super::region_of(Some("us-west-2")), "us-west-2");
    }
}
