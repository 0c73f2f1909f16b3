//! EventBridge: rules (event patterns decoded) and their targets.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::decode_documents, resources_from};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&RULE, &TARGET];

const EVENT_BUS: SelectorKey = SelectorKey::optional("event_bus", "event bus name (default: the default bus)");
const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];

pub static RULE: Kind = Kind {
    name: "events.rule",
    description: "An EventBridge rule: event pattern (decoded) or schedule, state, bus.",
    selector: &[SelectorKey::optional("name", "rule name"), EVENT_BUS],
    one_of: &[],
    operations: &["events:DescribeRule", "events:ListRules"],
    unnamed_only: &["events:ListRules"],
    cli: "aws events describe-rule --name N",
    collect: |ctx, sel| collect_rules(ctx, sel).boxed(),
};

pub static TARGET: Kind = Kind {
    name: "events.target",
    description: "The targets of a rule: ARN, role, input transformer, dead-letter queue, retry policy.",
    selector: &[SelectorKey::required("rule", "rule name"), EVENT_BUS],
    one_of: &[],
    operations: &["events:ListTargetsByRule"],
    unnamed_only: &[],
    cli: "aws events list-targets-by-rule --rule R --query 'Targets[]'",
    collect: |ctx, sel| collect_targets(ctx, sel).boxed(),
};

async fn collect_rules(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let bus = sel.str("event_bus").map(str::to_string);
    let decoded = |fact: Value| decode_documents(fact, &["EventPattern"]);
    match sel.str("name") {
        Some(name) => {
            let op = "events:DescribeRule";
            let input = format!("{}/{name}", bus.as_deref().unwrap_or_default());
            let body = raw_call!(
                ctx,
                op,
                &input,
                NOT_FOUND,
                ctx.clients.eventbridge.describe_rule().name(name).set_event_bus_name(bus.clone())
            )
            .await?;
            Ok(found(name, decoded(body)))
        }
        None => {
            let op = "events:ListRules";
            let list =
                raw_pages!(ctx, op, bus.as_deref().unwrap_or_default(), NOT_FOUND, "Rules", "NextToken", |token| ctx
                    .clients
                    .eventbridge
                    .list_rules()
                    .set_event_bus_name(bus.clone())
                    .set_next_token(token.clone()))
                .await?;
            let rules = resources_from(list, "Name");
            Ok(rules.into_iter().map(|r| Resource { id: r.id, fact: decoded(r.fact) }).collect())
        }
    }
}

async fn collect_targets(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let rule = sel.str("rule").unwrap_or_default();
    let bus = sel.str("event_bus").map(str::to_string);
    let op = "events:ListTargetsByRule";
    let input = format!("{}/{rule}", bus.as_deref().unwrap_or_default());
    let list = raw_pages!(ctx, op, &input, NOT_FOUND, "Targets", "NextToken", |token| ctx
        .clients
        .eventbridge
        .list_targets_by_rule()
        .rule(rule)
        .set_event_bus_name(bus.clone())
        .set_next_token(token.clone()))
    .await?;
    Ok(resources_from(list, "Id"))
}
