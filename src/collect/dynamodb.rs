//! DynamoDB: tables (billing, replicas, streams, encryption) and point-in-time recovery.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::member};
use crate::collect::error::CollectError;
use crate::raw_call;
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&TABLE, &CONTINUOUS_BACKUPS];

pub static TABLE: Kind = Kind {
    name: "dynamodb.table",
    description: "A table: billing mode, throughput, global table replicas, streams, encryption, deletion protection.",
    selector: &[SelectorKey::required("name", "table name")],
    one_of: &[],
    operations: &["dynamodb:DescribeTable"],
    unnamed_only: &[],
    cli: "aws dynamodb describe-table --table-name N --query Table",
    collect: |ctx, sel| collect_table(ctx, sel).boxed(),
};

pub static CONTINUOUS_BACKUPS: Kind = Kind {
    name: "dynamodb.continuous_backups",
    description: "A table's continuous backups and point-in-time recovery status.",
    selector: &[SelectorKey::required("table", "table name")],
    one_of: &[],
    operations: &["dynamodb:DescribeContinuousBackups"],
    unnamed_only: &[],
    cli: "aws dynamodb describe-continuous-backups --table-name T --query ContinuousBackupsDescription",
    collect: |ctx, sel| collect_continuous_backups(ctx, sel).boxed(),
};

async fn collect_table(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let name = sel.str("name").unwrap_or_default();
    let op = "dynamodb:DescribeTable";
    let not_found = &["ResourceNotFoundException"];
    let body = raw_call!(ctx, op, name, not_found, ctx.clients.dynamodb().describe_table().table_name(name)).await?;
    Ok(found(name, member(body, "Table")))
}

async fn collect_continuous_backups(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let table = sel.str("table").unwrap_or_default();
    let op = "dynamodb:DescribeContinuousBackups";
    let not_found = &["TableNotFoundException", "ResourceNotFoundException"];
    let body =
        raw_call!(ctx, op, table, not_found, ctx.clients.dynamodb().describe_continuous_backups().table_name(table))
            .await?;
    Ok(found(table, member(body, "ContinuousBackupsDescription")))
}
