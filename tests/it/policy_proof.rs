//! `labcheck policy` is enough, and no more, proven on a moto that enforces IAM.
//!
//! `tests/run.sh` starts a third moto (LABCHECK_MOTO_IAM_ENDPOINT) with
//! `INITIAL_NO_AUTH_ACTION_COUNT=3`: moto 5.2.5 serves that many requests without
//! looking at them, and from then on every request must be SigV4-signed with the access
//! key of an IAM user (or an assumed role) it knows, and is allowed only if that
//! principal's IAM policies allow it (moto/core/authorization.py,
//! moto/iam/access_control.py). This test:
//!
//! 1. spends the three free requests on an admin user (`"Action": "*"`) and its keys;
//! 2. runs every lab's `solution.sh` as that admin, so every check would pass (moto
//!    checks the signatures of bodiless REST requests, such as Lambda's GETs, over the
//!    empty payload only with labcheck's extension `moto_ext/iam_signatures.py`);
//! 3. grades every lab as a grader user whose only policy is `labcheck policy` (plus
//!    the emulator's aliases, below), with the binary and in-process: every check passes,
//!    and also as a role assumed with an external ID, like `labcheck policy --format
//!    cloudformation` sets up;
//! 4. for each action of the policy, grades as a grader whose policy lacks just that
//!    action, on the labs whose grading sends it: some check is an ERROR naming it
//!    (cause `access_denied`), none is a FAIL.
//!
//! How moto decides: the action it checks is `<service of the request's SigV4 credential
//! scope>:<operation>`, so a service whose signing name differs from its IAM prefix is
//! checked under the signing name (see [`MOTO_SIGNING_NAMES`]). Policies are matched on
//! `Action`/`NotAction` and `Effect` (an explicit Deny wins); `Resource` is compared with
//! `*` for these services; `sts:GetCallerIdentity` is always allowed.

use crate::common;

use aws_config::BehaviorVersion;
use aws_credential_types::Credentials;
use labcheck::collect::record::CallLog;
use labcheck::collect::{Clients, Ctx};
use labcheck::grade::{GradeOptions, Status, grade_lab};
use labcheck::lab::{Lab, load_labs};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Requests moto serves before it enforces IAM: create-user, put-user-policy and
/// create-access-key for the admin. tests/run.sh starts the server with this count.
const UNAUTHENTICATED_REQUESTS: u32 = 3;

/// (IAM prefix, SigV4 signing name) of the services labcheck reads, where they differ.
/// moto names the action after the signing name, so on moto alone `cloudwatch:X` is
/// checked as `monitoring:X` (CloudWatch signs as `monitoring`, in the Rust SDK and the
/// AWS CLI alike). CloudFormation, CodePipeline, Config, IAM and Logs sign with their
/// IAM prefix. Real IAM knows only `cloudwatch:`; the aliases go into the emulator's
/// copy of the policy, never into `labcheck policy`.
const MOTO_SIGNING_NAMES: &[(&str, &str)] = &[("cloudwatch", "monitoring")];

/// Actions moto 5.2.5 checks under another name. Its S3 authorizer names a bucket GET
/// after the query parameter through a table (moto/s3/responses.py `ACTION_MAP`) that
/// lacks `encryption` and `replication` and spells `publicAccessBlock` otherwise, so
/// those requests are checked as `s3:ListBucket`. S3 Control signs as `s3` and moto
/// names its action after the operation (moto/iam/access_control.py), so the account's
/// GetPublicAccessBlock is checked as `s3:GetPublicAccessBlock`, where IAM says
/// `s3:GetAccountPublicAccessBlock`. Aliases go into the emulator's copy of the policy only.
const MOTO_ACTION_ALIASES: &[(&str, &str)] = &[
    ("s3:GetEncryptionConfiguration", "s3:ListBucket"),
    ("s3:GetBucketPublicAccessBlock", "s3:ListBucket"),
    ("s3:GetReplicationConfiguration", "s3:ListBucket"),
    ("s3:GetAccountPublicAccessBlock", "s3:GetPublicAccessBlock"),
];

/// Actions the policy grants that grading these labs never sends. None: a kind's List
/// action (needed only when a check names no resource) is left out of the policy for
/// checks that name theirs.
const ONLY_FOR_UNNAMED_SELECTORS: &[&str] = &[];

