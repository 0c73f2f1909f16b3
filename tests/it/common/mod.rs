//! Shared by the integration tests: the emulator endpoints and the binary.
#![allow(dead_code)]

pub mod browser;
pub mod proxy;

use std::path::PathBuf;

/// What `bash tests/run.sh` sets: the emulators' endpoints.
const EMULATOR_VARS: [&str; 3] =
    ["LABCHECK_MOTO_ENDPOINT", "LABCHECK_MOTO_IAM_ENDPOINT", "LABCHECK_LOCALSTACK_ENDPOINT"];

/// Whether the emulators are running. Under a plain `cargo test` they are not: the test
/// says it is skipped and returns. `bash tests/run.sh` (and CI) set
/// `LABCHECK_REQUIRE_EMULATORS`, and then a missing emulator fails the test.
pub fn emulators_running() -> bool {
    let missing: Vec<&str> = EMULATOR_VARS.into_iter().filter(|var| std::env::var_os(var).is_none()).collect();
    if missing.is_empty() {
        return true;
    }
    let test = std::thread::current().name().unwrap_or("this test").to_string();
    let why =
        format!("{} not set: run the suite with `bash tests/run.sh`, which starts the emulators", missing.join(", "));
    assert!(std::env::var_os("LABCHECK_REQUIRE_EMULATORS").is_none(), "{test}: {why}");
    eprintln!("skipped {test}: it needs the emulators ({why})");
    false
}

/// Return from the test, saying it is skipped, when the emulators are not running.
macro_rules! needs_emulators {
    () => {
        if !$crate::common::emulators_running() {
            return;
        }
    };
}
pub(crate) use needs_emulators;

/// The endpoint of an emulator the test command started, from `var`.
/// `bash tests/run.sh` starts both emulators and sets these variables.
pub fn endpoint(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: run the suite with `bash tests/run.sh`, which installs and starts the emulators")
    })
}

pub fn moto() -> String {
    endpoint("LABCHECK_MOTO_ENDPOINT")
}

pub fn localstack() -> String {
    endpoint("LABCHECK_LOCALSTACK_ENDPOINT")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The labcheck binary, run from the repository root with emulator-style credentials
/// and nothing of the caller's AWS environment.
pub fn labcheck() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("labcheck").expect("binary");
    cmd.current_dir(repo());
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") || key == "LABCHECK_LABS" || key == "NO_COLOR" {
            cmd.env_remove(key);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "test").env("AWS_SECRET_ACCESS_KEY", "test").env("AWS_REGION", "us-east-1");
    cmd.env("AWS_CONFIG_FILE", "/dev/null").env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    cmd
}

/// An SDK configuration for an emulator: test credentials, us-east-1.
pub async fn emulator_config(endpoint: &str) -> aws_types::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .credentials_provider(aws_credential_types::Credentials::new("test", "test", None, None, "tests"))
        .region(aws_types::region::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .load()
        .await
}

/// A fresh account of its own on moto, reached through the role `account`'s id names:
/// the environment that reaches it.
pub async fn moto_account(account: u64, session: &str) -> Vec<(String, String)> {
    let conf = emulator_config(&moto()).await;
    let role = format!("arn:aws:iam::{account:012}:role/{session}");
    let a = labcheck::target::assume_role(&conf, &role, session, None).await.unwrap();
    vec![
        ("AWS_ACCESS_KEY_ID".into(), a.access_key_id),
        ("AWS_SECRET_ACCESS_KEY".into(), a.secret_access_key),
        ("AWS_SESSION_TOKEN".into(), a.session_token),
        ("AWS_ENDPOINT_URL".into(), moto()),
    ]
}

