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
