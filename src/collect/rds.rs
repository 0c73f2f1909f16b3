//! RDS: DB instances (Multi-AZ, backups, encryption, storage autoscaling, protection).

use super::fact::ToFact;
use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, all_pages, facts, resources_from};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_rds::types::*;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&DB_INSTANCE];

pub static DB_INSTANCE: Kind = Kind {
    name: "rds.db_instance",
    description: "A DB instance: engine, Multi-AZ, backup retention, encryption, storage autoscaling, deletion protection, public access.",
    selector: &[SelectorKey::optional("name", "DB instance identifier")],
    one_of: &[],
    operations: &["rds:DescribeDBInstances"],
    unnamed_only: &[],
    cli: "aws rds describe-db-instances --db-instance-identifier N --query 'DBInstances[0]'",
    collect: |ctx, sel| collect_db_instances(ctx, sel).boxed(),
};

async fn collect_db_instances(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name");
    let op = "rds:DescribeDBInstances";
    let list = ctx
        .call(op, name.unwrap_or_default(), || async {
            let pages = ctx
                .clients
                .rds()
                .describe_db_instances()
                .set_db_instance_identifier(name.map(str::to_string))
                .into_paginator()
                .send();
            all_pages(op, pages, &["DBInstanceNotFound", "DBInstanceNotFoundFault"], |page| facts(page.db_instances()))
                .await
        })
        .await?;
    Ok(resources_from(list, "DBInstanceIdentifier"))
}

enum_facts!(
    ActivityStreamMode,
    ActivityStreamPolicyStatus,
    ActivityStreamStatus,
    AutomationMode,
    DatabaseInsightsMode,
    ReplicaMode,
    StorageEncryptionType,
    UpgradeRolloutOrder
);

impl ToFact for DbInstance {
    fn to_fact(&self) -> Value {
        fact! {
            "DBInstanceIdentifier" => self.db_instance_identifier(),
            "DBInstanceClass" => self.db_instance_class(),
            "Engine" => self.engine(),
            "DBInstanceStatus" => self.db_instance_status(),
            "MasterUsername" => self.master_username(),
            "DBName" => self.db_name(),
            "Endpoint" => self.endpoint(),
            "AllocatedStorage" => self.allocated_storage(),
            "InstanceCreateTime" => self.instance_create_time(),
            "PreferredBackupWindow" => self.preferred_backup_window(),
            "BackupRetentionPeriod" => self.backup_retention_period(),
            "DBSecurityGroups" => self.db_security_groups(),
            "VpcSecurityGroups" => self.vpc_security_groups(),
            "DBParameterGroups" => self.db_parameter_groups(),
            "AvailabilityZone" => self.availability_zone(),
            "DBSubnetGroup" => self.db_subnet_group(),
            "PreferredMaintenanceWindow" => self.preferred_maintenance_window(),
            "UpgradeRolloutOrder" => self.upgrade_rollout_order(),
            "PendingModifiedValues" => self.pending_modified_values(),
            "LatestRestorableTime" => self.latest_restorable_time(),
            "MultiAZ" => self.multi_az(),
            "EngineVersion" => self.engine_version(),
            "AutoMinorVersionUpgrade" => self.auto_minor_version_upgrade(),
            "ReadReplicaSourceDBInstanceIdentifier" => self.read_replica_source_db_instance_identifier(),
            "ReadReplicaDBInstanceIdentifiers" => self.read_replica_db_instance_identifiers(),
            "ReadReplicaDBClusterIdentifiers" => self.read_replica_db_cluster_identifiers(),
            "ReplicaMode" => self.replica_mode(),
            "LicenseModel" => self.license_model(),
            "Iops" => self.iops(),
            "StorageThroughput" => self.storage_throughput(),
            "OptionGroupMemberships" => self.option_group_memberships(),
            "CharacterSetName" => self.character_set_name(),
            "NcharCharacterSetName" => self.nchar_character_set_name(),
            "SecondaryAvailabilityZone" => self.secondary_availability_zone(),
            "PubliclyAccessible" => self.publicly_accessible(),
            "StatusInfos" => self.status_infos(),
            "StorageType" => self.storage_type(),
            "StorageEncryptionType" => self.storage_encryption_type(),
            "TdeCredentialArn" => self.tde_credential_arn(),
            "DbInstancePort" => self.db_instance_port(),
            "DBClusterIdentifier" => self.db_cluster_identifier(),
            "StorageEncrypted" => self.storage_encrypted(),
            "KmsKeyId" => self.kms_key_id(),
            "DbiResourceId" => self.dbi_resource_id(),
            "CACertificateIdentifier" => self.ca_certificate_identifier(),
            "DomainMemberships" => self.domain_memberships(),
            "CopyTagsToSnapshot" => self.copy_tags_to_snapshot(),
            "MonitoringInterval" => self.monitoring_interval(),
            "EnhancedMonitoringResourceArn" => self.enhanced_monitoring_resource_arn(),
            "MonitoringRoleArn" => self.monitoring_role_arn(),
            "PromotionTier" => self.promotion_tier(),
            "DBInstanceArn" => self.db_instance_arn(),
            "Timezone" => self.timezone(),
            "IAMDatabaseAuthenticationEnabled" => self.iam_database_authentication_enabled(),
            "DatabaseInsightsMode" => self.database_insights_mode(),
            "PerformanceInsightsEnabled" => self.performance_insights_enabled(),
            "PerformanceInsightsKMSKeyId" => self.performance_insights_kms_key_id(),
            "PerformanceInsightsRetentionPeriod" => self.performance_insights_retention_period(),
            "EnabledCloudwatchLogsExports" => self.enabled_cloudwatch_logs_exports(),
            "ProcessorFeatures" => self.processor_features(),
            "DeletionProtection" => self.deletion_protection(),
            "AssociatedRoles" => self.associated_roles(),
            "ListenerEndpoint" => self.listener_endpoint(),
            "MaxAllocatedStorage" => self.max_allocated_storage(),
            "TagList" => self.tag_list(),
            "AutomationMode" => self.automation_mode(),
            "ResumeFullAutomationModeTime" => self.resume_full_automation_mode_time(),
            "CustomerOwnedIpEnabled" => self.customer_owned_ip_enabled(),
            "NetworkType" => self.network_type(),
            "ActivityStreamStatus" => self.activity_stream_status(),
            "ActivityStreamKmsKeyId" => self.activity_stream_kms_key_id(),
            "ActivityStreamKinesisStreamName" => self.activity_stream_kinesis_stream_name(),
            "ActivityStreamMode" => self.activity_stream_mode(),
            "ActivityStreamEngineNativeAuditFieldsIncluded" => self.activity_stream_engine_native_audit_fields_included(),
            "AwsBackupRecoveryPointArn" => self.aws_backup_recovery_point_arn(),
            "DBInstanceAutomatedBackupsReplications" => self.db_instance_automated_backups_replications(),
            "BackupTarget" => self.backup_target(),
            "AutomaticRestartTime" => self.automatic_restart_time(),
            "CustomIamInstanceProfile" => self.custom_iam_instance_profile(),
            "ActivityStreamPolicyStatus" => self.activity_stream_policy_status(),
            "CertificateDetails" => self.certificate_details(),
            "DBSystemId" => self.db_system_id(),
            "MasterUserSecret" => self.master_user_secret(),
            "ReadReplicaSourceDBClusterIdentifier" => self.read_replica_source_db_cluster_identifier(),
            "PercentProgress" => self.percent_progress(),
            "MultiTenant" => self.multi_tenant(),
            "DedicatedLogVolume" => self.dedicated_log_volume(),
            "IsStorageConfigUpgradeAvailable" => self.is_storage_config_upgrade_available(),
            "EngineLifecycleSupport" => self.engine_lifecycle_support(),
            "AdditionalStorageVolumes" => self.additional_storage_volumes(),
            "StorageVolumeStatus" => self.storage_volume_status(),
            "StorageOperationStatus" => self.storage_operation_status(),
            "StorageOperationPercentProgress" => self.storage_operation_percent_progress(),
            "DBCapacityReservationIdentifier" => self.db_capacity_reservation_identifier(),
        }
    }
}

