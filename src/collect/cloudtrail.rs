//! CloudTrail: trails, whether they are logging, and which events they record.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::member, resources_from};
use crate::collect::error::CollectError;
use crate::raw_call;
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&TRAIL, &TRAIL_STATUS, &EVENT_SELECTORS];

const NAME: SelectorKey = SelectorKey::required("name", "trail name or ARN");
const NOT_FOUND: &[&str] = &["TrailNotFoundException"];

pub static TRAIL: Kind = Kind {
    name: "cloudtrail.trail",
    description: "A trail: multi-Region, global events, log file validation, KMS key, CloudWatch Logs delivery.",
    selector: &[SelectorKey::optional("name", "trail name or ARN")],
    one_of: &[],
    operations: &["cloudtrail:DescribeTrails"],
    unnamed_only: &[],
    cli: "aws cloudtrail describe-trails --trail-name-list N --query 'trailList[0]'",
    collect: |ctx, sel| collect_trails(ctx, sel).boxed(),
};

pub static TRAIL_STATUS: Kind = Kind {
    name: "cloudtrail.trail_status",
    description: "Whether a trail is logging, and its latest delivery errors.",
    selector: &[NAME],
    one_of: &[],
    operations: &["cloudtrail:GetTrailStatus"],
    unnamed_only: &[],
    cli: "aws cloudtrail get-trail-status --name N",
    collect: |ctx, sel| collect_trail_status(ctx, sel).boxed(),
};

pub static EVENT_SELECTORS: Kind = Kind {
    name: "cloudtrail.event_selectors",
    description: "Which management and data events a trail records (basic or advanced selectors).",
    selector: &[NAME],
    one_of: &[],
    operations: &["cloudtrail:GetEventSelectors"],
    unnamed_only: &[],
    cli: "aws cloudtrail get-event-selectors --trail-name N",
    collect: |ctx, sel| collect_event_selectors(ctx, sel).boxed(),
};

async fn collect_trails(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let names = sel.str("name").map(|n| vec![n.to_string()]);
    let op = "cloudtrail:DescribeTrails";
    let key = names.as_ref().map(|n| n.join(",")).unwrap_or_default();
    let body = raw_call!(
        ctx,
        op,
        &key,
        NOT_FOUND,
        ctx.clients.cloudtrail.describe_trails().set_trail_name_list(names.clone())
    )
    .await?;
    Ok(resources_from(member(body, "trailList"), "Name"))
}

async fn collect_trail_status(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "cloudtrail:GetTrailStatus";
    let body = raw_call!(ctx, op, name, NOT_FOUND, ctx.clients.cloudtrail.get_trail_status().name(name)).await?;
    Ok(found(name, body))
}

async fn collect_event_selectors(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "cloudtrail:GetEventSelectors";
    let body =
        raw_call!(ctx, op, name, NOT_FOUND, ctx.clients.cloudtrail.get_event_selectors().trail_name(name)).await?;
    Ok(found(name, body))
}
