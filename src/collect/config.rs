//! AWS Config: recorders and their status, rules, remediation configurations.

use super::fact::ToFact;
use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, SelectorType, all_pages, facts, resources_from};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_config::types::{
    ConfigRule, ConfigRuleState, ConfigurationRecorder, ConfigurationRecorderStatus, EventSource,
    ExclusionByResourceTypes, ExecutionControls, MaximumExecutionFrequency, MessageType, Owner, RecorderStatus,
    RecordingFrequency, RecordingGroup, RecordingMode, RecordingStrategy, RecordingStrategyType,
    RemediationConfiguration, RemediationParameterValue, RemediationTargetType, ResourceType, ResourceValue,
    ResourceValueType, Scope, Source, SourceDetail, SsmControls, StaticValue,
};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&RECORDER, &RECORDER_STATUS, &RULE, &REMEDIATION];

const NAME: SelectorKey = SelectorKey { name: "name", ty: SelectorType::String, required: false, doc: "exact name" };

pub static RECORDER: Kind = Kind {
    name: "config.recorder",
    description: "A configuration recorder: what AWS Config records, and with which role.",
    selector: &[NAME],
    one_of: &[],
    operations: &["config:DescribeConfigurationRecorders"],
    unnamed_only: &[],
    cli: "aws configservice describe-configuration-recorders --query 'ConfigurationRecorders[]'",
    collect: |ctx, sel| collect_recorders(ctx, sel).boxed(),
};

pub static RECORDER_STATUS: Kind = Kind {
    name: "config.recorder_status",
    description: "Whether a configuration recorder is recording, and how its last delivery went.",
    selector: &[NAME],
    one_of: &[],
    operations: &["config:DescribeConfigurationRecorderStatus"],
    unnamed_only: &[],
    cli: "aws configservice describe-configuration-recorder-status --query 'ConfigurationRecordersStatus[]'",
    collect: |ctx, sel| collect_recorder_status(ctx, sel).boxed(),
};

pub static RULE: Kind = Kind {
    name: "config.rule",
    description: "An AWS Config rule (managed or custom), its scope and parameters.",
    selector: &[NAME],
    one_of: &[],
    operations: &["config:DescribeConfigRules"],
    unnamed_only: &[],
    cli: "aws configservice describe-config-rules --query 'ConfigRules[]'",
    collect: |ctx, sel| collect_rules(ctx, sel).boxed(),
};

pub static REMEDIATION: Kind = Kind {
    name: "config.remediation",
    description: "The remediation configuration attached to a Config rule.",
    selector: &[SelectorKey { name: "rule", ty: SelectorType::String, required: true, doc: "Config rule name" }],
    one_of: &[],
    operations: &["config:DescribeRemediationConfigurations"],
    unnamed_only: &[],
    cli: "aws configservice describe-remediation-configurations --config-rule-names R --query 'RemediationConfigurations[]'",
    collect: |ctx, sel| collect_remediations(ctx, sel).boxed(),
};

fn names(sel: &Selector) -> Option<Vec<String>> {
    sel.str("name").map(|n| vec![n.to_string()])
}

async fn collect_recorders(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "config:DescribeConfigurationRecorders";
    let name = names(sel);
    let list = ctx
        .call(op, sel.str("name").unwrap_or(""), || async {
            let call =
                ctx.clients.config().describe_configuration_recorders().set_configuration_recorder_names(name.clone());
            match call.send().await {
                Ok(out) => Ok(Value::Array(facts(out.configuration_recorders()))),
                Err(err) => CollectError::classify(op, err, &["NoSuchConfigurationRecorderException"])
                    .map(|()| Value::Array(vec![])),
            }
        })
        .await?;
    Ok(resources_from(list, "name"))
}

async fn collect_recorder_status(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "config:DescribeConfigurationRecorderStatus";
    let name = names(sel);
    let list = ctx
        .call(op, sel.str("name").unwrap_or(""), || async {
            let call = ctx
                .clients
                .config()
                .describe_configuration_recorder_status()
                .set_configuration_recorder_names(name.clone());
            match call.send().await {
                Ok(out) => Ok(Value::Array(facts(out.configuration_recorders_status()))),
                Err(err) => CollectError::classify(op, err, &["NoSuchConfigurationRecorderException"])
                    .map(|()| Value::Array(vec![])),
            }
        })
        .await?;
    Ok(resources_from(list, "name"))
}

async fn collect_rules(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "config:DescribeConfigRules";
    let name = names(sel);
    let list = ctx
        .call(op, sel.str("name").unwrap_or(""), || async {
            let pages =
                ctx.clients.config().describe_config_rules().set_config_rule_names(name.clone()).into_paginator().send();
            all_pages(op, pages, &["NoSuchConfigRuleException"], |page| facts(page.config_rules())).await
        })
        .await?;
    Ok(resources_from(list, "ConfigRuleName"))
}

async fn collect_remediations(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "config:DescribeRemediationConfigurations";
    let rule = sel.str("rule").unwrap_or_default();
    let list = ctx
        .call(op, rule, || async {
            match ctx.clients.config().describe_remediation_configurations().config_rule_names(rule).send().await {
                Ok(out) => Ok(Value::Array(facts(out.remediation_configurations()))),
                Err(err) => {
                    CollectError::classify(op, err, &["NoSuchConfigRuleException"]).map(|()| Value::Array(vec![]))
                }
            }
        })
        .await?;
    Ok(resources_from(list, "ConfigRuleName"))
}

