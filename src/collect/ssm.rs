//! Systems Manager: parameters (metadata only), State Manager associations, Patch
//! Manager baselines and patch groups, maintenance windows and their tasks.

use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, keep_named, raw::member, read_each, resources_from,
    with_detail,
};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use aws_sdk_ssm::types::{
    AssociationFilter, AssociationFilterKey, MaintenanceWindowFilter, OperatingSystem, ParameterStringFilter,
    PatchOrchestratorFilter,
};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[
    &PARAMETER,
    &ASSOCIATION,
    &PATCH_BASELINE,
    &PATCH_GROUP,
    &MAINTENANCE_WINDOW,
    &MAINTENANCE_WINDOW_TARGET,
    &MAINTENANCE_WINDOW_TASK,
];

const NAME: SelectorKey = SelectorKey::optional("name", "exact name");

pub static PARAMETER: Kind = Kind {
    name: "ssm.parameter",
    description: "A Parameter Store parameter's metadata: type (SecureString), KMS key, tier. Never its value.",
    selector: &[NAME],
    one_of: &[],
    operations: &["ssm:DescribeParameters"],
    unnamed_only: &[],
    cli: "aws ssm describe-parameters --parameter-filters Key=Name,Values=N --query 'Parameters[0]'",
    collect: |ctx, sel| collect_parameters(ctx, sel).boxed(),
};

pub static ASSOCIATION: Kind = Kind {
    name: "ssm.association",
    description: "A State Manager association: document, targets, schedule, compliance severity, output.",
    selector: &[SelectorKey::optional("name", "association name")],
    one_of: &[],
    operations: &["ssm:ListAssociations", "ssm:DescribeAssociation"],
    unnamed_only: &[],
    cli: "aws ssm describe-association --association-id ID --query AssociationDescription",
    collect: |ctx, sel| collect_associations(ctx, sel).boxed(),
};

pub static PATCH_BASELINE: Kind = Kind {
    name: "ssm.patch_baseline",
    description: "A patch baseline: operating system, approval rules, compliance levels, patch groups.",
    selector: &[NAME],
    one_of: &[],
    operations: &["ssm:DescribePatchBaselines", "ssm:GetPatchBaseline"],
    unnamed_only: &[],
    cli: "aws ssm get-patch-baseline --baseline-id ID",
    collect: |ctx, sel| collect_patch_baselines(ctx, sel).boxed(),
};

pub static PATCH_GROUP: Kind = Kind {
    name: "ssm.patch_group",
    description: "The patch baseline a patch group uses.",
    selector: &[
        SelectorKey::required("patch_group", "patch group name (the Patch Group tag value)"),
        SelectorKey::optional("operating_system", "e.g. AMAZON_LINUX_2023 (the API's default is WINDOWS)"),
    ],
    one_of: &[],
    operations: &["ssm:GetPatchBaselineForPatchGroup"],
    unnamed_only: &[],
    cli: "aws ssm get-patch-baseline-for-patch-group --patch-group G",
    collect: |ctx, sel| collect_patch_group(ctx, sel).boxed(),
};

pub static MAINTENANCE_WINDOW: Kind = Kind {
    name: "ssm.maintenance_window",
    description: "A maintenance window: schedule, duration, cutoff, enabled, and (from GetMaintenanceWindow) \
                  whether tasks may run on unregistered targets (AllowUnassociatedTargets).",
    selector: &[NAME],
    one_of: &[],
    operations: &["ssm:DescribeMaintenanceWindows", "ssm:GetMaintenanceWindow"],
    unnamed_only: &[],
    cli: "aws ssm get-maintenance-window --window-id W (for each of describe-maintenance-windows)",
    collect: |ctx, sel| collect_maintenance_windows(ctx, sel).boxed(),
};

pub static MAINTENANCE_WINDOW_TASK: Kind = Kind {
    name: "ssm.maintenance_window_task",
    description: "The tasks of a maintenance window: type, document (TaskArn), targets, priority, and (from \
                  GetMaintenanceWindowTask) the parameters it runs with (TaskInvocationParameters).",
    selector: &[SelectorKey::required("window_id", "maintenance window id (mw-...)")],
    one_of: &[],
    operations: &["ssm:DescribeMaintenanceWindowTasks", "ssm:GetMaintenanceWindowTask"],
    unnamed_only: &[],
    cli: "aws ssm get-maintenance-window-task --window-id W --window-task-id T (for each of describe-maintenance-window-tasks)",
    collect: |ctx, sel| collect_maintenance_window_tasks(ctx, sel).boxed(),
};

pub static MAINTENANCE_WINDOW_TARGET: Kind = Kind {
    name: "ssm.maintenance_window_target",
    description: "The targets registered with a maintenance window: resource type, and the instances by tag, by id \
                  or by resource group (Targets).",
    selector: &[SelectorKey::required("window_id", "maintenance window id (mw-...)")],
    one_of: &[],
    operations: &["ssm:DescribeMaintenanceWindowTargets"],
    unnamed_only: &[],
    cli: "aws ssm describe-maintenance-window-targets --window-id W --query 'Targets[]'",
    collect: |ctx, sel| collect_maintenance_window_targets(ctx, sel).boxed(),
};

const DOES_NOT_EXIST: &[&str] = &["DoesNotExistException"];

