//! Fault injection: a proxy between labcheck and moto throttles, fails, drops, slows
//! and denies chosen operations. Faults the SDK retries away leave every verdict as it
//! was; faults that outlive the retries are ERRORs naming their cause; no fault ever
//! makes a check FAIL or PASS; every run ends within its timeouts.

use crate::common;

use crate::common::proxy::{Fault, FaultProxy};
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use labcheck::collect::{Cause, Clients, Ctx};
use labcheck::grade::{GradeOptions, Status, grade_lab};
use labcheck::lab::{Lab, load_lab_dir};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

const LABS: &[&str] = &["labs/monitoring/metric-filter-alarm", "labs/security-compliance/config-rule-remediation"];

/// Credentials of an account on moto where both labs' solutions ran.
async fn solved_account() -> &'static aws_credential_types::Credentials {
    static CREDS: OnceCell<aws_credential_types::Credentials> = OnceCell::const_new();
    CREDS
        .get_or_init(|| async {
            let base = config(&common::moto(), Duration::from_secs(20)).await;
            let role = format!("arn:aws:iam::{}:role/faults", 220_000_000_000u64 + u64::from(std::process::id()));
            let a = labcheck::target::assume_role(&base, &role, "faults", None).await.unwrap();
            for lab in LABS {
                let lab_dir = common::repo().join(lab);
                let status = std::process::Command::new("bash")
                    .arg(lab_dir.join("solution.sh"))
                    .current_dir(&lab_dir)
                    .env("AWS_ACCESS_KEY_ID", &a.access_key_id)
                    .env("AWS_SECRET_ACCESS_KEY", &a.secret_access_key)
                    .env("AWS_SESSION_TOKEN", &a.session_token)
                    .env("AWS_ENDPOINT_URL", common::moto())
                    .env("AWS_DEFAULT_REGION", "us-east-1")
                    .env("AWS_REGION", "us-east-1")
                    .stdout(std::process::Stdio::null())
                    .status()
                    .unwrap();
                assert!(status.success(), "{lab}/solution.sh failed");
            }
            aws_credential_types::Credentials::new(
                a.access_key_id,
                a.secret_access_key,
                Some(a.session_token),
                None,
                "faults",
            )
        })
        .await
}

/// Short timeouts, so slow answers are tested in seconds; the SDK's standard retries.
async fn config(endpoint: &str, attempt: Duration) -> aws_types::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .credentials_provider(aws_credential_types::Credentials::new("test", "test", None, None, "tests"))
        .region(aws_types::region::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::standard().with_max_attempts(3).with_initial_backoff(Duration::from_millis(50)))
        .timeout_config(
            TimeoutConfig::builder().operation_attempt_timeout(attempt).operation_timeout(attempt * 4).build(),
        )
        .load()
        .await
}

type Verdicts = BTreeMap<String, (Status, Option<Cause>, String)>;

async fn grade_all(proxy: &FaultProxy) -> Verdicts {
    let creds = solved_account().await.clone();
    let conf = config(&proxy.url, Duration::from_secs(1))
        .await
        .into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .build();
    let ctx = Ctx::new(Clients::new(&conf));
    let mut verdicts = Verdicts::new();
    for lab in LABS {
        let lab: Lab = load_lab_dir(&common::repo().join(lab)).unwrap();
        for o in grade_lab(&lab, &ctx, &GradeOptions::default()).await.outcomes {
            verdicts.insert(format!("{}/{}", lab.id, o.id), (o.status, o.cause, o.message));
        }
    }
    verdicts
}

fn statuses(v: &Verdicts) -> BTreeMap<&str, Status> {
    v.iter().map(|(k, (s, _, _))| (k.as_str(), *s)).collect()
}

#[tokio::test]
async fn retried_faults_change_nothing() {
    common::needs_emulators!();
    let proxy = FaultProxy::start(&common::moto()).await;
    let baseline = grade_all(&proxy).await;
    assert!(baseline.values().all(|(s, _, _)| *s == Status::Pass), "the solved account passes: {baseline:#?}");
    // JSON (Logs, Config), query (IAM) and CBOR (CloudWatch) protocols.
    let cases: &[(&str, Fault)] = &[
        ("DescribeLogGroups", Fault::Throttle),
        ("DescribeMetricFilters", Fault::ServerError),
        ("DescribeConfigRules", Fault::Drop),
        ("DescribeRemediationConfigurations", Fault::Throttle),
        ("GetRole", Fault::Throttle),
        ("DescribeAlarms", Fault::ServerError),
        ("DescribeConfigurationRecorders", Fault::Slow(Duration::from_millis(1500))),
    ];
    for (op, fault) in cases {
        proxy.clear();
        proxy.plan(op, *fault, 2);
        let faulted = grade_all(&proxy).await;
        assert!(proxy.injected(op) >= 1, "{op}: no request was faulted");
        assert_eq!(statuses(&faulted), statuses(&baseline), "{fault:?} twice on {op} changed a verdict");
    }
}

#[tokio::test]
async fn faults_outliving_retries_are_errors_naming_the_cause() {
    common::needs_emulators!();
    let proxy = FaultProxy::start(&common::moto()).await;
    let baseline = grade_all(&proxy).await;
    let cases: &[(&str, Fault, Cause, &str)] = &[
        ("DescribeLogGroups", Fault::Throttle, Cause::Throttled, "logs:DescribeLogGroups"),
        ("DescribeMetricFilters", Fault::ServerError, Cause::Service, "logs:DescribeMetricFilters"),
        ("DescribeConfigRules", Fault::Deny, Cause::AccessDenied, "config:DescribeConfigRules"),
        ("GetRole", Fault::Deny, Cause::AccessDenied, "iam:GetRole"),
        ("DescribeAlarms", Fault::Drop, Cause::Unreachable, "cloudwatch:DescribeAlarms"),
        (
            "DescribeConfigurationRecorders",
            Fault::Slow(Duration::from_secs(3)),
            Cause::Timeout,
            "config:DescribeConfigurationRecorders",
        ),
    ];
    for (op, fault, cause, named) in cases {
        proxy.clear();
        proxy.plan(op, *fault, usize::MAX);
        let started = Instant::now();
        let faulted = grade_all(&proxy).await;
        assert!(started.elapsed() < Duration::from_secs(30), "{fault:?} on {op}: the run took {:?}", started.elapsed());
        let errors: Vec<_> = faulted.iter().filter(|(_, (s, _, _))| *s == Status::Error).collect();
        assert!(!errors.is_empty(), "{fault:?} on {op}: no ERROR");
        for (check, (_, c, message)) in &errors {
            assert_eq!(c.as_ref(), Some(cause), "{check}: {message}");
            assert!(message.starts_with(named), "{check}: {message}");
        }
        for (check, (status, _, message)) in &faulted {
            let before = baseline[check].0;
            assert!(
                *status == before || matches!(status, Status::Error | Status::Skip),
                "{fault:?} on {op} turned {check} from {before:?} into {status:?}: {message}"
            );
        }
    }
}
