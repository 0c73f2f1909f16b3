//! AWS Backup: backup plans (rules, lifecycle, cross-Region copies), the selections that
//! assign resources to them, and vaults.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, keep_named, read_each, resources_from};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&PLAN, &SELECTION, &VAULT];

const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

pub static PLAN: Kind = Kind {
    name: "backup.plan",
    description: "A backup plan: its rules (schedule, target vault, lifecycle, copy actions to other vaults).",
    selector: &[SelectorKey::optional("name", "backup plan name")],
    one_of: &[],
    // Plans are found by name through the listing: GetBackupPlan takes an id.
    operations: &["backup:ListBackupPlans", "backup:GetBackupPlan"],
    unnamed_only: &[],
    cli: "aws backup get-backup-plan --backup-plan-id ID",
    collect: |ctx, sel| collect_plans(ctx, sel).boxed(),
};

pub static SELECTION: Kind = Kind {
    name: "backup.selection",
    description: "A backup selection: the resources it assigns to a plan (Resources, ListOfTags, Conditions, \
                  NotResources) and the role AWS Backup assumes (IamRoleArn).",
    selector: &[SelectorKey::required("plan", "the backup plan's name")],
    one_of: &[],
    operations: &["backup:ListBackupPlans", "backup:ListBackupSelections", "backup:GetBackupSelection"],
    unnamed_only: &[],
    cli: "aws backup get-backup-selection --backup-plan-id P --selection-id S (for each of list-backup-selections)",
    collect: |ctx, sel| collect_selections(ctx, sel).boxed(),
};

pub static VAULT: Kind = Kind {
    name: "backup.vault",
    description: "A backup vault: encryption key, recovery points, vault lock.",
    selector: &[SelectorKey::required("name", "backup vault name")],
    one_of: &[],
    operations: &["backup:DescribeBackupVault"],
    unnamed_only: &[],
    cli: "aws backup describe-backup-vault --backup-vault-name N",
    collect: |ctx, sel| collect_vault(ctx, sel).boxed(),
};

/// The account's backup plans as listed (name and id), those named `sel[key]` if given.
async fn listed_plans(ctx: &Ctx, sel: &Selector, key: &str) -> Result<Vec<Resource>, CollectError> {
    let op = "backup:ListBackupPlans";
    let list = raw_pages!(ctx, op, "", NOT_FOUND, "BackupPlansList", "NextToken", |token| ctx
        .clients
        .backup()
        .list_backup_plans()
        .set_next_token(token.clone()))
    .await?;
    Ok(keep_named(resources_from(list, "BackupPlanName"), sel, key, "BackupPlanName"))
}

async fn collect_plans(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    read_each(listed_plans(ctx, sel, "name").await?, |item| async move {
        let Some(id) = item.fact.get("BackupPlanId").and_then(Value::as_str) else { return Ok(Value::Null) };
        let op = "backup:GetBackupPlan";
        let body = raw_call!(ctx, op, id, NOT_FOUND, ctx.clients.backup().get_backup_plan().backup_plan_id(id)).await?;
        Ok(body)
    })
    .await
}

async fn collect_selections(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let mut out = Vec::new();
    for plan in listed_plans(ctx, sel, "plan").await? {
        let Some(plan_id) = plan.fact.get("BackupPlanId").and_then(Value::as_str) else { continue };
        let op = "backup:ListBackupSelections";
        let list = raw_pages!(ctx, op, plan_id, NOT_FOUND, "BackupSelectionsList", "NextToken", |token| ctx
            .clients
            .backup()
            .list_backup_selections()
            .backup_plan_id(plan_id)
            .set_next_token(token.clone()))
        .await?;
        let selections = read_each(resources_from(list, "SelectionId"), |item| async move {
            let op = "backup:GetBackupSelection";
            let input = format!("{plan_id}/{}", item.id);
            let request = ctx.clients.backup().get_backup_selection().backup_plan_id(plan_id).selection_id(&item.id);
            let body = raw_call!(ctx, op, &input, NOT_FOUND, request).await?;
            Ok(body)
        })
        .await?;
        out.extend(selections);
    }
    Ok(out)
}

async fn collect_vault(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "backup:DescribeBackupVault";
    let body =
        raw_call!(ctx, op, name, NOT_FOUND, ctx.clients.backup().describe_backup_vault().backup_vault_name(name)).await?;
    Ok(found(name, body))
}
