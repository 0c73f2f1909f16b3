//! Every lab proven against both emulators: an empty account fails each check (FAIL,
//! never ERROR), the reference solution passes every check, and each near miss fails
//! exactly the checks it names. The per-emulator tables in localstack/SUPPORT.md are
//! what these tests measured; a test fails when the file says otherwise.
//!
//! Set LABCHECK_UPDATE_SUPPORT=1 to rewrite the tables after a deliberate change.

use crate::common;

use labcheck::emulator::Emulator;
use labcheck::grade::{GradeOptions, Status, grade_lab};
use labcheck::lab::load_labs;
use labcheck::selftest::{LabProof, Prover, Verdict, render_table};
use std::path::Path;

const SCENARIOS_AT_ONCE: usize = 3;

/// Prove every lab but those in `skip`.
///
/// Both emulators are proven at once, each with [`SCENARIOS_AT_ONCE`] scenarios in
/// flight: on two cores, more only make every AWS CLI call slower (see [`Prover`]).
///
/// A lab broken on the first try is proven once more, alone, in fresh accounts: on two
/// busy cores an emulator now and then answers late or with an internal error (a new
/// account's Kinesis backend is a process of its own on LocalStack). A lab broken twice
/// fails the test; a retry that passes is printed, with what the first try saw.
async fn prove_labs(name: &str, endpoint: &str, skip: &[&str]) -> Vec<LabProof> {
    use futures::StreamExt;
    let loaded = load_labs(&common::repo().join("labs"));
    assert!(loaded.diagnostics.is_empty(), "labs do not validate: {:?}", loaded.diagnostics);
    let emulator = Emulator::new(common::emulator_config(endpoint).await).expect("a local emulator");
    let prover = Prover::new(emulator, std::time::Duration::from_secs(5), SCENARIOS_AT_ONCE).named(name);
    let labs: Vec<_> = loaded.labs.iter().filter(|lab| !skip.contains(&lab.id.as_str())).collect();
    let mut proofs: Vec<LabProof> =
        futures::stream::iter(labs.iter().map(|lab| prover.prove_lab(lab))).buffered(3).collect().await;
    for (lab, proof) in labs.iter().zip(proofs.iter_mut()) {
        if proof.is_broken() {
            let first = std::mem::replace(proof, prover.prove_lab(lab).await);
            eprintln!(
                "{} was broken on {endpoint} at the first try and {} at the second; the first try:\n{}",
                lab.id,
                if proof.is_broken() { "again" } else { "proven" },
                render_table(&[first], endpoint, false)
            );
        }
    }
    proofs
}

/// Compare the measured table with the one in localstack/SUPPORT.md between markers.
fn check_support_table(emulator: &str, proofs: &[LabProof]) {
    let path = common::repo().join("localstack/SUPPORT.md");
    let table = render_table(proofs, emulator, true);
    let begin = format!("<!-- {emulator}:begin -->\n");
    let end = format!("<!-- {emulator}:end -->");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let (Some(b), Some(e)) = (doc.find(&begin), doc.find(&end)) else {
        panic!("{} lacks the markers {begin:?} … {end:?}", path.display())
    };
    let current = &doc[b + begin.len()..e];
    if current == table {
        return;
    }
    if std::env::var("LABCHECK_UPDATE_SUPPORT").is_ok() {
        let updated = format!("{}{}{}", &doc[..b + begin.len()], table, &doc[e..]);
        std::fs::write(&path, updated).expect("write SUPPORT.md");
        return;
    }
    panic!(
        "localstack/SUPPORT.md is out of date for {emulator} (rerun with LABCHECK_UPDATE_SUPPORT=1 if the change is \
         deliberate).\nMeasured:\n{table}\nDocumented:\n{current}"
    );
}

