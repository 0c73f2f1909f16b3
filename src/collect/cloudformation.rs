//! CloudFormation: stacks, stack sets, their instances and operations.

use super::fact::ToFact;
use super::{
    Ctx, Kind, LATEST, Resource, Selector, SelectorExt, SelectorKey, SelectorType, all_pages, facts, keep_latest,
    keep_named, resources_from,
};
use crate::collect::error::CollectError;
use crate::{enum_facts, fact};
use aws_sdk_cloudformation::types::{
    AutoDeployment, CallAs, Capability, ManagedExecution, Output, Parameter, PermissionModels, StackDriftInformation,
    StackDriftStatus, StackInstanceComprehensiveStatus, StackInstanceDetailedStatus, StackInstanceStatus,
    StackSetOperationAction, StackSetOperationStatus, StackSetOperationStatusDetails, StackSetOperationSummary,
    StackSetStatus, StackStatus, Tag,
};
use aws_sdk_cloudformation::types::{
    ChangeSetStatus, ChangeSetSummary, ExecutionStatus, RollbackConfiguration, RollbackTrigger, Stack,
    StackInstanceSummary, StackSet,
};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&STACK, &STACK_SET, &STACK_INSTANCE, &STACK_SET_OPERATION, &STACK_POLICY, &CHANGE_SET];

const STACK_SET_NOT_FOUND: &[&str] = &["StackSetNotFoundException"];

const STACK_SET_NAME: SelectorKey =
    SelectorKey { name: "stack_set", ty: SelectorType::String, required: true, doc: "stack set name" };

pub static STACK: Kind = Kind {
    name: "cloudformation.stack",
    description: "A CloudFormation stack: status, parameters, outputs, protection, drift.",
    selector: &[SelectorKey { name: "name", ty: SelectorType::String, required: false, doc: "stack name" }],
    one_of: &[],
    operations: &["cloudformation:DescribeStacks"],
    unnamed_only: &[],
    cli: "aws cloudformation describe-stacks --query 'Stacks[]'",
    collect: |ctx, sel| collect_stacks(ctx, sel).boxed(),
};

pub static STACK_SET: Kind = Kind {
    name: "cloudformation.stack_set",
    description: "A stack set: permission model, status, auto-deployment, Regions. Found as the account's own, or, from \
                  an Organizations delegated administrator account, as DELEGATED_ADMIN.",
    selector: &[SelectorKey { name: "name", ty: SelectorType::String, required: false, doc: "stack set name" }],
    one_of: &[],
    operations: &["cloudformation:ListStackSets", "cloudformation:DescribeStackSet"],
    unnamed_only: &["cloudformation:ListStackSets"],
    cli: "aws cloudformation describe-stack-set --stack-set-name N --query StackSet",
    collect: |ctx, sel| collect_stack_sets(ctx, sel).boxed(),
};

pub static STACK_INSTANCE: Kind = Kind {
    name: "cloudformation.stack_instance",
    description: "The stack instances of a stack set, one per account and Region.",
    selector: &[STACK_SET_NAME],
    one_of: &[],
    operations: &["cloudformation:ListStackInstances"],
    unnamed_only: &[],
    cli: "aws cloudformation list-stack-instances --stack-set-name N --query 'Summaries[]'",
    collect: |ctx, sel| collect_stack_instances(ctx, sel).boxed(),
};

pub static STACK_SET_OPERATION: Kind = Kind {
    name: "cloudformation.stack_set_operation",
    description: "The operations run on a stack set (create, update, delete instances).",
    selector: &[STACK_SET_NAME, LATEST],
    one_of: &[],
    operations: &["cloudformation:ListStackSetOperations"],
    unnamed_only: &[],
    cli: "aws cloudformation list-stack-set-operations --stack-set-name N --query 'Summaries[]'",
    collect: |ctx, sel| collect_operations(ctx, sel).boxed(),
};

pub static STACK_POLICY: Kind = Kind {
    name: "cloudformation.stack_policy",
    description: "A stack's stack policy (which resources updates may replace or delete), decoded (StackPolicyBody).",
    selector: &[SelectorKey::required("stack", "stack name")],
    one_of: &[],
    operations: &["cloudformation:GetStackPolicy"],
    unnamed_only: &[],
    cli: "aws cloudformation get-stack-policy --stack-name S",
    collect: |ctx, sel| collect_stack_policy(ctx, sel).boxed(),
};

