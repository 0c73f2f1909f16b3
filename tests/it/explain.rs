//! `labcheck explain`: what a learner sees, snapshot-tested on AWS's answers recorded by
//! hand (no emulator), and end to end against moto, where every check of a lab must get
//! from explain the verdict `run` gives it.

use crate::common;
use common::labcheck;
use labcheck::collect::Ctx;
use labcheck::explain::{Explanation, explain, find_check};
use labcheck::grade::{self, GradeOptions, Status};
use labcheck::lab::Lab;
use labcheck::lab::scenario::RecordedAnswer;
use labcheck::target::TargetInfo;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

/// Clients that answer each call with the body of the first answer whose text the
/// request (its `X-Amz-Target` header and body) holds.
fn replaying_json(answers: Vec<(&str, Value)>) -> labcheck::collect::Ctx {
    let answers = answers
        .into_iter()
        .map(|(request, body)| RecordedAnswer { request: request.into(), http_status: 200, body: body.to_string() })
        .collect();
    common::replaying(answers)
}

fn lab(id: &str) -> Lab {
    let loaded = labcheck::lab::load_labs(&common::repo().join("labs"));
    loaded.find(id).expect("a lab of labs/").clone()
}

const MONITORING: &str = "monitoring-metric-filter-alarm";
const FANOUT: &str = "incident-response-eventbridge-fanout";

fn filter(name: &str, pattern: &str, metric: &str, value: &str) -> Value {
    json!({"filterName": name, "filterPattern": pattern, "logGroupName": "/labcheck/app", "creationTime": 1,
           "metricTransformations": [{"metricName": metric, "metricNamespace": "LabCheck/App", "metricValue": value}]})
}

