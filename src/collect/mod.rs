//! Collectors: the only code that talks to AWS. Each resource kind reads the account
//! with Describe/Get/List calls and returns facts in the AWS API's JSON shape.
//!
//! A kind is data ([`Kind`]): its name, selector keys, the operations it may call, and
//! the function that collects. One file per AWS service declares its kinds; the
//! `services!` list below registers each service (module, kinds, client, IAM prefix) in
//! one line, and [`KINDS`] lists every kind. Adding a kind touches only its service's file.

pub mod error;
pub mod fact;
pub mod memo;
pub mod raw;
pub mod record;
pub mod samples;

pub use error::{Cause, CollectError};

use aws_types::SdkConfig;
use futures::future::BoxFuture;
use memo::Memo;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

/// One resource the collector found, with its facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// A name a learner recognises (`/labcheck/app`, a pipeline name, an ARN).
    pub id: String,
    pub fact: Value,
}

/// Selector values after templates are rendered.
pub type Selector = BTreeMap<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorType {
    String,
    Bool,
    /// A list of sample documents (events, log lines) written in the lab.
    Samples,
    /// A list of names or ids: written as a list, or one string (a single id, or a
    /// template whose capture is a list).
    Strings,
}

#[derive(Debug)]
pub struct SelectorKey {
    pub name: &'static str,
    pub ty: SelectorType,
    pub required: bool,
    pub doc: &'static str,
}

impl SelectorKey {
    /// An optional string key.
    pub const fn optional(name: &'static str, doc: &'static str) -> Self {
        SelectorKey { name, ty: SelectorType::String, required: false, doc }
    }

    /// A string key every check of the kind must give.
    pub const fn required(name: &'static str, doc: &'static str) -> Self {
        SelectorKey { name, ty: SelectorType::String, required: true, doc }
    }

    /// A list of names or ids every check of the kind must give.
    pub const fn required_list(name: &'static str, doc: &'static str) -> Self {
        SelectorKey { name, ty: SelectorType::Strings, required: true, doc }
    }

    /// An optional list of samples.
    pub const fn samples(name: &'static str, doc: &'static str) -> Self {
        SelectorKey { name, ty: SelectorType::Samples, required: false, doc }
    }
}

pub type CollectFn = for<'a> fn(&'a Ctx, &'a Selector) -> BoxFuture<'a, Result<Vec<Resource>, CollectError>>;

/// A resource kind a check can read.
pub struct Kind {
    pub name: &'static str,
    pub description: &'static str,
    pub selector: &'static [SelectorKey],
    /// At least one of these selector keys must be given (besides the required ones).
    pub one_of: &'static [&'static str],
    /// Every operation `collect` may call, as IAM names it. The read-only and
    /// least-privilege guarantees are built on this list.
    pub operations: &'static [&'static str],
    /// Those of `operations` called only when the check selects no `name` (listing
    /// every resource to find them).
    pub unnamed_only: &'static [&'static str],
    /// The AWS CLI command whose output (or output element) equals one fact.
    pub cli: &'static str,
    pub collect: CollectFn,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kind").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Declares the services labcheck reads, each in one line: its module (which declares
