//! Which account is graded, and how to reach it: the AWS SDK's own configuration chain
//! (environment, shared config and credentials files, SSO, instance roles), with the
//! command line's `--profile`, `--region` and `--endpoint-url` on top.

use aws_config::BehaviorVersion;
use aws_config::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use aws_types::region::Region;
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Target {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
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

impl From<&crate::cli::TargetArgs> for Target {
    fn from(args: &crate::cli::TargetArgs) -> Self {
        Target { profile: args.profile.clone(), region: args.region.clone(), endpoint_url: args.endpoint_url.clone() }
    }
}

impl Target {
    /// Resolve the SDK configuration. Fails only when no Region can be found.
    pub async fn sdk_config(&self) -> Result<SdkConfig, String> {
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
        let conf = loader.load().await;
        if conf.region().is_none() {
            return Err("no AWS Region: pass --region, set AWS_REGION, or set one in your profile".into());
        }
        Ok(conf)
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

/// Assume `role_arn` from the credentials in `base`. Everything else (Region, endpoint,
/// timeouts) is kept.
pub async fn assume_role(
    base: &SdkConfig,
    role_arn: &str,
    session_name: &str,
    external_id: Option<&str>,
) -> Result<AssumedRole, String> {
    let sts = aws_sdk_sts::Client::new(base);
    let out = sts
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(session_name)
        .set_external_id(external_id.map(str::to_string))
        .send()
        .await
        .map_err(|e| {
            use aws_smithy_types::error::metadata::ProvideErrorMetadata;
            let said = match (e.code(), e.message()) {
                (Some(c), Some(m)) => format!("{c}: {m}"),
                (Some(c), None) => c.to_string(),
                _ => aws_smithy_types::error::display::DisplayErrorContext(&e).to_string(),
            };
            format!("cannot assume {role_arn}: {said}")
        })?;
    let creds = out.credentials().ok_or_else(|| format!("cannot assume {role_arn}: no credentials returned"))?;
    let provider = aws_credential_types::Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token().to_string()),
        None,
        "labcheck-assume-role",
    );
    let conf = base
        .to_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(provider))
        .build();
    Ok(AssumedRole {
        conf,
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: creds.secret_access_key().to_string(),
        session_token: creds.session_token().to_string(),
    })
}