/// Build the lab's reference solution (`solution.sh`, through the AWS CLI) in the
/// account `env` reaches, as a learner would in another terminal.
pub async fn build_solution(lab_id: &str, env: &[(String, String)]) {
    let loaded = labcheck::lab::load_labs(&repo().join("labs"));
    let lab = loaded.find(lab_id).unwrap();
    let built = tokio::process::Command::new("bash")
        .arg("solution.sh")
        .current_dir(repo().join(lab.file.parent().unwrap()))
        .envs(env.iter().cloned())
        .envs([("AWS_REGION", "us-east-1"), ("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_PAGER", "")])
        .envs(labcheck::selftest::param_env(lab))
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .await
        .unwrap();
    assert!(built.status.success(), "{lab_id}'s solution.sh: {}", String::from_utf8_lossy(&built.stderr));
}

/// A learner's half-finished monitoring lab, in an account of its own on moto (reached
/// through `role`): the log group kept 14 days, and a metric filter whose pattern is
/// lowercase. The environment that reaches it.
pub async fn half_built_monitoring_account(role: &str, session: &str) -> Vec<(String, String)> {
    let conf = emulator_config(&moto()).await;
    let a = labcheck::target::assume_role(&conf, role, session, None).await.unwrap();
    let filter =
        Filter { name: "app-errors", pattern: "\"error\"", metric: "ApplicationErrors", namespace: "LabCheck/App" };
    build_log_group(&a.conf, Some(filter)).await;
    vec![
        ("AWS_ACCESS_KEY_ID".into(), a.access_key_id),
        ("AWS_SECRET_ACCESS_KEY".into(), a.secret_access_key),
        ("AWS_SESSION_TOKEN".into(), a.session_token),
        ("AWS_ENDPOINT_URL".into(), moto()),
    ]
}

/// A metric filter for the monitoring lab's log group.
pub struct Filter<'a> {
    pub name: &'a str,
    pub pattern: &'a str,
    pub metric: &'a str,
    pub namespace: &'a str,
}

/// The monitoring lab's first steps: `/labcheck/app` kept for 14 days, and a filter.
pub async fn build_log_group(conf: &aws_types::SdkConfig, filter: Option<Filter<'_>>) {
    let logs = aws_sdk_cloudwatchlogs::Client::new(conf);
    let _ = logs.create_log_group().log_group_name("/labcheck/app").send().await; // may exist
    logs.put_retention_policy().log_group_name("/labcheck/app").retention_in_days(14).send().await.unwrap();
    let Some(f) = filter else { return };
    let transformation = aws_sdk_cloudwatchlogs::types::MetricTransformation::builder()
        .metric_name(f.metric)
        .metric_namespace(f.namespace)
        .metric_value("1")
        .default_value(0.0)
        .build()
        .unwrap();
    logs.put_metric_filter()
        .log_group_name("/labcheck/app")
        .filter_name(f.name)
        .filter_pattern(f.pattern)
        .metric_transformations(transformation)
        .send()
        .await
        .unwrap();
}

/// Clients whose every call is answered from `answers`: the first answer whose `request`
/// text the request holds (its method and URI, `X-Amz-Target` header and body), else a
/// 400 that names the request, so a case missing an answer fails loudly.
pub fn replaying(answers: Vec<labcheck::lab::scenario::RecordedAnswer>) -> labcheck::collect::Ctx {
    use aws_credential_types::{Credentials, provider::SharedCredentialsProvider};
    let client = aws_smithy_http_client::test_util::infallible_client_fn(move |request| {
        let target = request.headers().get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let body = request.body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
        let text = format!("{} {}\n{target}\n{body}", request.method(), request.uri());
        match answers.iter().find(|a| text.contains(&a.request)) {
            Some(answer) => http::Response::builder().status(answer.http_status).body(answer.body.clone()).unwrap(),
            None => http::Response::builder()
                .status(400)
                .body(serde_json::json!({"__type": "NoRecordedAnswer", "message": text}).to_string())
                .unwrap(),
        }
    });
    let conf = aws_types::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_types::region::Region::new("us-east-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKID", "SECRET", None, None, "recorded",
        )))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .http_client(client)
        .build();
    labcheck::collect::Ctx::new(labcheck::collect::Clients::new(&conf))
}