async fn collect_parameters(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name");
    let filters = name.map(|n| {
        vec![ParameterStringFilter::builder().key("Name").option("Equals").values(n).build().expect("key is set")]
    });
    let op = "ssm:DescribeParameters";
    let list = raw_pages!(ctx, op, name.unwrap_or_default(), &[], "Parameters", "NextToken", |token| ctx
        .clients
        .ssm()
        .describe_parameters()
        .set_parameter_filters(filters.clone())
        .set_next_token(token.clone()))
    .await?;
    Ok(keep_named(resources_from(list, "Name"), sel, "name", "Name"))
}

async fn collect_associations(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name");
    let filters = name.map(|n| {
        vec![AssociationFilter::builder().key(AssociationFilterKey::AssociationName).value(n).build().expect("set")]
    });
    let op = "ssm:ListAssociations";
    let list = raw_pages!(ctx, op, name.unwrap_or_default(), &[], "Associations", "NextToken", |token| ctx
        .clients
        .ssm()
        .list_associations()
        .set_association_filter_list(filters.clone())
        .set_next_token(token.clone()))
    .await?;
    let listed = keep_named(resources_from(list, "AssociationName"), sel, "name", "AssociationName");
    read_each(listed, |summary| async move {
        let Some(id) = summary.fact.get("AssociationId").and_then(Value::as_str) else { return Ok(Value::Null) };
        let op = "ssm:DescribeAssociation";
        let not_found = &["AssociationDoesNotExist"];
        let body = raw_call!(ctx, op, id, not_found, ctx.clients.ssm().describe_association().association_id(id)).await?;
        Ok(member(body, "AssociationDescription"))
    })
    .await
}

async fn collect_patch_baselines(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name");
    let filters = name.map(|n| vec![PatchOrchestratorFilter::builder().key("NAME_PREFIX").values(n).build()]);
    let op = "ssm:DescribePatchBaselines";
    let list = raw_pages!(ctx, op, name.unwrap_or_default(), &[], "BaselineIdentities", "NextToken", |token| ctx
        .clients
        .ssm()
        .describe_patch_baselines()
        .set_filters(filters.clone())
        .set_next_token(token.clone()))
    .await?;
    let listed = keep_named(resources_from(list, "BaselineName"), sel, "name", "BaselineName");
    read_each(listed, |identity| async move {
        let Some(id) = identity.fact.get("BaselineId").and_then(Value::as_str) else { return Ok(Value::Null) };
        let op = "ssm:GetPatchBaseline";
        let body = raw_call!(ctx, op, id, DOES_NOT_EXIST, ctx.clients.ssm().get_patch_baseline().baseline_id(id)).await?;
        Ok(body)
    })
    .await
}

async fn collect_patch_group(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let group = sel.str("patch_group").unwrap_or_default();
    let os = sel.str("operating_system");
    let op = "ssm:GetPatchBaselineForPatchGroup";
    let input = format!("{group}/{}", os.unwrap_or_default());
    let body = raw_call!(
        ctx,
        op,
        &input,
        DOES_NOT_EXIST,
        ctx.clients
            .ssm()
            .get_patch_baseline_for_patch_group()
            .patch_group(group)
            .set_operating_system(os.map(OperatingSystem::from))
    )
    .await?;
    Ok(found(group, body))
}

async fn collect_maintenance_windows(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name");
    let filters = name.map(|n| vec![MaintenanceWindowFilter::builder().key("Name").values(n).build()]);
    let op = "ssm:DescribeMaintenanceWindows";
    let list = raw_pages!(ctx, op, name.unwrap_or_default(), &[], "WindowIdentities", "NextToken", |token| ctx
        .clients
        .ssm()
        .describe_maintenance_windows()
        .set_filters(filters.clone())
        .set_next_token(token.clone()))
    .await?;
    // The list leaves out settings only GetMaintenanceWindow answers.
    read_each(keep_named(resources_from(list, "Name"), sel, "name", "Name"), |window| async move {
        let id = window.fact["WindowId"].as_str().unwrap_or_default();
        let op = "ssm:GetMaintenanceWindow";
        let detail =
            raw_call!(ctx, op, id, DOES_NOT_EXIST, ctx.clients.ssm().get_maintenance_window().window_id(id)).await?;
        Ok(with_detail(window.fact, detail))
    })
    .await
}

async fn collect_maintenance_window_tasks(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let window = sel.str("window_id").unwrap_or_default();
    let op = "ssm:DescribeMaintenanceWindowTasks";
    let list = raw_pages!(ctx, op, window, DOES_NOT_EXIST, "Tasks", "NextToken", |token| ctx
        .clients
        .ssm()
        .describe_maintenance_window_tasks()
        .window_id(window)
        .set_next_token(token.clone()))
    .await?;
    // AWS lists tasks without the parameters they run with; GetMaintenanceWindowTask has them.
    read_each(resources_from(list, "WindowTaskId"), |task| async move {
        let op = "ssm:GetMaintenanceWindowTask";
        let input = format!("{window}/{}", task.id);
        let request = ctx.clients.ssm().get_maintenance_window_task().window_id(window).window_task_id(&task.id);
        let detail = raw_call!(ctx, op, &input, DOES_NOT_EXIST, request).await?;
        Ok(with_detail(task.fact, detail))
    })
    .await
}

async fn collect_maintenance_window_targets(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let window = sel.str("window_id").unwrap_or_default();
    let op = "ssm:DescribeMaintenanceWindowTargets";
    let list = raw_pages!(ctx, op, window, DOES_NOT_EXIST, "Targets", "NextToken", |token| ctx
        .clients
        .ssm()
        .describe_maintenance_window_targets()
        .window_id(window)
        .set_next_token(token.clone()))
    .await?;
    Ok(resources_from(list, "WindowTargetId"))
}