pub static CHANGE_SET: Kind = Kind {
    name: "cloudformation.change_set",
    description: "The change sets of a stack: status and execution status (a change set waiting for review is AVAILABLE).",
    selector: &[SelectorKey::required("stack", "stack name"), SelectorKey::optional("name", "change set name")],
    one_of: &[],
    operations: &["cloudformation:ListChangeSets"],
    unnamed_only: &[],
    cli: "aws cloudformation list-change-sets --stack-name S --query 'Summaries[]'",
    collect: |ctx, sel| collect_change_sets(ctx, sel).boxed(),
};

async fn collect_stack_policy(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let stack = sel.str("stack").unwrap_or_default();
    let op = "cloudformation:GetStackPolicy";
    let fact = ctx
        .call(op, stack, || async {
            match ctx.clients.cloudformation().get_stack_policy().stack_name(stack).send().await {
                // A stack without a policy answers with no body: that is no policy, not a stack.
                Ok(out) => Ok(match out.stack_policy_body() {
                    Some(body) => fact! { "StackPolicyBody" => super::fact::json_document(body) },
                    None => Value::Null,
                }),
                Err(err) => CollectError::classify(op, err, &["ValidationError"]).map(|()| Value::Null),
            }
        })
        .await?;
    Ok(super::found(stack, fact))
}

async fn collect_change_sets(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let stack = sel.str("stack").unwrap_or_default();
    let op = "cloudformation:ListChangeSets";
    let list = ctx
        .call(op, stack, || async {
            let pages = ctx.clients.cloudformation().list_change_sets().stack_name(stack).into_paginator().send();
            all_pages(op, pages, &["ValidationError"], |page| facts(page.summaries())).await
        })
        .await?;
    Ok(keep_named(resources_from(list, "ChangeSetName"), sel, "name", "ChangeSetName"))
}

async fn collect_stacks(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "cloudformation:DescribeStacks";
    let name = sel.str("name").map(str::to_string);
    let list = ctx
        .call(op, name.as_deref().unwrap_or(""), || async {
            let pages =
                ctx.clients.cloudformation().describe_stacks().set_stack_name(name.clone()).into_paginator().send();
            // A missing stack is a ValidationError ("Stack with id X does not exist").
            all_pages(op, pages, &["ValidationError"], |page| facts(page.stacks())).await
        })
        .await?;
    Ok(resources_from(list, "StackName"))
}

/// Whom a stack set answers to: the account that made it (`SELF`), or, for a
/// service-managed stack set made from an Organizations delegated administrator account,
/// that account speaking as `DELEGATED_ADMIN`, without which it is not found.
const CALLERS: [CallAs; 2] = [CallAs::SelfValue, CallAs::DelegatedAdmin];

/// Refusals that mean "not found this way": an account that is no delegated
/// administrator is refused DELEGATED_ADMIN calls (LocalStack answers a missing stack set
/// with ResourceNotFoundException).
const NOT_FOUND_AS_ADMIN: &[&str] = &["StackSetNotFoundException", "ValidationError", "ResourceNotFoundException"];

/// What `not_found` codes a call as `caller` reads as "no such stack set".
fn not_found_as(caller: &CallAs) -> &'static [&'static str] {
    if *caller == CallAs::SelfValue { STACK_SET_NOT_FOUND } else { NOT_FOUND_AS_ADMIN }
}

/// The answer to `call` as the first caller (see [`CALLERS`]) for which `found` holds,
/// or `None`. Each caller's answer is its own call (and cache entry): `op` on
/// `CALLER/name`.
async fn first_found_as<F, Fut>(
    ctx: &Ctx,
    op: &str,
    name: &str,
    found: fn(&Value) -> bool,
    call: F,
) -> Result<Option<Value>, CollectError>
where
    F: Fn(CallAs) -> Fut,
    Fut: std::future::Future<Output = Result<Value, CollectError>>,
{
    for caller in CALLERS {
        let answer = ctx.call(op, &format!("{}/{name}", caller.as_str()), || call(caller.clone())).await?;
        if found(&answer) {
            return Ok(Some(answer));
        }
    }
    Ok(None)
}

/// A stack-set listing as the account's own or, when that lists nothing, as the
/// account's delegated administrator.
async fn list_as_either<F, Fut>(ctx: &Ctx, op: &str, name: &str, list: F) -> Result<Value, CollectError>
where
    F: Fn(CallAs) -> Fut,
    Fut: std::future::Future<Output = Result<Value, CollectError>>,
{
    let non_empty = |answer: &Value| answer.as_array().is_some_and(|items| !items.is_empty());
    Ok(first_found_as(ctx, op, name, non_empty, list).await?.unwrap_or_else(|| Value::Array(vec![])))
}