/// its kinds, `KINDS`), its client's field in [`Clients`], its SDK crate, and the IAM
/// prefix its calls are recorded under (and optionally how its client is configured).
/// Adding a service is one line here (and its crate in Cargo.toml); adding a kind to a
/// service touches only the service's module.
macro_rules! services {
    ($($module:ident $field:ident $sdk:ident $prefix:literal $(with |$config:ident, $conf:ident| $configure:expr)?,)+) => {
        $(pub mod $module;)+

        /// Every kind, from every service module, in the order the services are declared.
        pub static KINDS: LazyLock<Vec<&'static Kind>> =
            LazyLock::new(|| [$($module::KINDS),+].into_iter().flatten().copied().collect());

        /// The SDK clients of one target account, each built on its first use (a lab
        /// reads a few services of the 34).
        #[derive(Clone, Debug)]
        pub struct Clients {
            conf: SdkConfig,
            // Public so that a test can put a recorded client in its place.
            $(pub $field: std::sync::OnceLock<$sdk::Client>,)+
            /// What these clients sent.
            pub log: record::CallLog,
        }

        impl Clients {
            pub fn new(conf: &SdkConfig) -> Self {
                Self::with_log(conf, record::CallLog::default())
            }

            /// Clients that record into an existing log (several accounts, one tally).
            pub fn with_log(conf: &SdkConfig, log: record::CallLog) -> Self {
                Clients { conf: conf.clone(), $($field: std::sync::OnceLock::new(),)+ log }
            }

            $(
                pub fn $field(&self) -> &$sdk::Client {
                    self.$field.get_or_init(|| {
                        let config = $sdk::config::Builder::from(&self.conf)
                            .interceptor(record::RecordCalls { prefix: $prefix, log: self.log.clone() });
                        $(let config = {
                            let ($config, $conf) = (config, &self.conf);
                            $configure
                        };)?
                        $sdk::Client::from_conf(config.build())
                    })
                }
            )+
        }
    };
}

services! {
    // module       client field    SDK crate                          IAM prefix
    codepipeline    codepipeline    aws_sdk_codepipeline               "codepipeline",
    codebuild       codebuild       aws_sdk_codebuild                  "codebuild",
    codedeploy      codedeploy      aws_sdk_codedeploy                 "codedeploy",
    ecr             ecr             aws_sdk_ecr                        "ecr",
    cloudwatch      cloudwatch      aws_sdk_cloudwatch                 "cloudwatch",
    logs            logs            aws_sdk_cloudwatchlogs             "logs",
    kinesis         kinesis         aws_sdk_kinesis                    "kinesis",
    config          config          aws_sdk_config                     "config",
    cloudformation  cloudformation  aws_sdk_cloudformation             "cloudformation",
    ssm             ssm             aws_sdk_ssm                        "ssm",
    organizations   organizations   aws_sdk_organizations              "organizations",
    iam             iam             aws_sdk_iam                        "iam",
    secretsmanager  secretsmanager  aws_sdk_secretsmanager             "secretsmanager",
    kms             kms             aws_sdk_kms                        "kms",
    cloudtrail      cloudtrail      aws_sdk_cloudtrail                 "cloudtrail",
    guardduty       guardduty       aws_sdk_guardduty                  "guardduty",
    securityhub     securityhub     aws_sdk_securityhub                "securityhub",
    // Path-style addressing: an emulator on 127.0.0.1 has no bucket subdomains.
    s3              s3              aws_sdk_s3                         "s3"
        with |config, conf| config.force_path_style(conf.endpoint_url().is_some()),
    // Recorded as `s3control` (record.rs names its calls as IAM does, `s3:...`).
    s3control       s3control       aws_sdk_s3control                  "s3control"
        with |config, conf| match conf.endpoint_url().and_then(|url| url::Url::parse(url).ok()) {
            Some(endpoint) => config.interceptor(s3control::PinEndpointHost::new(&endpoint)),
            None => config,
        },
    sts             sts             aws_sdk_sts                        "sts",
    lambda          lambda          aws_sdk_lambda                     "lambda",
    stepfunctions   sfn             aws_sdk_sfn                        "states",
    eventbridge     eventbridge     aws_sdk_eventbridge                "events",
    sns             sns             aws_sdk_sns                        "sns",
    sqs             sqs             aws_sdk_sqs                        "sqs",
    autoscaling     autoscaling     aws_sdk_autoscaling                "autoscaling",
    elbv2           elbv2           aws_sdk_elasticloadbalancingv2     "elasticloadbalancing",
    appautoscaling  appautoscaling  aws_sdk_applicationautoscaling     "application-autoscaling",
    route53         route53         aws_sdk_route53                    "route53",
    dynamodb        dynamodb        aws_sdk_dynamodb                   "dynamodb",
    rds             rds             aws_sdk_rds                        "rds",
    backup          backup          aws_sdk_backup                     "backup",
    ecs             ecs             aws_sdk_ecs                        "ecs",
    ec2             ec2             aws_sdk_ec2                        "ec2",
}

pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|k| k.name == name)
}

impl Clients {
    /// The S3 client, or one like it for another Region (a bucket is read in its own).
    pub fn s3_in(&self, region: &str) -> aws_sdk_s3::Client {
        let config = self.s3().config();
        if config.region().map(|r| r.as_ref()) == Some(region) {
            return self.s3().clone();
        }
        aws_sdk_s3::Client::from_conf(
            config.to_builder().region(aws_types::region::Region::new(region.to_string())).build(),
        )
    }
}

/// What a collector works with: the clients and the run's memo.
#[derive(Clone)]
pub struct Ctx {
    pub clients: Arc<Clients>,
    memo: Arc<Memo>,
    /// Bounds the calls in flight against this account, when set.
    limit: Option<Arc<tokio::sync::Semaphore>>,
}

impl Ctx {
    pub fn new(clients: Clients) -> Self {
        Ctx { clients: Arc::new(clients), memo: Arc::new(Memo::default()), limit: None }
    }

    /// At most `calls` API calls in flight at once against this account.
    pub fn with_call_limit(mut self, calls: usize) -> Self {
        self.limit = Some(Arc::new(tokio::sync::Semaphore::new(calls.max(1))));
        self
    }

    /// The same clients with an empty memo: for re-reading state that may have changed.
    pub fn fresh(&self) -> Self {
        Ctx { clients: self.clients.clone(), memo: Arc::new(Memo::default()), limit: self.limit.clone() }
    }

    /// Call `operation` once per distinct `input` in this run (see [`Memo`]).
    pub async fn call<F, Fut>(&self, operation: &str, input: &str, fetch: F) -> Result<Value, CollectError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Value, CollectError>>,
    {
        let limit = self.limit.clone();
        self.memo
            .get_or_fetch(operation, input, || async move {
                let _permit = match &limit {
                    Some(semaphore) => Some(semaphore.acquire().await.expect("semaphore is never closed")),
                    None => None,
                };
                fetch().await
            })
            .await
    }

    /// Operations sent so far through this memo.
    pub fn calls(&self) -> Vec<String> {
        self.memo.calls()
    }

    /// Collect `kind` with an already-rendered selector.
    pub async fn collect(&self, kind: &Kind, selector: &Selector) -> Result<Vec<Resource>, CollectError> {
        (kind.collect)(self, selector).await
    }
}

/// Reading selector values inside collectors (validation has checked their types).
pub trait SelectorExt {
    fn str(&self, key: &str) -> Option<&str>;
    fn flag(&self, key: &str) -> bool;
    /// A [`SelectorType::Strings`] value: the list's strings, or one string's
    /// comma- or space-separated parts.
    fn strings(&self, key: &str) -> Vec<String>;
}

impl SelectorExt for Selector {
    fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    fn strings(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
            Some(Value::String(s)) => {
                s.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()).map(str::to_string).collect()
            }
            _ => Vec::new(),
        }
    }

    fn flag(&self, key: &str) -> bool {
        match self.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true",
            _ => false,
        }
    }
}

/// The elements of a memoised list answer, as resources named by `id_field`.
pub fn resources_from(list: Value, id_field: &str) -> Vec<Resource> {
    match list {
        Value::Array(items) => items
            .into_iter()
            .map(|fact| Resource { id: fact.get(id_field).and_then(Value::as_str).unwrap_or("?").to_string(), fact })
            .collect(),
        _ => Vec::new(),
    }
}

/// The one resource `id` when `fact` was found (`null` means it was not).
pub fn found(id: impl Into<String>, fact: Value) -> Vec<Resource> {
    if fact.is_null() { Vec::new() } else { vec![Resource { id: id.into(), fact }] }
}