/// The action moto checks instead of `action`, if any.
fn moto_alias(action: &str) -> Option<String> {
    if let Some((_, alias)) = MOTO_ACTION_ALIASES.iter().find(|(iam, _)| *iam == action) {
        return Some(alias.to_string());
    }
    let (prefix, operation) = action.split_once(':')?;
    MOTO_SIGNING_NAMES.iter().find(|(iam, _)| *iam == prefix).map(|(_, signing)| format!("{signing}:{operation}"))
}

/// Whether moto cannot tell that `action` is missing: another action of the policy has
/// the same alias, which stays in the emulator's policy.
fn removal_unobservable_on_moto(action: &str, actions: &[String]) -> bool {
    let alias = moto_alias(action);
    alias.is_some() && actions.iter().any(|other| other != action && moto_alias(other) == alias)
}

fn sdk_config(endpoint: &str, creds: Credentials) -> aws_types::SdkConfig {
    aws_types::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .region(aws_types::region::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .build()
}

/// POST to moto's own API (`/moto-api/...`), which is never authenticated nor counted.
fn moto_api(endpoint: &str, path: &str, body: &str) -> String {
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap_or_else(|e| panic!("cannot reach {endpoint}: {e}"));
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "POST {path} on {endpoint}: {response}");
    response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
}

/// Start from an empty server that again serves its first requests unauthenticated,
/// so that the test can run more than once against the same server.
fn rearm(endpoint: &str) {
    let said = moto_api(endpoint, "/moto-api/reset-auth", &UNAUTHENTICATED_REQUESTS.to_string());
    let previous: Value = serde_json::from_str(&said).unwrap();
    let previous = previous["PREVIOUS_INITIAL_NO_AUTH_ACTION_COUNT"].as_str().unwrap_or_default().to_string();
    assert!(
        previous.parse::<f64>().is_ok_and(f64::is_finite),
        "the moto at {endpoint} did not enforce IAM (INITIAL_NO_AUTH_ACTION_COUNT was {previous}): start it with \
         INITIAL_NO_AUTH_ACTION_COUNT={UNAUTHENTICATED_REQUESTS}, as tests/run.sh does"
    );
    moto_api(endpoint, "/moto-api/reset", "");
}

/// An IAM user with `policy` as its one inline policy, and its access key.
///
/// Inline, because moto 5.2.5 evaluates a user's inline policies, its attached managed
/// policies and its groups' policies alike (`IAMUserAccessKey.collect_policies`), and
/// an inline policy is one call (`PutUserPolicy`), which matters while requests are
/// counted. Managed policies would work as well.
async fn create_user(iam: &aws_sdk_iam::Client, name: &str, policy: &Value) -> (Credentials, String) {
    let user = iam.create_user().user_name(name).send().await.unwrap_or_else(|e| panic!("create user {name}: {e:?}"));
    iam.put_user_policy()
        .user_name(name)
        .policy_name("labcheck")
        .policy_document(policy.to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("put policy of {name}: {e:?}"));
    let key = iam.create_access_key().user_name(name).send().await.unwrap_or_else(|e| panic!("key {name}: {e:?}"));
    let key = key.access_key().unwrap();
    let arn = user.user().map(|u| u.arn().to_string()).unwrap_or_default();
    (Credentials::new(key.access_key_id(), key.secret_access_key(), None, None, "moto-iam-user"), arn)
}

/// `policy` without `removed` (and its alias), with the emulator's aliases of the rest.
fn emulator_policy(policy: &Value, removed: Option<&str>) -> Value {
    let mut doc = policy.clone();
    let actions = doc["Statement"][0]["Action"].as_array_mut().expect("one statement with an Action list");
    actions.retain(|a| Some(a.as_str().unwrap()) != removed);
    let aliases: Vec<Value> = actions.iter().filter_map(|a| moto_alias(a.as_str().unwrap())).map(Value::from).collect();
    actions.extend(aliases);
    doc
}

/// The environment of a solution script: the admin's keys, the endpoint, the lab's
/// params upper-cased (as `labcheck selftest` runs them). The AWS CLI is the one on PATH,
/// which `tests/run.sh` makes the pinned one.
fn script_env(lab: &Lab, endpoint: &str, admin: &Credentials) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = vec![
        ("AWS_ACCESS_KEY_ID".into(), admin.access_key_id().into()),
        ("AWS_SECRET_ACCESS_KEY".into(), admin.secret_access_key().into()),
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_DEFAULT_REGION".into(), "us-east-1".into()),
        ("AWS_ENDPOINT_URL".into(), endpoint.into()),
        ("AWS_PAGER".into(), String::new()),
        ("AWS_CONFIG_FILE".into(), "/dev/null".into()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), "/dev/null".into()),
    ];
    env.extend(labcheck::selftest::param_env(lab));
    env
}