impl ToFact for Endpoint {
    fn to_fact(&self) -> Value {
        fact! {
            "Address" => self.address(),
            "Port" => self.port(),
            "HostedZoneId" => self.hosted_zone_id(),
        }
    }
}

impl ToFact for DbSecurityGroupMembership {
    fn to_fact(&self) -> Value {
        fact! {
            "DBSecurityGroupName" => self.db_security_group_name(),
            "Status" => self.status(),
        }
    }
}

impl ToFact for VpcSecurityGroupMembership {
    fn to_fact(&self) -> Value {
        fact! {
            "VpcSecurityGroupId" => self.vpc_security_group_id(),
            "Status" => self.status(),
        }
    }
}

impl ToFact for DbParameterGroupStatus {
    fn to_fact(&self) -> Value {
        fact! {
            "DBParameterGroupName" => self.db_parameter_group_name(),
            "ParameterApplyStatus" => self.parameter_apply_status(),
        }
    }
}

impl ToFact for DbSubnetGroup {
    fn to_fact(&self) -> Value {
        fact! {
            "DBSubnetGroupName" => self.db_subnet_group_name(),
            "DBSubnetGroupDescription" => self.db_subnet_group_description(),
            "VpcId" => self.vpc_id(),
            "SubnetGroupStatus" => self.subnet_group_status(),
            "Subnets" => self.subnets(),
            "DBSubnetGroupArn" => self.db_subnet_group_arn(),
            "SupportedNetworkTypes" => self.supported_network_types(),
        }
    }
}