/// The monitoring lab half built: the log group kept 14 days, and two metric filters:
/// a draft whose lowercase pattern matches the wrong lines, and `app-errors`, whose
/// pattern is right but which publishes 2 per line.
fn monitoring_account(filters: Vec<Value>) -> Ctx {
    let matches =
        |numbers: &[u32]| json!({"matches": numbers.iter().map(|n| json!({"eventNumber": n})).collect::<Vec<_>>()});
    replaying_json(vec![
        (
            "DescribeLogGroups",
            json!({"logGroups": [{"logGroupName": "/labcheck/app", "retentionInDays": 14, "storedBytes": 0}]}),
        ),
        ("DescribeMetricFilters", json!({ "metricFilters": filters })),
        (r#""filterPattern":"\"error\"""#, matches(&[6])),
        (r#""filterPattern":"{ $.level"#, matches(&[1, 2])),
    ])
}

fn both_filters() -> Vec<Value> {
    vec![
        filter("draft", "\"error\"", "Draft", "1"),
        filter("app-errors", r#"{ $.level = "ERROR" || $.status >= 500 }"#, "ApplicationErrors", "2"),
    ]
}

/// The fan-out lab's rule, and a queue whose policy lets EventBridge send from any rule.
fn fanout_account() -> Ctx {
    let rule_arn = "arn:aws:events:us-east-1:111122223333:rule/labcheck-ir-health-events";
    let queue_arn = "arn:aws:sqs:us-east-1:111122223333:labcheck-ir-health-queue";
    let pattern = json!({"source": ["aws.health"], "detail-type": ["AWS Health Event"]}).to_string();
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": queue_arn}]});
    replaying_json(vec![
        (
            "DescribeRule",
            json!({"Name": "labcheck-ir-health-events", "Arn": rule_arn, "EventPattern": pattern,
                   "State": "DISABLED", "EventBusName": "default"}),
        ),
        (
            "GetQueueUrl",
            json!({"QueueUrl": "https://sqs.us-east-1.amazonaws.com/111122223333/labcheck-ir-health-queue"}),
        ),
        ("GetQueueAttributes", json!({"Attributes": {"QueueArn": queue_arn, "Policy": policy.to_string()}})),
    ])
}

async fn explained(lab_id: &str, check: &str, ctx: &Ctx) -> Explanation {
    let lab = lab(lab_id);
    let check = find_check(&lab, check).unwrap();
    explain(&lab, check, ctx, &GradeOptions::default(), false).await
}

/// What the learner sees, colours stripped as on a pipe.
fn seen(e: &Explanation) -> String {
    let target = TargetInfo { profile: None, region: Some("us-east-1".into()), endpoint: None };
    anstream::adapter::strip_str(&labcheck::report::explain::render(e, &target)).to_string()
}

#[tokio::test]
async fn a_pass_shows_the_value_it_read() {
    let e = explained(MONITORING, "log-group-retention", &monitoring_account(both_filters())).await;
    assert_eq!(e.outcome.status, Status::Pass);
    insta::assert_snapshot!(seen(&e));
}

#[tokio::test]
async fn a_fail_says_pass_or_fail_per_expectation_and_which_captures_it_used() {
    let e = explained(MONITORING, "metric-filter-custom-metric", &monitoring_account(both_filters())).await;
    assert_eq!(e.outcome.status, Status::Fail);
    let verdicts: Vec<bool> = e.resources[0].expectations.iter().map(|f| f.ok).collect();
    assert_eq!(verdicts, [true, false]);
    insta::assert_snapshot!(seen(&e));
}

#[tokio::test]
async fn a_capturing_check_names_its_candidates_and_what_it_captured() {
    let e = explained(MONITORING, "metric-filter-on-log-group", &monitoring_account(both_filters())).await;
    assert_eq!(e.resources.len(), 2);
    assert_eq!(e.captured["filter_name"], json!("app-errors"), "the candidate the chain was graded with");
    insta::assert_snapshot!(seen(&e));
}

#[tokio::test]
async fn a_sample_event_check_shows_each_sample() {
    let draft_only = vec![filter("draft", "\"error\"", "Draft", "1")];
    let e = explained(MONITORING, "metric-filter-matches-errors", &monitoring_account(draft_only)).await;
    assert_eq!(e.outcome.status, Status::Fail);
    assert_eq!(e.samples.iter().filter(|s| !s.ok).count(), 3);
    insta::assert_snapshot!(seen(&e));
}

#[tokio::test]
async fn a_policy_question_shows_what_was_asked_of_which_policy() {
    let e = explained(FANOUT, "queue-policy-scoped-to-rule", &fanout_account()).await;
    assert_eq!(e.outcome.status, Status::Fail);
    assert_eq!(e.policy_questions.len(), 3);
    insta::assert_snapshot!(seen(&e));
}

#[tokio::test]
async fn a_skipped_check_says_which_need_failed() {
    let e = explained(MONITORING, "metric-filter-custom-metric", &monitoring_account(vec![])).await;
    assert_eq!(e.outcome.status, Status::Skip);
    assert_eq!(e.needs[0].status, Status::Skip);
    insta::assert_snapshot!(seen(&e));
}

#[tokio::test]
async fn the_json_shape_is_stable() {
    let e = explained(FANOUT, "rule-enabled-on-default-bus", &fanout_account()).await;
    insta::assert_json_snapshot!(e);
}

/// Every check of a lab gets from explain the verdict `run` gives it, on an account
/// where some pass, some fail, some are skipped and some err.
#[tokio::test]
async fn explain_gives_the_verdict_run_gives() {
    for (lab_id, ctx) in [
        (MONITORING, monitoring_account(both_filters())),
        (MONITORING, monitoring_account(vec![filter("draft", "\"error\"", "Draft", "1")])),
        (FANOUT, fanout_account()),
    ] {
        let lab = lab(lab_id);
        let run = grade::grade_lab(&lab, &ctx.fresh(), &GradeOptions::default()).await;
        for (check, graded) in lab.checks.iter().zip(&run.outcomes) {
            let e = explain(&lab, check, &ctx.fresh(), &GradeOptions::default(), false).await;
            assert_eq!(
                (e.outcome.status, &e.outcome.message),
                (graded.status, &graded.message),
                "{lab_id} {}",
                check.id
            );
            assert_eq!(e.note, None, "{lab_id} {}: the facts are those graded", check.id);
            if let Some(about) = e.resources.iter().find(|c| c.verdict) {
                assert_eq!(about.meets_all, e.outcome.status == Status::Pass, "{lab_id} {}", check.id);
            }
        }
    }
}

#[test]
fn an_unknown_check_lists_the_labs_checks_and_the_closest() {
    let lab = lab(MONITORING);
    let err = find_check(&lab, "log-group-retension").unwrap_err();
    assert!(err.starts_with("lab `monitoring-metric-filter-alarm` has no check `log-group-retension` (did you mean `log-group-retention`?); its checks: log-group-retention, metric-filter-on-log-group,"), "{err}");
}

/// The account on moto, of its own (earlier runs on the same server do not leak in).
async fn moto_account() -> &'static Vec<(String, String)> {
    static ENV: OnceCell<Vec<(String, String)>> = OnceCell::const_new();
    let role = format!("arn:aws:iam::{}:role/explain", 250_000_000_000u64 + u64::from(std::process::id()));
    ENV.get_or_init(|| async move { common::half_built_monitoring_account(&role, "explain").await }).await
}

/// `labcheck ARGS...` in the moto account: its exit code and stdout.
async fn labcheck_on_moto(args: &[&str]) -> (i32, String) {
    let env = moto_account().await.clone();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let out = labcheck().envs(env).args(&args).output().unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
    })
    .await
    .unwrap()
}

