//! STS: who the account is read as (its account id names account-level settings).

use super::{Ctx, Kind, Resource, Selector, found};
use crate::collect::error::CollectError;
use futures::FutureExt;
use serde_json::json;

pub static KINDS: &[&Kind] = &[&CALLER_IDENTITY];

pub static CALLER_IDENTITY: Kind = Kind {
    name: "sts.caller_identity",
    description: "The identity labcheck reads the account as: Account (the account id), Arn, UserId.",
    selector: &[],
    one_of: &[],
    operations: &["sts:GetCallerIdentity"],
    unnamed_only: &[],
    cli: "aws sts get-caller-identity",
    collect: |ctx, sel| collect_caller_identity(ctx, sel).boxed(),
};

async fn collect_caller_identity(ctx: &Ctx, _sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let identity = caller_identity(ctx).await?;
    let id = identity["Account"].as_str().unwrap_or("?").to_string();
    Ok(found(id, identity))
}

/// GetCallerIdentity's answer (memoised): `{"Account", "Arn", "UserId"}`.
pub async fn caller_identity(ctx: &Ctx) -> Result<serde_json::Value, CollectError> {
    let op = "sts:GetCallerIdentity";
    ctx.call(op, "", || async {
        match ctx.clients.sts().get_caller_identity().send().await {
            Ok(out) => Ok(json!({ "Account": out.account(), "Arn": out.arn(), "UserId": out.user_id() })),
            Err(err) => CollectError::classify(op, err, &[]).map(|()| serde_json::Value::Null),
        }
    })
    .await
}

/// The id of the account being read.
pub async fn account_id(ctx: &Ctx) -> Result<String, CollectError> {
    let identity = caller_identity(ctx).await?;
    identity["Account"].as_str().map(str::to_string).ok_or_else(|| {
        CollectError::new("sts:GetCallerIdentity", super::Cause::Service, "the answer names no account".to_string())
    })
}
