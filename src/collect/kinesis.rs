//! Kinesis Data Streams: stream summaries (encryption, retention, capacity mode).

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::member};
use crate::collect::error::CollectError;
use crate::raw_call;
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&STREAM];

pub static STREAM: Kind = Kind {
    name: "kinesis.stream",
    description: "A data stream: status, shards, retention, encryption, capacity mode.",
    selector: &[SelectorKey::required("name", "stream name")],
    one_of: &[],
    operations: &["kinesis:DescribeStreamSummary"],
    unnamed_only: &[],
    cli: "aws kinesis describe-stream-summary --stream-name N --query StreamDescriptionSummary",
    collect: |ctx, sel| collect_stream(ctx, sel).boxed(),
};

async fn collect_stream(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "kinesis:DescribeStreamSummary";
    let not_found = &["ResourceNotFoundException"];
    let body =
        raw_call!(ctx, op, name, not_found, ctx.clients.kinesis().describe_stream_summary().stream_name(name)).await?;
    Ok(found(name, member(body, "StreamDescriptionSummary")))
}