/// Read each listed resource in full with its own call, keeping the list's order. The
/// reads go out together (the account's call limit still applies); `read` gives the
/// resource's fact, or `null` when it is gone (it is then left out).
pub async fn read_each<F, Fut>(listed: Vec<Resource>, read: F) -> Result<Vec<Resource>, CollectError>
where
    F: Fn(Resource) -> Fut,
    Fut: std::future::Future<Output = Result<Value, CollectError>>,
{
    let reads = listed.into_iter().map(|item| {
        let id = item.id.clone();
        futures::FutureExt::map(read(item), move |fact| fact.map(|fact| found(id, fact)))
    });
    Ok(futures::future::try_join_all(reads).await?.into_iter().flatten().collect())
}

/// A listed resource's fact with what its own Get call adds (the Get answer wins where
/// both speak). A Get that found nothing adds nothing.
pub fn with_detail(mut listed: Value, detail: Value) -> Value {
    if let (Some(fact), Value::Object(detail)) = (listed.as_object_mut(), detail) {
        fact.extend(detail);
    }
    listed
}

/// Keep the resources whose `field` equals the selector's `key`, when the key is given.
pub fn keep_named(resources: Vec<Resource>, selector: &Selector, key: &str, field: &str) -> Vec<Resource> {
    match selector.str(key) {
        Some(want) => {
            resources.into_iter().filter(|r| r.fact.get(field).and_then(Value::as_str) == Some(want)).collect()
        }
        None => resources,
    }
}

/// The newest resource by an ISO-8601 timestamp field, when `latest: true` is selected.
pub fn keep_latest(mut resources: Vec<Resource>, selector: &Selector, time_field: &str) -> Vec<Resource> {
    if !selector.flag("latest") {
        return resources;
    }
    let time = |r: &Resource| {
        r.fact
            .get(time_field)
            .and_then(Value::as_str)
            .and_then(|t| aws_smithy_types::DateTime::from_str(t, aws_smithy_types::date_time::Format::DateTime).ok())
            .map(|t| t.as_nanos())
            .unwrap_or(i128::MIN)
    };
    resources.sort_by_key(|r| std::cmp::Reverse(time(r)));
    resources.truncate(1);
    resources
}

/// Whether an operation only reads: the prefixes of AWS's read-only API verbs, and the
/// two pattern tests (they evaluate a pattern against sample data the call carries, and
/// store nothing).
pub fn is_read_operation(operation: &str) -> bool {
    let name = operation.split_once(':').map_or(operation, |(_, n)| n);
    ["Describe", "Get", "List", "BatchGet"].iter().any(|verb| name.starts_with(verb)) || is_pattern_test(operation)
}

/// Whether an operation evaluates only the data its call carries (a pattern against
/// samples): no build needs it, only grading.
pub fn is_pattern_test(operation: &str) -> bool {
    ["events:TestEventPattern", "logs:TestMetricFilter"].contains(&operation)
}

impl Kind {
    /// The operations a check with this selector may call.
    pub fn operations_for(&self, selector: &BTreeMap<String, Value>) -> impl Iterator<Item = &'static str> {
        let named = selector.contains_key("name");
        self.operations.iter().copied().filter(move |op| !(named && self.unnamed_only.contains(op)))
    }
}

/// A kind's `cli` as the command and the note after it in parentheses, if any:
/// `aws sqs get-queue-attributes ... (with QueueUrl)` is the command and `with QueueUrl`.
pub fn split_cli_note(cli: &str) -> (&str, Option<&str>) {
    match cli.rfind(" (") {
        Some(at) if cli.ends_with(')') => (&cli[..at], Some(&cli[at + 2..cli.len() - 1])),
        _ => (cli, None),
    }
}