async fn run_solution(lab: &Lab, env: Vec<(String, String)>) -> Result<(), String> {
    let dir = std::fs::canonicalize(lab.file.parent().unwrap()).unwrap();
    let mut cmd = tokio::process::Command::new("bash");
    cmd.arg("solution.sh").current_dir(&dir).stdin(std::process::Stdio::null()).kill_on_drop(true);
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") {
            cmd.env_remove(key);
        }
    }
    cmd.envs(env);
    let out = tokio::time::timeout(Duration::from_secs(300), cmd.output())
        .await
        .map_err(|_| format!("{}: solution.sh ran longer than 300 s", lab.id))?
        .map_err(|e| format!("{}: solution.sh could not start: {e}", lab.id))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}: solution.sh failed ({}):\n{}", lab.id, out.status, String::from_utf8_lossy(&out.stderr)))
    }
}

/// `labcheck run` of every lab as `creds`, with the JSON report and the exit code.
fn grade_with_binary(endpoint: &str, labs: &[String], creds: &Credentials) -> (i32, Value) {
    let mut cmd = common::labcheck();
    cmd.arg("run").args(labs).args(["--format", "json", "--max-wait", "5", "--endpoint-url", endpoint]);
    cmd.env("AWS_ACCESS_KEY_ID", creds.access_key_id()).env("AWS_SECRET_ACCESS_KEY", creds.secret_access_key());
    if let Some(token) = creds.session_token() {
        cmd.env("AWS_SESSION_TOKEN", token);
    }
    let out = cmd.output().expect("run labcheck");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not a JSON report ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

/// Every check of a JSON report: (lab/check, status, cause, message).
/// `lab/check` of the checks the labs declare moto cannot show: they fail on moto
/// whatever the policy, so the proof leaves them out (recorded answers prove them).
type Gaps = BTreeSet<String>;

fn moto_gaps(labs: &[Lab]) -> Gaps {
    labs.iter()
        .flat_map(|lab| lab.checks.iter().filter(|c| !c.emulated_on("moto")).map(|c| format!("{}/{}", lab.id, c.id)))
        .collect()
}

fn checks(report: &Value, gaps: &Gaps) -> Vec<(String, String, String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    report["labs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|lab| {
            lab["checks"].as_array().unwrap().iter().map(move |c| {
                (
                    format!("{}/{}", text(&lab["id"]), text(&c["id"])),
                    text(&c["status"]),
                    text(&c["cause"]),
                    text(&c["message"]),
                )
            })
        })
        .filter(|(id, ..)| !gaps.contains(id))
        .collect()
}

