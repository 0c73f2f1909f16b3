//! Security Hub: whether the account has it enabled, and how.

use super::{Ctx, Kind, Resource, Selector, found};
use crate::collect::error::CollectError;
use crate::raw_call;
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&HUB];

pub static HUB: Kind = Kind {
    name: "securityhub.hub",
    description: "The account's Security Hub: subscribed since, control auto-enablement, finding aggregation.",
    selector: &[],
    one_of: &[],
    operations: &["securityhub:DescribeHub"],
    unnamed_only: &[],
    cli: "aws securityhub describe-hub",
    collect: |ctx, sel| collect_hub(ctx, sel).boxed(),
};

async fn collect_hub(ctx: &Ctx, _sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "securityhub:DescribeHub";
    // An account that has not enabled Security Hub is told InvalidAccessException.
    let not_found = &["InvalidAccessException", "ResourceNotFoundException"];
    let body = raw_call!(ctx, op, "", not_found, ctx.clients.securityhub().describe_hub()).await?;
    let id = body.get("HubArn").and_then(serde_json::Value::as_str).unwrap_or("hub").to_string();
    Ok(found(id, body))
}
