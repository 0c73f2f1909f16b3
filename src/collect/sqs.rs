//! SQS: queues and their attributes (dead-letter redrive, policy, encryption).

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::decode_documents, raw::member};
use crate::collect::error::CollectError;
use crate::raw_call;
use aws_sdk_sqs::types::QueueAttributeName;
use futures::FutureExt;
use serde_json::{Value, json};

pub static KINDS: &[&Kind] = &[&QUEUE];

pub static QUEUE: Kind = Kind {
    name: "sqs.queue",
    description: "A queue: its URL and attributes (RedrivePolicy and Policy decoded; numbers stay strings, as SQS sends them).",
    selector: &[SelectorKey::required("name", "queue name")],
    one_of: &[],
    operations: &["sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
    unnamed_only: &[],
    cli: "aws sqs get-queue-attributes --queue-url U --attribute-names All (with QueueUrl)",
    collect: |ctx, sel| collect_queue(ctx, sel).boxed(),
};

const NOT_FOUND: &[&str] = &["QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"];

async fn collect_queue(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "sqs:GetQueueUrl";
    let url = raw_call!(ctx, op, name, NOT_FOUND, ctx.clients.sqs().get_queue_url().queue_name(name)).await?;
    let Some(url) = url.get("QueueUrl").and_then(Value::as_str) else { return Ok(Vec::new()) };
    let op = "sqs:GetQueueAttributes";
    let body = raw_call!(
        ctx,
        op,
        url,
        NOT_FOUND,
        ctx.clients.sqs().get_queue_attributes().queue_url(url).attribute_names(QueueAttributeName::All)
    )
    .await?;
    if body.is_null() {
        return Ok(Vec::new());
    }
    let fact = json!({"QueueUrl": url, "Attributes": member(body, "Attributes")});
    Ok(found(
        name,
        decode_documents(fact, &["Attributes.Policy", "Attributes.RedrivePolicy", "Attributes.RedriveAllowPolicy"]),
    ))
}
