//! Every operation the SDK clients send, recorded where the SDK serializes it (once per
//! operation, whatever its retries; the operation name is not yet in the config bag at
//! the earlier hook for every client).
//!
//! The memo counts what collectors ask for; this counts what actually leaves the
//! process, whichever code path sent it. The read-only tests compare it with the
//! operations each kind declares.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Operations sent, as IAM names them (`logs:DescribeLogGroups`), with how often.
#[derive(Debug, Clone, Default)]
pub struct CallLog(Arc<Mutex<BTreeMap<String, u64>>>);

impl CallLog {
    pub fn operations(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn total(&self) -> u64 {
        self.operations().values().sum()
    }

    fn record(&self, operation: String) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()).entry(operation).or_default() += 1;
    }
}

/// An interceptor for one service's client: `prefix` is the service's IAM prefix.
#[derive(Debug)]
pub struct RecordCalls {
    pub prefix: &'static str,
    pub log: CallLog,
}

impl Intercept for RecordCalls {
    fn name(&self) -> &'static str {
        "labcheck::RecordCalls"
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let name = cfg.load::<Metadata>().map(|m| m.name().to_string()).unwrap_or_else(|| "?".into());
        self.log.record(iam_action(self.prefix, &name));
        Ok(())
    }
}

/// The IAM action of `operation` on the service with IAM prefix `prefix`: the operation's
/// own name, except for the few S3 operations IAM names otherwise.
pub fn iam_action(prefix: &str, operation: &str) -> String {
    let (prefix, renames) = match prefix {
        "s3" => ("s3", super::s3::IAM_ACTIONS),
        // S3 Control's actions are S3's in IAM.
        "s3control" => ("s3", super::s3control::IAM_ACTIONS),
        _ => (prefix, &[][..]),
    };
    let renamed = renames.iter().find(|(op, _)| *op == operation).map(|(_, action)| *action);
    format!("{prefix}:{}", renamed.unwrap_or(operation))
}

#[cfg(test)]
mod tests {
    #[test]
    fn s3_operations_are_recorded_as_their_iam_actions() {
        assert_eq!(super::iam_action("s3", "GetBucketEncryption"), "s3:GetEncryptionConfiguration");
        assert_eq!(super::iam_action("s3", "GetBucketPolicy"), "s3:GetBucketPolicy");
        assert_eq!(super::iam_action("logs", "DescribeLogGroups"), "logs:DescribeLogGroups");
        assert_eq!(super::iam_action("s3control", "GetPublicAccessBlock"), "s3:GetAccountPublicAccessBlock");
        assert_eq!(super::iam_action("s3", "GetPublicAccessBlock"), "s3:GetBucketPublicAccessBlock");
    }
}