/// The stack set, as the first caller it is found as; `Null` when there is none.
async fn describe_stack_set(ctx: &Ctx, name: &str) -> Result<Value, CollectError> {
    let op = "cloudformation:DescribeStackSet";
    let describe = |caller: CallAs| async move {
        let not_found = not_found_as(&caller);
        let request = ctx.clients.cloudformation().describe_stack_set().stack_set_name(name).call_as(caller);
        match request.send().await {
            Ok(out) => Ok(out.stack_set().to_fact()),
            Err(err) => CollectError::classify(op, err, not_found).map(|()| Value::Null),
        }
    };
    Ok(first_found_as(ctx, op, name, |fact| !fact.is_null(), describe).await?.unwrap_or(Value::Null))
}

async fn collect_stack_sets(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let names = match sel.str("name") {
        Some(name) => vec![name.to_string()],
        None => {
            let op = "cloudformation:ListStackSets";
            let list = ctx
                .call(op, "ACTIVE", || async {
                    let pages = ctx
                        .clients
                        .cloudformation()
                        .list_stack_sets()
                        .status(StackSetStatus::Active)
                        .into_paginator()
                        .send();
                    all_pages(op, pages, &[], |page| {
                        page.summaries().iter().filter_map(|s| s.stack_set_name()).map(Value::from).collect()
                    })
                    .await
                })
                .await?;
            list.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect()
        }
    };
    let facts = futures::future::try_join_all(names.iter().map(|n| describe_stack_set(ctx, n))).await?;
    Ok(names.into_iter().zip(facts).filter(|(_, f)| !f.is_null()).map(|(id, fact)| Resource { id, fact }).collect())
}

async fn collect_stack_instances(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "cloudformation:ListStackInstances";
    let name = sel.str("stack_set").unwrap_or_default();
    let list = list_as_either(ctx, op, name, |caller| async move {
        let not_found = not_found_as(&caller);
        let request = ctx.clients.cloudformation().list_stack_instances().stack_set_name(name).call_as(caller);
        all_pages(op, request.into_paginator().send(), not_found, |page| facts(page.summaries())).await
    })
    .await?;
    let mut instances = resources_from(list, "Account");
    for r in &mut instances {
        let region = r.fact.get("Region").and_then(Value::as_str).unwrap_or("?");
        r.id = format!("{}/{region}", r.id);
    }
    Ok(instances)
}

async fn collect_operations(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "cloudformation:ListStackSetOperations";
    let name = sel.str("stack_set").unwrap_or_default();
    let list = list_as_either(ctx, op, name, |caller| async move {
        let not_found = not_found_as(&caller);
        let request = ctx.clients.cloudformation().list_stack_set_operations().stack_set_name(name).call_as(caller);
        all_pages(op, request.into_paginator().send(), not_found, |page| facts(page.summaries())).await
    })
    .await?;
    Ok(keep_latest(resources_from(list, "OperationId"), sel, "CreationTimestamp"))
}

enum_facts!(
    ChangeSetStatus,
    ExecutionStatus,
    Capability,
    PermissionModels,
    StackDriftStatus,
    StackInstanceDetailedStatus,
    StackInstanceStatus,
    StackSetOperationAction,
    StackSetOperationStatus,
    StackSetStatus,
    StackStatus,
);

impl ToFact for Stack {
    fn to_fact(&self) -> Value {
        fact! {
            "StackId" => self.stack_id(),
            "StackName" => self.stack_name(),
            "ChangeSetId" => self.change_set_id(),
            "Description" => self.description(),
            "Parameters" => self.parameters(),
            "CreationTime" => self.creation_time(),
            "LastUpdatedTime" => self.last_updated_time(),
            "StackStatus" => self.stack_status(),
            "StackStatusReason" => self.stack_status_reason(),
            "DisableRollback" => self.disable_rollback(),
            "RollbackConfiguration" => self.rollback_configuration(),
            "NotificationARNs" => self.notification_arns(),
            "TimeoutInMinutes" => self.timeout_in_minutes(),
            "Capabilities" => self.capabilities(),
            "Outputs" => self.outputs(),
            "RoleARN" => self.role_arn(),
            "Tags" => self.tags(),
            "EnableTerminationProtection" => self.enable_termination_protection(),
            "ParentId" => self.parent_id(),
            "RootId" => self.root_id(),
            "DriftInformation" => self.drift_information(),
        }
    }
}

impl ToFact for RollbackConfiguration {
    fn to_fact(&self) -> Value {
        fact! {
            "RollbackTriggers" => self.rollback_triggers(),
            "MonitoringTimeInMinutes" => self.monitoring_time_in_minutes(),
        }
    }
}

