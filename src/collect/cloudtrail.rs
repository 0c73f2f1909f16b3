//! CloudTrail: trails, whether they are logging, and which events they record.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::member, resources_from};
use crate::collect::error::CollectError;
use crate::raw_call;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&TRAIL, &TRAIL_STATUS, &EVENT_SELECTORS];

const NAME: SelectorKey = SelectorKey::required("name", "trail name or ARN");
const NOT_FOUND: &[&str] = &["TrailNotFoundException"];

pub static TRAIL: Kind = Kind {
    name: "cloudtrail.trail",
    description: "A trail: multi-Region, global events, log file validation, KMS key, CloudWatch Logs delivery. \
                  A multi-Region trail is found from any Region (HomeRegion says where it was created).",
    selector: &[SelectorKey::optional("name", "trail name or ARN")],
    one_of: &[],
    operations: &["cloudtrail:DescribeTrails"],
    unnamed_only: &[],
    cli: "aws cloudtrail describe-trails --query 'trailList[?Name==`N`]'",
    collect: |ctx, sel| collect_trails(ctx, sel).boxed(),
};

pub static TRAIL_STATUS: Kind = Kind {
    name: "cloudtrail.trail_status",
    description: "Whether a trail is logging, and its latest delivery errors.",
    selector: &[NAME],
    one_of: &[],
    // The name is found by listing: outside a trail's home Region, only its ARN names it.
    operations: &["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"],
    unnamed_only: &[],
    cli: "aws cloudtrail get-trail-status --name N",
    collect: |ctx, sel| collect_trail_status(ctx, sel).boxed(),
};

pub static EVENT_SELECTORS: Kind = Kind {
    name: "cloudtrail.event_selectors",
    description: "Which management and data events a trail records (basic or advanced selectors).",
    selector: &[NAME],
    one_of: &[],
    operations: &["cloudtrail:DescribeTrails", "cloudtrail:GetEventSelectors"],
    unnamed_only: &[],
    cli: "aws cloudtrail get-event-selectors --trail-name N",
    collect: |ctx, sel| collect_event_selectors(ctx, sel).boxed(),
};

async fn collect_trails(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let trails = all_trails(ctx).await?;
    Ok(match sel.str("name") {
        Some(name) => trails.into_iter().filter(|t| names(&t.fact, name)).collect(),
        None => trails,
    })
}

/// Every trail the graded Region knows: its own, and the shadows of other Regions'
/// multi-Region trails. DescribeTrails finds a trail by name only in its home Region
/// (elsewhere only its ARN names it), so trails are listed and matched here.
async fn all_trails(ctx: &Ctx) -> Result<Vec<Resource>, CollectError> {
    let op = "cloudtrail:DescribeTrails";
    let request = ctx.clients.cloudtrail().describe_trails().include_shadow_trails(true);
    let body = raw_call!(ctx, op, "", NOT_FOUND, request).await?;
    Ok(resources_from(member(body, "trailList"), "Name"))
}

/// Whether `trail` is the one a lab names, by name or by ARN.
fn names(trail: &Value, name: &str) -> bool {
    [&trail["Name"], &trail["TrailARN"]].iter().any(|v| v.as_str() == Some(name))
}

/// The ARN of the trail a lab names, wherever its home Region is.
async fn trail_arn(ctx: &Ctx, name: &str) -> Result<Option<String>, CollectError> {
    let trails = all_trails(ctx).await?;
    let trail = trails.iter().find(|t| names(&t.fact, name));
    Ok(trail.and_then(|t| t.fact["TrailARN"].as_str()).map(str::to_string))
}

async fn collect_trail_status(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let Some(arn) = trail_arn(ctx, name).await? else { return Ok(vec![]) };
    let op = "cloudtrail:GetTrailStatus";
    let body = raw_call!(ctx, op, &arn, NOT_FOUND, ctx.clients.cloudtrail().get_trail_status().name(&arn)).await?;
    Ok(found(name, body))
}

async fn collect_event_selectors(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let Some(arn) = trail_arn(ctx, name).await? else { return Ok(vec![]) };
    let op = "cloudtrail:GetEventSelectors";
    let body =
        raw_call!(ctx, op, &arn, NOT_FOUND, ctx.clients.cloudtrail().get_event_selectors().trail_name(&arn)).await?;
    Ok(found(name, body))
}