fn snapshot_from_moto(name: &str, text: &str) {
    insta::with_settings!({filters => vec![(r"endpoint http://127\.0\.0\.1:\d+", "endpoint [moto]")]}, {
        insta::assert_snapshot!(name, text);
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_a_pass_and_a_fail() {
    common::needs_emulators!();
    let (code, pass) = labcheck_on_moto(&["explain", MONITORING, "log-group-retention"]).await;
    assert_eq!(code, 0, "{pass}");
    snapshot_from_moto("explain_pass", &pass);
    let (code, fail) = labcheck_on_moto(&["explain", MONITORING, "metric-filter-matches-errors"]).await;
    assert_eq!(code, 1, "{fail}");
    snapshot_from_moto("explain_fail", &fail);
}

/// Each check's status and message are `run`'s, and so is the exit code for it alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_gives_every_check_the_verdict_run_gives_on_moto() {
    common::needs_emulators!();
    let (_, run) = labcheck_on_moto(&["run", MONITORING, "--format", "json"]).await;
    let run: labcheck::report::v1::Report = serde_json::from_str(&run).unwrap();
    for check in &run.labs[0].checks {
        let (code, out) = labcheck_on_moto(&["explain", MONITORING, &check.id, "--format", "json"]).await;
        let explained: Value = serde_json::from_str(&out).unwrap();
        let status = serde_json::to_value(check.status).unwrap();
        assert_eq!(
            (&explained["graded"]["status"], &explained["graded"]["message"]),
            (&status, &json!(check.message)),
            "{}",
            check.id
        );
        let expected_code = match check.status {
            labcheck::report::v1::Status::Pass => 0,
            labcheck::report::v1::Status::Error => 2,
            _ => 1,
        };
        assert_eq!(code, expected_code, "{}", check.id);
    }
}

#[test]
fn an_unknown_check_is_bad_input_listing_the_labs_checks() {
    let out = labcheck().args(["explain", MONITORING, "log-group-retension"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "error: lab `monitoring-metric-filter-alarm` has no check `log-group-retension` (did you mean \
             `log-group-retention`?); its checks: log-group-retention, "
        ),
        "{stderr}"
    );
    let out = labcheck().args(["explain", "monitoring-metric-filter-alarms", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `monitoring-metric-filter-alarm`?"));
}
