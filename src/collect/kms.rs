//! KMS: keys (state, usage, manager), their rotation status and their key policy.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, raw::decode_documents, raw::member};
use crate::collect::error::CollectError;
use crate::raw_call;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&KEY, &KEY_ROTATION, &KEY_POLICY];

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

pub static KEY_POLICY: Kind = Kind {
    name: "kms.key_policy",
    description: "A key's key policy (the policy named default), decoded: who may use and manage the key.",
    selector: &[KEY_KEY],
    one_of: &[],
    // GetKeyPolicy takes no alias: DescribeKey finds the key id first.
    operations: &["kms:DescribeKey", "kms:GetKeyPolicy"],
    unnamed_only: &[],
    cli: "aws kms get-key-policy --key-id <key id> --policy-name default",
    collect: |ctx, sel| collect_key_policy(ctx, sel).boxed(),
};

async fn describe_key(ctx: &Ctx, key: &str) -> Result<Value, CollectError> {
    let op = "kms:DescribeKey";
    let body = raw_call!(ctx, op, key, NOT_FOUND, ctx.clients.kms().describe_key().key_id(key)).await?;
    Ok(member(body, "KeyMetadata"))
}

async fn collect_key(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let key = sel.str("key").unwrap_or_default();
    Ok(found(key, describe_key(ctx, key).await?))
}

/// The key id of an alias, key id or key ARN (the Get calls take no alias); `None` when
/// there is no such key.
async fn key_id(ctx: &Ctx, key: &str) -> Result<Option<String>, CollectError> {
    Ok(describe_key(ctx, key).await?.get("KeyId").and_then(Value::as_str).map(str::to_string))
}

async fn collect_key_rotation(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let key = sel.str("key").unwrap_or_default();
    let Some(id) = key_id(ctx, key).await? else { return Ok(Vec::new()) };
    let op = "kms:GetKeyRotationStatus";
    let body = raw_call!(ctx, op, &id, NOT_FOUND, ctx.clients.kms().get_key_rotation_status().key_id(&id)).await?;
    Ok(found(key, body))
}

async fn collect_key_policy(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let key = sel.str("key").unwrap_or_default();
    let Some(id) = key_id(ctx, key).await? else { return Ok(Vec::new()) };
    let op = "kms:GetKeyPolicy";
    let request = ctx.clients.kms().get_key_policy().key_id(&id).policy_name("default");
    let body = raw_call!(ctx, op, &id, NOT_FOUND, request).await?;
    Ok(found(key, decode_documents(body, &["Policy"])))
}