impl ToFact for PendingModifiedValues {
    fn to_fact(&self) -> Value {
        fact! {
            "DBInstanceClass" => self.db_instance_class(),
            "AllocatedStorage" => self.allocated_storage(),
            "MasterUserPassword" => self.master_user_password(),
            "Port" => self.port(),
            "BackupRetentionPeriod" => self.backup_retention_period(),
            "MultiAZ" => self.multi_az(),
            "EngineVersion" => self.engine_version(),
            "LicenseModel" => self.license_model(),
            "Iops" => self.iops(),
            "StorageThroughput" => self.storage_throughput(),
            "DBInstanceIdentifier" => self.db_instance_identifier(),
            "StorageType" => self.storage_type(),
            "CACertificateIdentifier" => self.ca_certificate_identifier(),
            "DBSubnetGroupName" => self.db_subnet_group_name(),
            "PendingCloudwatchLogsExports" => self.pending_cloudwatch_logs_exports(),
            "ProcessorFeatures" => self.processor_features(),
            "AutomationMode" => self.automation_mode(),
            "ResumeFullAutomationModeTime" => self.resume_full_automation_mode_time(),
            "MultiTenant" => self.multi_tenant(),
            "IAMDatabaseAuthenticationEnabled" => self.iam_database_authentication_enabled(),
            "DedicatedLogVolume" => self.dedicated_log_volume(),
            "Engine" => self.engine(),
            "AdditionalStorageVolumes" => self.additional_storage_volumes(),
            "DBCapacityReservationIdentifier" => self.db_capacity_reservation_identifier(),
        }
    }
}

impl ToFact for OptionGroupMembership {
    fn to_fact(&self) -> Value {
        fact! {
            "OptionGroupName" => self.option_group_name(),
            "Status" => self.status(),
        }
    }
}

impl ToFact for DbInstanceStatusInfo {
    fn to_fact(&self) -> Value {
        fact! {
            "StatusType" => self.status_type(),
            "Normal" => self.normal(),
            "Status" => self.status(),
            "Message" => self.message(),
        }
    }
}

impl ToFact for DomainMembership {
    fn to_fact(&self) -> Value {
        fact! {
            "Domain" => self.domain(),
            "Status" => self.status(),
            "FQDN" => self.fqdn(),
            "IAMRoleName" => self.iam_role_name(),
            "OU" => self.ou(),
            "AuthSecretArn" => self.auth_secret_arn(),
            "DnsIps" => self.dns_ips(),
        }
    }
}

impl ToFact for ProcessorFeature {
    fn to_fact(&self) -> Value {
        fact! {
            "Name" => self.name(),
            "Value" => self.value(),
        }
    }
}

impl ToFact for DbInstanceRole {
    fn to_fact(&self) -> Value {
        fact! {
            "RoleArn" => self.role_arn(),
            "FeatureName" => self.feature_name(),
            "Status" => self.status(),
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

impl ToFact for DbInstanceAutomatedBackupsReplication {
    fn to_fact(&self) -> Value {
        fact! {
            "DBInstanceAutomatedBackupsArn" => self.db_instance_automated_backups_arn(),
        }
    }
}

impl ToFact for CertificateDetails {
    fn to_fact(&self) -> Value {
        fact! {
            "CAIdentifier" => self.ca_identifier(),
            "ValidTill" => self.valid_till(),
        }
    }
}

impl ToFact for MasterUserSecret {
    fn to_fact(&self) -> Value {
        fact! {
            "SecretArn" => self.secret_arn(),
            "SecretStatus" => self.secret_status(),
            "KmsKeyId" => self.kms_key_id(),
        }
    }
}

impl ToFact for AdditionalStorageVolumeOutput {
    fn to_fact(&self) -> Value {
        fact! {
            "VolumeName" => self.volume_name(),
            "StorageVolumeStatus" => self.storage_volume_status(),
            "StorageOperationStatus" => self.storage_operation_status(),
            "StorageOperationPercentProgress" => self.storage_operation_percent_progress(),
            "AllocatedStorage" => self.allocated_storage(),
            "IOPS" => self.iops(),
            "MaxAllocatedStorage" => self.max_allocated_storage(),
            "StorageThroughput" => self.storage_throughput(),
            "StorageType" => self.storage_type(),
        }
    }
}

impl ToFact for Subnet {
    fn to_fact(&self) -> Value {
        fact! {
            "SubnetIdentifier" => self.subnet_identifier(),
            "SubnetAvailabilityZone" => self.subnet_availability_zone(),
            "SubnetOutpost" => self.subnet_outpost(),
            "SubnetStatus" => self.subnet_status(),
        }
    }
}

impl ToFact for PendingCloudwatchLogsExports {
    fn to_fact(&self) -> Value {
        fact! {
            "LogTypesToEnable" => self.log_types_to_enable(),
            "LogTypesToDisable" => self.log_types_to_disable(),
        }
    }
}

impl ToFact for AdditionalStorageVolume {
    fn to_fact(&self) -> Value {
        fact! {
            "VolumeName" => self.volume_name(),
            "AllocatedStorage" => self.allocated_storage(),
            "IOPS" => self.iops(),
            "MaxAllocatedStorage" => self.max_allocated_storage(),
            "StorageThroughput" => self.storage_throughput(),
            "StorageType" => self.storage_type(),
        }
    }
}

impl ToFact for AvailabilityZone {
    fn to_fact(&self) -> Value {
        fact! {
            "Name" => self.name(),
        }
    }
}

impl ToFact for Outpost {
    fn to_fact(&self) -> Value {
        fact! {
            "Arn" => self.arn(),
        }
    }
}