/// Fails naming every broken lab, each with its own rows and problems first (a CI log
/// excerpt shows the cause), then the whole table.
fn assert_no_broken(emulator: &str, proofs: &[LabProof]) {
    let broken: Vec<&LabProof> = proofs.iter().filter(|p| p.is_broken()).collect();
    if broken.is_empty() {
        return;
    }
    let names: Vec<&str> = broken.iter().map(|p| p.lab.as_str()).collect();
    let own: Vec<LabProof> = broken.into_iter().cloned().collect();
    panic!(
        "broken on {emulator}: {}\n{}\nAll labs:\n{}",
        names.join(", "),
        render_table(&own, emulator, false),
        render_table(proofs, emulator, false)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moto_proves_every_lab() {
    common::needs_emulators!();
    let proofs = prove_labs("moto", &common::moto(), &[]).await;
    assert_no_broken("moto", &proofs);
    // The extended moto serves every operation the labs read; it leaves out only the
    // settings a lab declares (recorded answers prove those checks).
    let loaded = load_labs(&common::repo().join("labs"));
    for proof in &proofs {
        let lab = loaded.find(&proof.lab).expect("a proven lab");
        for c in &proof.checks {
            if lab.check(&c.check).is_some_and(|check| check.emulated_on("moto")) {
                assert_eq!(c.verdict, Verdict::Proven, "{}/{} on moto", proof.lab, c.check);
            }
        }
    }
    check_support_table("moto", &proofs);
    assert_only_declared_reads(&proofs);
}

/// What left the process while proving the labs: only operations that the lab's kinds
/// declare, and every one of them a read.
fn assert_only_declared_reads(proofs: &[LabProof]) {
    let loaded = load_labs(&common::repo().join("labs"));
    for proof in proofs {
        let lab = loaded.labs.iter().find(|l| l.id == proof.lab).unwrap();
        let declared: std::collections::BTreeSet<&str> = lab
            .checks
            .iter()
            .filter_map(|c| labcheck::collect::kind(&c.kind))
            .flat_map(|k| k.operations.iter().copied())
            .collect();
        assert!(!proof.operations.is_empty(), "{}: no calls recorded", proof.lab);
        for op in &proof.operations {
            assert!(declared.contains(op.as_str()), "{} called {op}, which none of its kinds declares", proof.lab);
            assert!(labcheck::collect::is_read_operation(op), "{} called {op}, which is not a read", proof.lab);
        }
    }
}

/// Labs that moto proves but LocalStack 2026.3.0 (community runtime, no Docker) cannot,
/// because it answers otherwise than AWS, some of them only sometimes (Lambda updates
/// race its function state). They are not run on LocalStack: localstack/SUPPORT.md
/// lists them with these reasons.
const LOCALSTACK_DEVIATIONS: &[(&str, &str)] = &[
    (
        "config-iac-lambda-step-functions",
        "DescribeStateMachine leaves out tracingConfiguration; UpdateStateMachine and UpdateFunctionConfiguration fail now and then",
    ),
    ("incident-response-auto-remediation-lambda", "UpdateFunctionConfiguration fails now and then (InternalError)"),
    (
        "monitoring-dashboard-anomaly-alarm",
        "GetDashboard of a missing dashboard answers InvalidParameterValue, not ResourceNotFound",
    ),
    (
        "monitoring-s3-log-events",
        "PutBucketNotificationConfiguration to a Lambda function fails validation without Docker",
    ),
    ("security-compliance-s3-data-protection", "UpdateFunctionConfiguration fails now and then (InternalError)"),
    ("security-compliance-secrets-rotation", "RotateSecret fails with an internal error"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstack_proves_what_it_provides() {
    common::needs_emulators!();
    let skip: Vec<&str> = LOCALSTACK_DEVIATIONS.iter().map(|(lab, _)| *lab).collect();
    let proofs = prove_labs("localstack", &common::localstack(), &skip).await;
    assert_no_broken("localstack", &proofs);
    assert!(
        proofs.iter().any(|p| p.checks.iter().all(|c| c.verdict == Verdict::Proven)),
        "LocalStack proves no lab fully:\n{}",
        render_table(&proofs, "localstack", false)
    );
    check_support_table("localstack", &proofs);
}

/// On an empty account every check that runs says what it looked for.
#[tokio::test]
async fn empty_account_failures_say_what_is_missing() {
    common::needs_emulators!();
    let conf = common::emulator_config(&common::moto()).await;
    let account = format!("{:012}", 555_000_000_000u64 + u64::from(std::process::id()));
    let role = format!("arn:aws:iam::{account}:role/empty");
    let assumed = labcheck::target::assume_role(&conf, &role, "empty", None).await.unwrap();
    let ctx = labcheck::collect::Ctx::new(labcheck::collect::Clients::new(&assumed.conf));
    let loaded = load_labs(Path::new(&common::repo().join("labs")));
    for lab in &loaded.labs {
        let result = grade_lab(lab, &ctx, &GradeOptions::default()).await;
        for o in &result.outcomes {
            match o.status {
                Status::Fail => assert!(o.message.starts_with("found no "), "{}/{}: {}", lab.id, o.id, o.message),
                Status::Skip => assert!(o.message.contains("did not pass"), "{}/{}: {}", lab.id, o.id, o.message),
                other => panic!("{}/{} is {other:?} on an empty account: {}", lab.id, o.id, o.message),
            }
        }
    }
}

/// LocalStack has no CodePipeline: every pipeline check is an ERROR that says the
/// endpoint does not implement the operation (or a SKIP behind one), never a FAIL.
#[test]
fn missing_service_is_an_error_naming_the_operation() {
    common::needs_emulators!();
    let out = common::labcheck()
        .args(["run", "sdlc-codepipeline-three-stage", "--format", "json", "--endpoint-url", &common::localstack()])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for check in report["labs"][0]["checks"].as_array().unwrap() {
        match check["status"].as_str() {
            Some("ERROR") => {
                assert_eq!(check["cause"], "not_implemented", "{check:#}");
                assert!(check["operation"].as_str().unwrap().starts_with("codepipeline:"), "{check:#}");
                assert!(
                    check["message"].as_str().unwrap().contains("the endpoint does not implement this operation"),
                    "{check:#}"
                );
            }
            Some("SKIP") => {}
            other => panic!("{} is {other:?} on an endpoint without CodePipeline: {check:#}", check["id"]),
        }
    }
}

/// The AWS CLI server answers every call as the CLI itself does: the same exit code,
/// standard output and standard error, for successes, service errors and usage errors;
/// with the call's own environment (keys, Region), working directory (relative
/// `file://` arguments) and standard input.
#[test]
fn aws_cli_server_answers_as_the_cli_does() {
    common::needs_emulators!();
    let repo = common::repo();
    let real = repo.join("localstack/.venv-moto/bin/aws");
    let shim = repo.join("localstack/run/bin/aws");
    let socket = std::env::var("LABCHECK_AWS_CLI_SOCKET")
        .expect("LABCHECK_AWS_CLI_SOCKET is not set: run the suite with `bash tests/run.sh`");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tags.json"), r#"{"team": "labcheck"}"#).unwrap();
    let bucket = format!("cli-server-{}", std::process::id());
    let run = |cli: &Path, region: &str, args: &[&str], stdin: &[u8]| {
        let mut cmd = std::process::Command::new(cli);
        for (key, _) in std::env::vars() {
            if key.starts_with("AWS_") {
                cmd.env_remove(key);
            }
        }
        cmd.args(args).current_dir(dir.path()).env("LABCHECK_AWS_CLI_SOCKET", &socket);
        cmd.env("AWS_ACCESS_KEY_ID", "test").env("AWS_SECRET_ACCESS_KEY", "test");
        cmd.env("AWS_DEFAULT_REGION", region).env("AWS_ENDPOINT_URL", common::moto());
        cmd.env("AWS_CONFIG_FILE", "/dev/null").env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
        cmd.stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let group = |cli: &str| format!("/labcheck/cli-server/{cli}-{}", std::process::id());
    let calls: Vec<(&str, Vec<String>, &[u8])> = vec![
        ("us-east-1", vec!["sts".into(), "get-caller-identity".into()], b""),
        ("eu-west-1", vec!["configure".into(), "get".into(), "region".into()], b""),
        ("us-east-1", vec!["iam".into(), "get-role".into(), "--role-name".into(), "missing".into()], b""),
        ("us-east-1", vec!["logs".into(), "no-such-operation".into()], b""),
        (
            "us-east-1",
            vec![
                "s3".into(),
                "cp".into(),
                "-".into(),
                format!("s3://{bucket}/from-stdin.txt"),
                "--only-show-errors".into(),
            ],
            b"read from standard input\n",
        ),
        ("us-east-1", vec!["s3".into(), "cp".into(), format!("s3://{bucket}/from-stdin.txt"), "-".into()], b""),
    ];
    let (code, _, err) = run(&real, "us-east-1", &["s3api", "create-bucket", "--bucket", &bucket], b"");
    assert_eq!(code, Some(0), "{err}");
    for (region, args, stdin) in &calls {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let by_cli = run(&real, region, &args, stdin);
        let by_server = run(&shim, region, &args, stdin);
        assert_eq!(by_server, by_cli, "aws {}", args.join(" "));
    }
    // A call that creates: each CLI creates its own log group from a relative file://.
    for (cli, name) in [(&real, group("cli")), (&shim, group("server"))] {
        let (code, _, err) = run(
            cli,
            "us-east-1",
            &["logs", "create-log-group", "--log-group-name", &name, "--tags", "file://tags.json"],
            b"",
        );
        assert_eq!(code, Some(0), "{err}");
        let (_, tags, _) = run(cli, "us-east-1", &["logs", "list-tags-log-group", "--log-group-name", &name], b"");
        assert!(tags.contains("\"team\": \"labcheck\""), "{tags}");
    }
    // The s3 object really holds what the server's child read from standard input.
    let (_, body, _) = run(&real, "us-east-1", &["s3", "cp", &format!("s3://{bucket}/from-stdin.txt"), "-"], b"");
    assert_eq!(body, "read from standard input\n");
}