fn assert_all_pass(who: &str, code: i32, report: &Value, gaps: &Gaps) {
    let not_passed: Vec<_> = checks(report, gaps).into_iter().filter(|c| c.1 != "PASS").collect();
    assert!(not_passed.is_empty(), "as {who}, these checks did not pass: {not_passed:#?}");
    let graded_gaps = report["labs"].as_array().unwrap().iter().any(|lab| {
        let lab_id = lab["id"].as_str().unwrap_or_default();
        gaps.iter().any(|gap| gap.starts_with(&format!("{lab_id}/")))
    });
    assert_eq!(code, if graded_gaps { 1 } else { 0 }, "as {who}: exit code (1 when a check moto cannot show fails)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn policy_is_enough_and_no_more_on_iam_enforcing_moto() {
    common::needs_emulators!();
    let started = Instant::now();
    let lap = |what: &str| eprintln!("policy_proof: {what} at {:.1} s", started.elapsed().as_secs_f64());
    let endpoint = common::endpoint("LABCHECK_MOTO_IAM_ENDPOINT");
    let loaded = load_labs(&common::repo().join("labs"));
    assert!(loaded.diagnostics.is_empty(), "labs do not validate: {:?}", loaded.diagnostics);
    let gaps = moto_gaps(&loaded.labs);
    let labs: Vec<&Lab> = loaded.labs.iter().collect();
    let lab_ids: Vec<String> = labs.iter().map(|l| l.id.clone()).collect();
    eprintln!("policy_proof: {} labs", labs.len());

    // 1. The admin, with the requests moto serves unauthenticated (their signature,
    //    "test"/"test", is not looked at).
    rearm(&endpoint);
    let anonymous = sdk_config(&endpoint, Credentials::new("test", "test", None, None, "anonymous"));
    let everything =
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    let (admin, admin_arn) = create_user(&aws_sdk_iam::Client::new(&anonymous), "labcheck-admin", &everything).await;
    // From here on, moto enforces IAM: keys it does not know are refused.
    let refused = aws_sdk_iam::Client::new(&anonymous).list_users().send().await.expect_err("moto enforces IAM");
    // (moto wraps its auth errors in <Errors>, which the SDK does not parse: read the body.)
    let body = refused.raw_response().and_then(|r| r.body().bytes()).map(String::from_utf8_lossy).unwrap_or_default();
    assert!(body.contains("<Code>InvalidClientTokenId</Code>"), "{refused:?}");
    let admin_conf = sdk_config(&endpoint, admin.clone());
    let iam = aws_sdk_iam::Client::new(&admin_conf);

    // 2. Every lab's solution, as the admin, four at a time (one account: the labs name
    //    their resources apart; more at once only makes each one slower on two cores).
    use futures::StreamExt;
    let solutions: Vec<Result<(), String>> =
        futures::stream::iter(labs.iter().map(|lab| run_solution(lab, script_env(lab, &endpoint, &admin))))
            .buffer_unordered(4)
            .collect()
            .await;
    let failed: Vec<String> = solutions.into_iter().filter_map(Result::err).collect();
    assert!(failed.is_empty(), "solutions failed as the admin:\n{}", failed.join("\n"));
    lap("solutions applied");

    // 3. The policy exactly as `labcheck policy` prints it, for every lab.
    let out = common::labcheck().arg("policy").args(&lab_ids).output().unwrap();
    assert!(out.status.success(), "labcheck policy: {}", String::from_utf8_lossy(&out.stderr));
    let policy: Value = serde_json::from_slice(&out.stdout).unwrap();
    let actions: Vec<String> =
        policy["Statement"][0]["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
    let aliases: Vec<String> = actions.iter().filter_map(|a| moto_alias(a)).collect();
    let aliases: BTreeSet<&str> = aliases.iter().map(String::as_str).collect();
    let known_aliases = BTreeSet::from([
        "monitoring:DescribeAlarms",
        "monitoring:GetDashboard",
        "s3:GetPublicAccessBlock",
        "s3:ListBucket",
    ]);
    assert!(aliases.is_subset(&known_aliases), "the emulator aliases this test adds: {aliases:?}");

    // One grader per variant: the whole policy, then the policy less one action.
    let mut graders = vec![(None, create_user(&iam, "grader-full", &emulator_policy(&policy, None)).await.0)];
    for (i, action) in actions.iter().enumerate() {
        let user = format!("grader-without-{i}");
        let creds = create_user(&iam, &user, &emulator_policy(&policy, Some(action))).await.0;
        graders.push((Some(action.clone()), creds));
    }
    // And a role like the CloudFormation template's: the policy inline, assumable by
    // one principal with an external ID (moto checks the trust policy's principal and
    // its sts:ExternalId condition on AssumeRole).
    let trust = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": admin_arn}, "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "labcheck-proof"}}}]});
    let role = iam
        .create_role()
        .role_name("labcheck-grader")
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .unwrap();
    let role_arn = role.role().unwrap().arn().to_string();
    iam.put_role_policy()
        .role_name("labcheck-grader")
        .policy_name("labcheck-read-only")
        .policy_document(emulator_policy(&policy, None).to_string())
        .send()
        .await
        .unwrap();
    let wrong_id = labcheck::target::assume_role(&admin_conf, &role_arn, "grader", Some("wrong")).await;
    assert!(wrong_id.is_err(), "moto let the role be assumed with the wrong external ID");
    let assumed =
        labcheck::target::assume_role(&admin_conf, &role_arn, "grader", Some("labcheck-proof")).await.unwrap();
    let role_creds = Credentials::new(
        &assumed.access_key_id,
        &assumed.secret_access_key,
        Some(assumed.session_token.clone()),
        None,
        "moto-assumed-role",
    );
    lap("graders created");

    // In-process, to record what grading each lab sends: every check passes with the policy.
    let opts = GradeOptions { max_wait: Some(Duration::from_secs(5)), ..GradeOptions::default() };
    let mut sent_by_lab: Vec<(String, BTreeSet<String>)> = Vec::new();
    for lab in &labs {
        let log = CallLog::default();
        let ctx = Ctx::new(Clients::with_log(&sdk_config(&endpoint, graders[0].1.clone()), log.clone()));
        let result = grade_lab(lab, &ctx, &opts).await;
        // A check moto cannot show (declared by the lab) fails on moto whatever the policy.
        for o in result.outcomes.iter().filter(|o| lab.check(&o.id).is_some_and(|c| c.emulated_on("moto"))) {
            assert_eq!(o.status, Status::Pass, "{}/{} with the policy: {}", lab.id, o.id, o.message);
        }
        // What needs no permission (sts:GetCallerIdentity) is not in the policy, and no
        // policy can deny it.
        let needing_permission =
            log.operations().into_keys().filter(|op| !labcheck::policy::NEEDS_NO_PERMISSION.contains(&op.as_str()));
        sent_by_lab.push((lab.id.clone(), needing_permission.collect()));
    }
    let sent: BTreeSet<String> = sent_by_lab.iter().flat_map(|(_, ops)| ops.iter().cloned()).collect();
    let declared: BTreeSet<String> = actions.iter().cloned().collect();
    assert!(sent.is_subset(&declared), "grading sent {sent:?}, beyond the policy {declared:?}");
    let unsent: Vec<&str> = declared.difference(&sent).map(String::as_str).collect();
    assert_eq!(unsent, ONLY_FOR_UNNAMED_SELECTORS, "actions of the policy that grading these labs does not send");
    // A variant without an action is graded on the labs whose grading sent it: on any
    // other lab the grader's requests are the same whatever the variant, and the full
    // policy already passes them all.
    let labs_sending = |action: &str| -> Vec<String> {
        sent_by_lab.iter().filter(|(_, ops)| ops.contains(action)).map(|(id, _)| id.clone()).collect()
    };

    // 4. The binary, four variants at a time (one moto serves them all).
    let variants = graders.into_iter().chain([(Some("role".to_string()), role_creds)]).map(|(removed, creds)| {
        let labs = match removed.as_deref() {
            // (An action no lab sends is graded everywhere: it must change nothing.)
            Some(action) if action != "role" && !labs_sending(action).is_empty() => labs_sending(action),
            _ => lab_ids.clone(),
        };
        let endpoint = endpoint.clone();
        tokio::task::spawn_blocking(move || (removed, grade_with_binary(&endpoint, &labs, &creds)))
    });
    let runs: Vec<_> = futures::stream::iter(variants).buffered(4).collect().await;
    let mut errored = BTreeSet::new();
    let mut unobservable = BTreeSet::new();
    for run in runs {
        let (removed, (code, report)) = run.unwrap();
        let removed = match removed.as_deref() {
            None => {
                assert_all_pass("the grader with `labcheck policy`", code, &report, &gaps);
                continue;
            }
            Some("role") => {
                assert_all_pass("the grader role with `labcheck policy`", code, &report, &gaps);
                continue;
            }
            Some(action) => action.to_string(),
        };
        let who = format!("the grader without {removed}");
        let all = checks(&report, &gaps);
        if ONLY_FOR_UNNAMED_SELECTORS.contains(&removed.as_str()) {
            assert_all_pass(&who, code, &report, &gaps);
            continue;
        }
        if removal_unobservable_on_moto(&removed, &actions) {
            assert_all_pass(&who, code, &report, &gaps);
            unobservable.insert(removed);
            continue;
        }
        let errors: Vec<_> = all.iter().filter(|c| c.1 == "ERROR").collect();
        assert!(!errors.is_empty(), "as {who}, no check is an ERROR: {all:#?}");
        for (id, _, cause, message) in &errors {
            assert_eq!(cause, "access_denied", "as {who}, {id}: {message}");
            assert!(message.starts_with(&format!("{removed}: access denied")), "as {who}, {id}: {message}");
        }
        for (id, status, _, message) in &all {
            match status.as_str() {
                "PASS" | "ERROR" => {}
                "SKIP" => assert!(message.contains("did not pass"), "as {who}, {id} SKIP: {message}"),
                other => panic!("as {who}, {id} is {other}: {message}"),
            }
        }
        assert_eq!(code, 2, "as {who}: exit code");
        let ids: Vec<&str> = errors.iter().map(|c| c.0.as_str()).collect();
        eprintln!("policy_proof: without {removed}: ERROR {}", ids.join(", "));
        errored.insert(removed);
    }
    let expected: BTreeSet<String> = sent.difference(&unobservable).cloned().collect();
    assert_eq!(errored, expected, "every action grading sends is needed");
    let shared_alias: BTreeSet<String> = MOTO_ACTION_ALIASES.iter().map(|(action, _)| action.to_string()).collect();
    assert!(unobservable.is_subset(&shared_alias), "actions moto checks under one shared name: {unobservable:?}");
    lap(&format!("{} variants graded", actions.len() + 2));
}
