//! Why a collector could not read the account. Every such cause is an ERROR, never a FAIL:
//! a FAIL is a statement about the learner's build, and none of these are.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectError {
    /// The operation that failed, as IAM names it (`logs:DescribeLogGroups`).
    pub operation: String,
    pub cause: Cause,
    /// The service's or the transport's own words.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    AccessDenied,
    Throttled,
    NotImplemented,
    Timeout,
    Unreachable,
    NoCredentials,
    /// Any other error the service returned.
    Service,
    /// The lab is wrong (a path or template that cannot be evaluated): found while
    /// grading, and no fault of the account.
    Lab,
}

impl Cause {
    pub fn describe(self) -> &'static str {
        match self {
            Cause::AccessDenied => "access denied",
            Cause::Throttled => "throttled, and still throttled after the SDK's retries",
            Cause::NotImplemented => "the endpoint does not implement this operation",
            Cause::Timeout => "timed out",
            Cause::Unreachable => "could not reach the endpoint",
            Cause::NoCredentials => "no AWS credentials",
            Cause::Service => "the service returned an error",
            Cause::Lab => "the lab is wrong",
        }
    }
}

impl fmt::Display for CollectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.cause.describe())?;
        if !self.detail.is_empty() {
            write!(f, " ({})", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for CollectError {}

/// An error and its sources, each said once: "dispatch failure: io error: tcp connect
/// error: Connection refused (os error 111)".
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "AuthFailure",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidSignatureException",
    "MissingAuthenticationToken",
];
const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "ProvisionedThroughputExceededException",
];
const NOT_IMPLEMENTED: &[&str] = &["NotImplemented", "UnknownOperationException", "InvalidAction", "UnknownOperation"];

impl CollectError {
    pub fn new(operation: &str, cause: Cause, detail: impl Into<String>) -> Self {
        CollectError { operation: operation.to_string(), cause, detail: detail.into() }
    }

    /// Classify an SDK error. `not_found` lists the error codes that mean "no such
    /// resource": those are not errors at all, and come back as `Ok(())` so the caller
    /// can treat the resource as absent.
    pub fn classify<E>(operation: &str, err: SdkError<E, HttpResponse>, not_found: &[&str]) -> Result<(), CollectError>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let status = err.raw_response().map(|r| r.status().as_u16());
        let code = err.code().unwrap_or_default().to_string();
        let message = err.message().unwrap_or_default().to_string();
        if !code.is_empty() && not_found.contains(&code.as_str()) {
            return Ok(());
        }
        let said = |fallback: &dyn fmt::Display| {
            if code.is_empty() && message.is_empty() {
                fallback.to_string()
            } else if message.is_empty() {
                code.clone()
            } else {
                format!("{code}: {message}")
            }
        };
        let cause = match &err {
            SdkError::TimeoutError(_) => Cause::Timeout,
            SdkError::DispatchFailure(f) if f.is_timeout() => Cause::Timeout,
            SdkError::DispatchFailure(_) => Cause::Unreachable,
            SdkError::ConstructionFailure(_) => {
                let text = DisplayErrorContext(&err).to_string();
                let cause = if text.contains("credentials") { Cause::NoCredentials } else { Cause::Service };
                return Err(CollectError::new(operation, cause, text));
            }
            _ if ACCESS_DENIED.contains(&code.as_str()) || status == Some(403) && code.is_empty() => {
                Cause::AccessDenied
            }
            _ if THROTTLED.contains(&code.as_str()) || status == Some(429) => Cause::Throttled,
            _ if NOT_IMPLEMENTED.contains(&code.as_str())
                || status == Some(501)
                || message.contains("not yet implemented")
                || message.contains("has not been implemented")
                || (status == Some(404) && code.is_empty()) =>
            {
                Cause::NotImplemented
            }
            _ => Cause::Service,
        };
        let detail = match cause {
            Cause::Timeout | Cause::Unreachable => error_chain(&err),
            _ => said(&DisplayErrorContext(&err)),
        };
        Err(CollectError::new(operation, cause, detail))
    }
}