/// The kinds as a Markdown table (the README's): name, selectors, the CLI command whose
/// output equals the fact.
pub fn kinds_markdown() -> String {
    let code = |text: &str| if text.contains('`') { format!("`` {text} ``") } else { format!("`{text}`") };
    let mut out = String::from("| kind | selectors | fact as printed by |\n| --- | --- | --- |\n");
    for kind in KINDS.iter() {
        let mut selectors: Vec<String> = Vec::new();
        if !kind.one_of.is_empty() {
            selectors.push(kind.one_of.iter().map(|k| code(k)).collect::<Vec<_>>().join(" or "));
        }
        for key in kind.selector.iter().filter(|k| !kind.one_of.contains(&k.name)) {
            selectors.push(format!("{}{}", code(key.name), if key.required { " (required)" } else { "" }));
        }
        let selectors = if selectors.is_empty() { "none".to_string() } else { selectors.join(", ") };
        // "command (note)": the note stays prose.
        let (command, note) = split_cli_note(kind.cli);
        let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
        out.push_str(&format!("| {} | {selectors} | {}{note} |\n", code(kind.name), code(command)));
    }
    out
}

/// Every operation any kind may call.
pub fn declared_operations() -> std::collections::BTreeSet<&'static str> {
    KINDS.iter().flat_map(|k| k.operations.iter().copied()).collect()
}

pub(crate) const LATEST: SelectorKey =
    SelectorKey { name: "latest", ty: SelectorType::Bool, required: false, doc: "only the newest one" };

/// Follow every page of a paginated call, turning each page into facts with `each`.
/// A `not_found` error code ends the listing with what was found (nothing, usually).
pub async fn all_pages<O, E>(
    operation: &str,
    mut pages: aws_smithy_async::future::pagination_stream::PaginationStream<
        Result<
            O,
            aws_smithy_runtime_api::client::result::SdkError<
                E,
                aws_smithy_runtime_api::client::orchestrator::HttpResponse,
            >,
        >,
    >,
    not_found: &[&str],
    mut each: impl FnMut(O) -> Vec<Value>,
) -> Result<Value, CollectError>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => out.extend(each(page)),
            Err(err) => {
                CollectError::classify(operation, err, not_found)?;
                break;
            }
        }
    }
    Ok(Value::Array(out))
}

/// Facts of every item in a slice.
pub fn facts<T: fact::ToFact>(items: &[T]) -> Vec<Value> {
    items.iter().map(fact::ToFact::to_fact).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_operation_is_a_read() {
        let writes: Vec<_> = declared_operations().into_iter().filter(|op| !is_read_operation(op)).collect();
        assert!(writes.is_empty(), "kinds declare operations that are not reads: {writes:?}");
        assert!(!is_read_operation("logs:PutRetentionPolicy"));
        assert!(!is_read_operation("config:DeleteConfigRule"));
        assert!(is_read_operation("config:BatchGetResourceConfig"));
        assert!(is_read_operation("events:TestEventPattern"));
        assert!(!is_read_operation("apigateway:TestInvokeMethod"), "a Test verb that runs something");
    }

    #[test]
    fn a_named_resource_needs_no_list_action() {
        let pipeline = kind("codepipeline.pipeline").unwrap();
        let named: Selector = [("name".to_string(), Value::from("p"))].into();
        assert_eq!(pipeline.operations_for(&named).collect::<Vec<_>>(), ["codepipeline:GetPipeline"]);
        assert_eq!(pipeline.operations_for(&Selector::new()).count(), 2);
    }

    #[test]
    fn kind_names_are_unique_and_declare_calls() {
        let mut names: Vec<_> = KINDS.iter().map(|k| k.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
        for kind in KINDS.iter() {
            assert!(!kind.operations.is_empty(), "{} declares no operation", kind.name);
            let prefix = kind.name.split('.').next().unwrap_or_default();
            assert!(kind.operations.iter().all(|op| op.contains(':')), "{}", kind.name);
            assert!(kind.unnamed_only.iter().all(|op| kind.operations.contains(op)), "{}", kind.name);
            assert!(!prefix.is_empty());
        }
    }
}
