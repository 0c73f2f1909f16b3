//! KMS: keys (state, usage, manager) and their rotation status.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::member};
use crate::collect::error::CollectError;
use crate::raw_call;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&KEY, &KEY_ROTATION];

const KEY_KEY: SelectorKey = SelectorKey::required("key", "alias/NAME, key id or key ARN");
const NOT_FOUND: &[&str] = &["NotFoundException"];

pub static KEY: Kind = Kind {
    name: "kms.key",
    description: "A KMS key's metadata: state, manager (CUSTOMER or AWS), usage, spec, multi-Region.",
    selector: &[KEY_KEY],
    one_of: &[],
    operations: &["kms:DescribeKey"],
    unnamed_only: &[],
    cli: "aws kms describe-key --key-id K --query KeyMetadata",
    collect: |ctx, sel| collect_key(ctx, sel).boxed(),
};

pub static KEY_ROTATION: Kind = Kind {
    name: "kms.key_rotation",
    description: "Whether a key rotates its key material automatically, and how often.",
    selector: &[KEY_KEY],
    one_of: &[],
    // GetKeyRotationStatus takes no alias: DescribeKey finds the key id first.
    operations: &["kms:DescribeKey", "kms:GetKeyRotationStatus"],
    unnamed_only: &[],
    cli: "aws kms get-key-rotation-status --key-id <key id>",
    collect: |ctx, sel| collect_key_rotation(ctx, sel).boxed(),
};

async fn describe_key(ctx: &Ctx, key: &str) -> Result<Value, CollectError> {
    let op = "kms:DescribeKey";
    let body = raw_call!(ctx, op, key, NOT_FOUND, ctx.clients.kms.describe_key().key_id(key)).await?;
    Ok(member(body, "KeyMetadata"))
}

async fn collect_key(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let key = sel.str("key").unwrap_or_default();
    Ok(found(key, describe_key(ctx, key).await?))
}

async fn collect_key_rotation(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let key = sel.str("key").unwrap_or_default();
    let metadata = describe_key(ctx, key).await?;
    let Some(id) = metadata.get("KeyId").and_then(Value::as_str) else { return Ok(Vec::new()) };
    let op = "kms:GetKeyRotationStatus";
    let body = raw_call!(ctx, op, id, NOT_FOUND, ctx.clients.kms.get_key_rotation_status().key_id(id)).await?;
    Ok(found(key, body))
}
