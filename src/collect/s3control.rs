//! S3 Control: the account's own S3 settings. Its Block Public Access applies to every
//! bucket in the account, beside (and on top of) each bucket's own.

use super::{Ctx, Kind, Resource, Selector, found, sts};
use crate::collect::error::CollectError;
use crate::collect::fact::ToFact;
use aws_sdk_s3control::types::PublicAccessBlockConfiguration;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use futures::FutureExt;
use serde_json::Value;

pub static KINDS: &[&Kind] = &[&ACCOUNT_PUBLIC_ACCESS_BLOCK];

/// The S3 Control operations' IAM actions, where the two names differ.
pub const IAM_ACTIONS: &[(&str, &str)] = &[("GetPublicAccessBlock", "GetAccountPublicAccessBlock")];

pub static ACCOUNT_PUBLIC_ACCESS_BLOCK: Kind = Kind {
    name: "s3control.public_access_block",
    description: "The account's S3 Block Public Access settings (the four flags), which apply to every bucket.",
    selector: &[],
    one_of: &[],
    operations: &["sts:GetCallerIdentity", "s3:GetAccountPublicAccessBlock"],
    unnamed_only: &[],
    cli: "aws s3control get-public-access-block --account-id A --query PublicAccessBlockConfiguration",
    collect: |ctx, sel| collect_account_block(ctx, sel).boxed(),
};

async fn collect_account_block(ctx: &Ctx, _sel: &Selector) -> Result<Vec<Resource>, CollectError> {
    let account = sts::account_id(ctx).await?;
    let block = block_of(ctx, &account).await?;
    Ok(found(account, block))
}

/// The account's Block Public Access configuration (memoised), `null` when it has none.
pub async fn account_public_access_block(ctx: &Ctx) -> Result<Value, CollectError> {
    block_of(ctx, &sts::account_id(ctx).await?).await
}

async fn block_of(ctx: &Ctx, account: &str) -> Result<Value, CollectError> {
    let op = "s3:GetAccountPublicAccessBlock";
    ctx.call(op, account, || async {
        match ctx.clients.s3control().get_public_access_block().account_id(account).send().await {
            Ok(out) => Ok(out.public_access_block_configuration().to_fact()),
            Err(err) => CollectError::classify(op, err, &["NoSuchPublicAccessBlockConfiguration"]).map(|()| Value::Null),
        }
    })
    .await
}

impl ToFact for PublicAccessBlockConfiguration {
    fn to_fact(&self) -> Value {
        let c = self;
        super::s3::public_access_flags([
            c.block_public_acls(),
            c.ignore_public_acls(),
            c.block_public_policy(),
            c.restrict_public_buckets(),
        ])
    }
}

/// S3 Control names the account in the endpoint's host (`123456789012.{endpoint}`), a
/// host that does not resolve when the endpoint is an emulator on 127.0.0.1: this sends
/// the request to the configured endpoint's own host and port (the account id also
/// travels in the `x-amz-account-id` header, where emulators read it).
#[derive(Debug)]
pub struct PinEndpointHost {
    /// `host[:port]` of the configured endpoint.
    authority: String,
}

impl PinEndpointHost {
    pub fn new(endpoint: &url::Url) -> Self {
        PinEndpointHost { authority: endpoint[url::Position::BeforeHost..url::Position::AfterPort].to_string() }
    }

    /// `uri` with its authority replaced (the prefixed host is no valid URL host when the
    /// endpoint is an IP address, so this is plain text work).
    fn pin(&self, uri: &str) -> Option<String> {
        let (scheme, rest) = uri.split_once("://")?;
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        Some(format!("{scheme}://{}{path}", self.authority))
    }
}

impl Intercept for PinEndpointHost {
    fn name(&self) -> &'static str {
        "labcheck::PinEndpointHost"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if let Some(pinned) = self.pin(request.uri()) {
            request.set_uri(pinned)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::PinEndpointHost;

    #[test]
    fn the_account_prefixed_host_goes_back_to_the_endpoint() {
        let pin = PinEndpointHost::new(&url::Url::parse("http://127.0.0.1:5123").unwrap());
        assert_eq!(
            pin.pin("http://123456789012.127.0.0.1:5123/v20180820/configuration/publicAccessBlock").as_deref(),
            Some("http://127.0.0.1:5123/v20180820/configuration/publicAccessBlock")
        );
        let pin = PinEndpointHost::new(&url::Url::parse("http://[::1]:4566/").unwrap());
        assert_eq!(pin.pin("http://1.[::1]:4566/x?y=1").as_deref(), Some("http://[::1]:4566/x?y=1"));
        let pin = PinEndpointHost::new(&url::Url::parse("http://localhost").unwrap());
        assert_eq!(pin.pin("http://1.localhost").as_deref(), Some("http://localhost"));
    }
}
