//! EventBridge: rules (event patterns decoded), their targets, and what a pattern
//! matches (TestEventPattern against a lab's sample events).

use super::{
    Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::decode_documents, resources_from,
    samples::Samples,
};
use crate::collect::error::{Cause, CollectError};
use crate::{raw_call, raw_pages};
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&RULE, &TARGET, &PATTERN_TEST];

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

pub static PATTERN_TEST: Kind = Kind {
    name: "events.pattern_test",
    description: "What an event pattern matches, asked of EventBridge (TestEventPattern, which changes nothing) with \
                  the lab's sample events: the samples it misses (missed) and those it wrongly matches \
                  (wrongly_matched).",
    selector: &[
        SelectorKey::required("pattern", "the event pattern: an object (a captured EventPattern) or its JSON text"),
        SelectorKey::samples("match", "sample events the pattern must match"),
        SelectorKey::samples("no_match", "sample events the pattern must not match"),
    ],
    one_of: &[],
    operations: &["events:TestEventPattern"],
    unnamed_only: &[],
    cli: "aws events test-event-pattern --event-pattern P --event E (per sample)",
    collect: |ctx, sel| collect_pattern_test(ctx, sel).boxed(),
};

/// Test the pattern against each sample. A sample needs only what the pattern looks at
/// (`source`, `detail-type`, `detail`): the envelope fields the API requires and a
/// sample leaves out are filled with placeholders.
async fn collect_pattern_test(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let op = "events:TestEventPattern";
    let pattern = match sel.get("pattern") {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => return Ok(vec![]),
    };
    let samples = Samples::from_selector(sel);
    let mut matched = Vec::new();
    for (n, sample) in samples.events().enumerate() {
        let event = with_envelope(sample.clone(), n).to_string();
        let input = format!("{pattern} {event}");
        let request = ctx.clients.eventbridge().test_event_pattern().event_pattern(&pattern).event(&event);
        let body = raw_call!(ctx, op, &input, &[], request).await?;
        // An empty answer (moto without labcheck's extension) is no verdict at all.
        let Some(did_match) = body.get("Result").and_then(Value::as_bool) else {
            return Err(CollectError::new(op, Cause::NotImplemented, "the answer has no Result"));
        };
        matched.push(did_match);
    }
    Ok(samples.verdict("event pattern", &matched))
}

/// `sample` with the fields TestEventPattern requires, where it has none of its own.
pub(crate) fn with_envelope(mut sample: Value, n: usize) -> Value {
    if let Some(event) = sample.as_object_mut() {
        let placeholders = [
            ("id", Value::from(format!("labcheck-sample-{n}"))),
            ("account", Value::from("123456789012")),
            ("time", Value::from("2026-01-01T00:00:00Z")),
            ("region", Value::from("us-east-1")),
            ("resources", Value::Array(vec![])),
            ("detail", serde_json::json!({})),
        ];
        for (key, value) in placeholders {
            event.entry(key).or_insert(value);
        }
    }
    sample
}

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
                ctx.clients.eventbridge().describe_rule().name(name).set_event_bus_name(bus.clone())
            )
            .await?;
            Ok(found(name, decoded(body)))
        }
        None => {
            let op = "events:ListRules";
            let list =
                raw_pages!(ctx, op, bus.as_deref().unwrap_or_default(), NOT_FOUND, "Rules", "NextToken", |token| ctx
                    .clients
                    .eventbridge()
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
        .eventbridge()
        .list_targets_by_rule()
        .rule(rule)
        .set_event_bus_name(bus.clone())
        .set_next_token(token.clone()))
    .await?;
    Ok(resources_from(list, "Id"))
}