impl ToFact for RollbackTrigger {
    fn to_fact(&self) -> Value {
        fact! { "Arn" => self.arn(), "Type" => self.r#type() }
    }
}

impl ToFact for Parameter {
    fn to_fact(&self) -> Value {
        fact! {
            "ParameterKey" => self.parameter_key(),
            "ParameterValue" => self.parameter_value(),
            "UsePreviousValue" => self.use_previous_value(),
            "ResolvedValue" => self.resolved_value(),
        }
    }
}

impl ToFact for Output {
    fn to_fact(&self) -> Value {
        fact! {
            "OutputKey" => self.output_key(),
            "OutputValue" => self.output_value(),
            "Description" => self.description(),
            "ExportName" => self.export_name(),
        }
    }
}

impl ToFact for Tag {
    fn to_fact(&self) -> Value {
        fact! { "Key" => self.key(), "Value" => self.value() }
    }
}

impl ToFact for StackDriftInformation {
    fn to_fact(&self) -> Value {
        fact! { "StackDriftStatus" => self.stack_drift_status(), "LastCheckTimestamp" => self.last_check_timestamp() }
    }
}

impl ToFact for StackSet {
    fn to_fact(&self) -> Value {
        fact! {
            "StackSetName" => self.stack_set_name(),
            "StackSetId" => self.stack_set_id(),
            "Description" => self.description(),
            "Status" => self.status(),
            "TemplateBody" => self.template_body(),
            "Parameters" => self.parameters(),
            "Capabilities" => self.capabilities(),
            "Tags" => self.tags(),
            "StackSetARN" => self.stack_set_arn(),
            "AdministrationRoleARN" => self.administration_role_arn(),
            "ExecutionRoleName" => self.execution_role_name(),
            "AutoDeployment" => self.auto_deployment(),
            "PermissionModel" => self.permission_model(),
            "OrganizationalUnitIds" => self.organizational_unit_ids(),
            "ManagedExecution" => self.managed_execution(),
            "Regions" => self.regions(),
        }
    }
}

impl ToFact for AutoDeployment {
    fn to_fact(&self) -> Value {
        fact! { "Enabled" => self.enabled(), "RetainStacksOnAccountRemoval" => self.retain_stacks_on_account_removal() }
    }
}

impl ToFact for ManagedExecution {
    fn to_fact(&self) -> Value {
        fact! { "Active" => self.active() }
    }
}

impl ToFact for StackInstanceSummary {
    fn to_fact(&self) -> Value {
        fact! {
            "StackSetId" => self.stack_set_id(),
            "Region" => self.region(),
            "Account" => self.account(),
            "StackId" => self.stack_id(),
            "Status" => self.status(),
            "StatusReason" => self.status_reason(),
            "StackInstanceStatus" => self.stack_instance_status(),
            "OrganizationalUnitId" => self.organizational_unit_id(),
            "DriftStatus" => self.drift_status(),
            "LastOperationId" => self.last_operation_id(),
        }
    }
}

impl ToFact for StackInstanceComprehensiveStatus {
    fn to_fact(&self) -> Value {
        fact! { "DetailedStatus" => self.detailed_status() }
    }
}

impl ToFact for StackSetOperationSummary {
    fn to_fact(&self) -> Value {
        fact! {
            "OperationId" => self.operation_id(),
            "Action" => self.action(),
            "Status" => self.status(),
            "CreationTimestamp" => self.creation_timestamp(),
            "EndTimestamp" => self.end_timestamp(),
            "StatusReason" => self.status_reason(),
            "StatusDetails" => self.status_details(),
        }
    }
}

impl ToFact for StackSetOperationStatusDetails {
    fn to_fact(&self) -> Value {
        fact! { "FailedStackInstancesCount" => self.failed_stack_instances_count() }
    }
}

impl ToFact for ChangeSetSummary {
    fn to_fact(&self) -> Value {
        fact! {
            "StackId" => self.stack_id(),
            "StackName" => self.stack_name(),
            "ChangeSetId" => self.change_set_id(),
            "ChangeSetName" => self.change_set_name(),
            "ExecutionStatus" => self.execution_status(),
            "Status" => self.status(),
            "StatusReason" => self.status_reason(),
            "CreationTime" => self.creation_time(),
            "Description" => self.description(),
            "IncludeNestedStacks" => self.include_nested_stacks(),
            "ParentChangeSetId" => self.parent_change_set_id(),
            "RootChangeSetId" => self.root_change_set_id(),
            "ImportExistingResources" => self.import_existing_resources(),
        }
    }
}