enum_facts!(
    ConfigRuleState,
    EventSource,
    MaximumExecutionFrequency,
    MessageType,
    Owner,
    RecorderStatus,
    RecordingFrequency,
    RecordingStrategyType,
    RemediationTargetType,
    ResourceType,
    ResourceValueType,
);

impl ToFact for ConfigurationRecorder {
    fn to_fact(&self) -> Value {
        fact! {
            "arn" => self.arn(),
            "name" => self.name(),
            "roleARN" => self.role_arn(),
            "recordingGroup" => self.recording_group(),
            "recordingMode" => self.recording_mode(),
        }
    }
}

impl ToFact for RecordingGroup {
    fn to_fact(&self) -> Value {
        fact! {
            "allSupported" => self.all_supported(),
            "includeGlobalResourceTypes" => self.include_global_resource_types(),
            "resourceTypes" => self.resource_types(),
            "exclusionByResourceTypes" => self.exclusion_by_resource_types(),
            "recordingStrategy" => self.recording_strategy(),
        }
    }
}

impl ToFact for ExclusionByResourceTypes {
    fn to_fact(&self) -> Value {
        fact! { "resourceTypes" => self.resource_types() }
    }
}

impl ToFact for RecordingStrategy {
    fn to_fact(&self) -> Value {
        fact! { "useOnly" => self.use_only() }
    }
}

impl ToFact for RecordingMode {
    fn to_fact(&self) -> Value {
        fact! { "recordingFrequency" => self.recording_frequency() }
    }
}

impl ToFact for ConfigurationRecorderStatus {
    fn to_fact(&self) -> Value {
        fact! {
            "arn" => self.arn(),
            "name" => self.name(),
            "lastStartTime" => self.last_start_time(),
            "lastStopTime" => self.last_stop_time(),
            "recording" => self.recording(),
            "lastStatus" => self.last_status(),
            "lastErrorCode" => self.last_error_code(),
            "lastErrorMessage" => self.last_error_message(),
            "lastStatusChangeTime" => self.last_status_change_time(),
        }
    }
}

impl ToFact for ConfigRule {
    fn to_fact(&self) -> Value {
        fact! {
            "ConfigRuleName" => self.config_rule_name(),
            "ConfigRuleArn" => self.config_rule_arn(),
            "ConfigRuleId" => self.config_rule_id(),
            "Description" => self.description(),
            "Scope" => self.scope(),
            "Source" => self.source(),
            "InputParameters" => self.input_parameters(),
            "MaximumExecutionFrequency" => self.maximum_execution_frequency(),
            "ConfigRuleState" => self.config_rule_state(),
            "CreatedBy" => self.created_by(),
        }
    }
}

impl ToFact for Scope {
    fn to_fact(&self) -> Value {
        fact! {
            "ComplianceResourceTypes" => self.compliance_resource_types(),
            "TagKey" => self.tag_key(),
            "TagValue" => self.tag_value(),
            "ComplianceResourceId" => self.compliance_resource_id(),
        }
    }
}

impl ToFact for Source {
    fn to_fact(&self) -> Value {
        fact! {
            "Owner" => self.owner(),
            "SourceIdentifier" => self.source_identifier(),
            "SourceDetails" => self.source_details(),
        }
    }
}

impl ToFact for SourceDetail {
    fn to_fact(&self) -> Value {
        fact! {
            "EventSource" => self.event_source(),
            "MessageType" => self.message_type(),
            "MaximumExecutionFrequency" => self.maximum_execution_frequency(),
        }
    }
}

impl ToFact for RemediationConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "ConfigRuleName" => self.config_rule_name(),
            "TargetType" => self.target_type(),
            "TargetId" => self.target_id(),
            "TargetVersion" => self.target_version(),
            "Parameters" => self.parameters(),
            "ResourceType" => self.resource_type(),
            "Automatic" => self.automatic(),
            "ExecutionControls" => self.execution_controls(),
            "MaximumAutomaticAttempts" => self.maximum_automatic_attempts(),
            "RetryAttemptSeconds" => self.retry_attempt_seconds(),
            "Arn" => self.arn(),
            "CreatedByService" => self.created_by_service(),
        }
    }
}

impl ToFact for RemediationParameterValue {
    fn to_fact(&self) -> Value {
        fact! { "ResourceValue" => self.resource_value(), "StaticValue" => self.static_value() }
    }
}

impl ToFact for ResourceValue {
    fn to_fact(&self) -> Value {
        fact! { "Value" => self.value() }
    }
}

impl ToFact for StaticValue {
    fn to_fact(&self) -> Value {
        fact! { "Values" => self.values() }
    }
}

impl ToFact for ExecutionControls {
    fn to_fact(&self) -> Value {
        fact! { "SsmControls" => self.ssm_controls() }
    }
}

impl ToFact for SsmControls {
    fn to_fact(&self) -> Value {
        fact! {
            "ConcurrentExecutionRatePercentage" => self.concurrent_execution_rate_percentage(),
            "ErrorPercentage" => self.error_percentage(),
        }
    }
}
