//! Secrets Manager: secrets' metadata (encryption key, rotation), never their values.

use super::{Ctx, Kind, Resource, Selector, SelectorExt, SelectorKey, found, resources_from};
use crate::collect::error::CollectError;
use crate::{raw_call, raw_pages};
use futures::FutureExt;

pub static KINDS: &[&Kind] = &[&SECRET];

pub static SECRET: Kind = Kind {
    name: "secretsmanager.secret",
    description: "A secret's metadata: KMS key, rotation (enabled, Lambda, rules), replication. Never its value.",
    selector: &[SelectorKey::optional("name", "secret name or ARN")],
    one_of: &[],
    operations: &["secretsmanager:DescribeSecret", "secretsmanager:ListSecrets"],
    unnamed_only: &["secretsmanager:ListSecrets"],
    cli: "aws secretsmanager describe-secret --secret-id N",
    collect: |ctx, sel| collect_secrets(ctx, sel).boxed(),
};

async fn collect_secrets(ctx: &Ctx, sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    const NOT_FOUND: &[&str] = &["ResourceNotFoundException"];
    match sel.str("name") {
        Some(name) => {
            let op = "secretsmanager:DescribeSecret";
            let body =
                raw_call!(ctx, op, name, NOT_FOUND, ctx.clients.secretsmanager().describe_secret().secret_id(name))
                    .await?;
            Ok(found(name, body))
        }
        None => {
            let op = "secretsmanager:ListSecrets";
            let list = raw_pages!(ctx, op, "", NOT_FOUND, "SecretList", "NextToken", |token| ctx
                .clients
                .secretsmanager()
                .list_secrets()
                .set_next_token(token.clone()))
            .await?;
            Ok(resources_from(list, "Name"))
        }
    }
}
