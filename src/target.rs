//! Which account is graded, and how to reach it: the AWS SDK's own configuration chain
//! (environment, shared config and credentials files, SSO, instance roles), with the
//! command line's `--profile`, `--region` and `--endpoint-url` on top, and, when one is
//! named, a role assumed from those credentials (the one way labcheck assumes roles:
//! `run --role-arn`, each student of `grade`, each scenario of `selftest`).

pub mod plain_http;

use crate::error::AppError;
use aws_config::BehaviorVersion;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_types::SdkConfig;
use aws_types::region::Region;
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Target {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Read the account through this role.
    pub role: Option<Role>,
}

/// A role to read an account through, assumed from the caller's credentials.
#[derive(Debug, Clone)]
pub struct Role {
    pub arn: String,
    pub external_id: Option<String>,
    pub session_name: String,
}

/// Where a report says it graded; never credentials.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TargetInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

impl Target {
    /// Resolve the SDK configuration (through the role, when there is one). Fails when
    /// no Region can be found or the role cannot be assumed.
    pub async fn sdk_config(&self) -> Result<SdkConfig, AppError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(20))
                .operation_timeout(Duration::from_secs(60))
                .build(),
        );
        if let Some(profile) = &self.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &self.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        // Set before loading: the loader already builds a client (for its credential
        // providers), and with the default one that reads the root certificates.
        let endpoint = self.endpoint_url.clone().or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
        if endpoint.as_deref().is_some_and(plain_http::is_plain_http) {
            loader = loader.http_client(plain_http::PlainFirst::for_plain_endpoint());
        }
        let conf = loader.load().await;
        if conf.region().is_none() {
            return Err(AppError::NoRegion);
        }
        match &self.role {
            Some(role) => Ok(through_role(&conf, role).await?.0),
            None => Ok(conf),
        }
    }

    pub fn info(&self, conf: &SdkConfig) -> TargetInfo {
        TargetInfo {
            profile: self.profile.clone(),
            region: conf.region().map(|r| r.to_string()),
            endpoint: conf.endpoint_url().map(str::to_string),
        }
    }
}

/// Credentials obtained by assuming a role, and the configuration that uses them.
pub struct AssumedRole {
    pub conf: SdkConfig,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

/// The configuration that reads through `role`: `base` (Region, endpoint, timeouts) with
/// the role's credentials, assumed now (so a role that cannot be assumed says so once,
/// plainly) and refreshed by the SDK before they expire; and those first credentials.
pub async fn through_role(base: &SdkConfig, role: &Role) -> Result<(SdkConfig, Credentials), AppError> {
    // The provider refreshes on a clock and retries with a sleep: a configuration built
    // by hand (not by aws_config's loader) may have neither, so give it the defaults.
    let mut builder = base.to_builder();
    if base.time_source().is_none() {
        builder.set_time_source(Some(aws_smithy_async::time::SharedTimeSource::default()));
    }
    if base.sleep_impl().is_none() {
        builder.set_sleep_impl(aws_smithy_async::rt::sleep::default_async_sleep());
    }
    let base = &builder.build();
    let mut builder = AssumeRoleProvider::builder(&role.arn).session_name(role.session_name.clone()).configure(base);
    if let Some(id) = &role.external_id {
        builder = builder.external_id(id);
    }
    let provider = builder.build().await;
    let credentials = provider.provide_credentials().await.map_err(|e| AppError::AssumeRole {
        role: role.arn.clone(),
        why: aws_smithy_types::error::display::DisplayErrorContext(&e).to_string(),
    })?;
    // One cache for every client built from this configuration: without it each of the
    // 31 service clients would assume the role again on its first call. The cache starts
    // with the credentials just obtained, not with a second AssumeRole.
    let first = std::sync::Mutex::new(Some(credentials.clone()));
    let conf = base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(AssumedOnce { first, provider }))
        .identity_cache(aws_config::identity::IdentityCache::lazy().build())
        .build();
    Ok((conf, credentials))
}

/// A role's provider whose first answer is the credentials assumed to check the role.
#[derive(Debug)]
struct AssumedOnce {
    first: std::sync::Mutex<Option<Credentials>>,
    provider: AssumeRoleProvider,
}

impl ProvideCredentials for AssumedOnce {
    fn provide_credentials<'a>(&'a self) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        match self.first.lock().ok().and_then(|mut first| first.take()) {
            Some(credentials) => aws_credential_types::provider::future::ProvideCredentials::ready(Ok(credentials)),
            None => self.provider.provide_credentials(),
        }
    }
}

/// Assume `role_arn` from the credentials in `base` ([`through_role`]), with the keys
/// themselves, for a process that needs them in its environment (selftest's scripts).
pub async fn assume_role(
    base: &SdkConfig,
    role_arn: &str,
    session_name: &str,
    external_id: Option<&str>,
) -> Result<AssumedRole, AppError> {
    let role = Role {
        arn: role_arn.to_string(),
        external_id: external_id.map(str::to_string),
        session_name: session_name.to_string(),
    };
    let (conf, creds) = through_role(base, &role).await?;
    // A process that is handed the keys outlives no session: the keys themselves, not a
    // provider that may assume the role again, serve its calls too.
    let conf = conf.to_builder().credentials_provider(SharedCredentialsProvider::new(creds.clone())).build();
    Ok(AssumedRole {
        conf,
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: creds.secret_access_key().to_string(),
        session_token: creds.session_token().unwrap_or_default().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// An STS that answers AssumeRole and GetCallerIdentity, and the actions it was sent.
    fn sts() -> (SdkConfig, Arc<Mutex<Vec<String>>>) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = sent.clone();
        let http = aws_smithy_http_client::test_util::infallible_client_fn(move |request| {
            let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).to_string();
            let action = body.split('&').find_map(|pair| pair.strip_prefix("Action=")).unwrap_or("?").to_string();
            log.lock().unwrap().push(action.clone());
            let answer = match action.as_str() {
                "AssumeRole" => {
                    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>\
                     <Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>\
                     <SessionToken>token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>\
                     <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:grader</AssumedRoleId>\
                     <Arn>arn:aws:sts::111122223333:assumed-role/grader/grader</Arn></AssumedRoleUser>\
                     </AssumeRoleResult></AssumeRoleResponse>"
                }
                _ => {
                    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                     <GetCallerIdentityResult><Account>111122223333</Account>\
                     <Arn>arn:aws:sts::111122223333:assumed-role/grader/grader</Arn><UserId>AROAEXAMPLE:grader</UserId>\
                     </GetCallerIdentityResult></GetCallerIdentityResponse>"
                }
            };
            http::Response::builder().status(200).body(answer).unwrap()
        });
        let conf = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "AKIDEXAMPLE",
                "secret",
                None,
                None,
                "test",
            )))
            .http_client(http)
            .build();
        (conf, sent)
    }

    #[tokio::test]
    async fn a_role_is_assumed_once_for_every_client() {
        let (base, sent) = sts();
        let role =
            Role { arn: "arn:aws:iam::111122223333:role/grader".into(), external_id: None, session_name: "g".into() };
        let (conf, credentials) = through_role(&base, &role).await.unwrap();
        assert_eq!(credentials.access_key_id(), "ASIAEXAMPLE");
        for _ in 0..2 {
            let client = aws_sdk_sts::Client::new(&conf);
            let me = client.get_caller_identity().send().await.unwrap();
            assert_eq!(me.account(), Some("111122223333"));
        }
        assert_eq!(*sent.lock().unwrap(), ["AssumeRole", "GetCallerIdentity", "GetCallerIdentity"]);
    }
}
